import ArgumentParser
import Foundation
import Imaging
import Runtime
import Stylization

/// `atelier bench-polish`: the polish's speed (se5 forward vs forward + backward, N steps at
/// several sizes) and its quality table on photo/painting pairs (docs/polish.md).
struct PolishBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-polish",
        abstract: "Time the polish (se5 forward and backward, N L-BFGS steps) and tabulate its losses on photo/painting pairs.",
        discussion: """
        Speed: medians of --runs runs after a warm-up, on a photo and painting scaled to each size. \
        Quality (--pairs PHOTO:PAINTING,...): the style and content losses of the fast feed-forward \
        render before and after --steps steps, and the total loss after the same steps from the photo.
        """)

    @Option(help: "Comma-separated sizes (longer side) for the speed part; empty: skip it.")
    var sizes = "512,1024"

    @Option(help: "L-BFGS steps.")
    var steps = 100

    @Option(help: "Timed runs of the forward/backward pass (median reported).")
    var runs = 5

    @Option(help: "Timed polishes per size (median reported).")
    var polishRuns = 1

    @Option(help: "Comma-separated PHOTO:PAINTING pairs for the quality table.")
    var pairs = ""

    @Option(help: "Longer side of the photos in the quality table.")
    var size = 512

    @Option(help: "Write each pair's feed-forward and polished images into this folder.")
    var pictures: String?

    @Option(name: .customLong("content-weight"), help: "β_c for the quality table (default: the polish's default).")
    var contentWeight: Double?

    @Option(name: .customLong("style-weight"), help: "β_s for the quality table (default: the polish's default).")
    var styleWeight: Double?

    @Flag(help: "After each size's polishes, print the wall time of every layer's forward and backward pass and of the loss's terms.")
    var profile = false

    @Option(help: "Where the model is installed (default: $ATELIER_HOME or ~/.local/share/atelier).")
    var home: String?

    func run() throws {
        guard let model = try InstalledModel.load(family: "ust16x", home: home).model as? UST16xModel else {
            throw CLIFailure.runtime("bench-polish needs the UST-16x model")
        }
        let polisher = try Polisher(model: model)
        let sizeList = sizes.split(separator: ",").compactMap { Int($0) }
        let photo = BenchCommand.noise(size: 1024, seed: 1), painting = BenchCommand.noise(size: 512, seed: 2)
        for side in sizeList {
            try speed(side: side, model: model, polisher: polisher, photo: photo.resized(longerSide: side), painting: painting)
        }
        let pairList = pairs.split(separator: ",").map { $0.split(separator: ":").map(String.init) }
        if !pairList.isEmpty {
            print("pair                              style_ff  style_100  ratio  content_ff content_100  total_ff_100 total_photo_100")
        }
        for pair in pairList where pair.count == 2 {
            try quality(photoPath: pair[0], paintingPath: pair[1], model: model, polisher: polisher)
        }
    }

    private func speed(side: Int, model: UST16xModel, polisher: Polisher, photo: RGBImage, painting: RGBImage) throws {
        let encoder = polisher.encoder
        let image = Tensor(photo).paddedToMultiple()
        let flops = encoder.network.layers.reduce((flops: 0.0, backward: 0.0, h: image.height, w: image.width)) { acc, layer in
            switch layer {
            case .conv(_, let conv, _):
                let back = try! ConvBackward(conv)
                return (acc.flops + conv.flops(height: acc.h, width: acc.w), acc.backward + back.flops(height: acc.h, width: acc.w), acc.h, acc.w)
            case .maxPool: return (acc.flops, acc.backward, acc.h / 2, acc.w / 2)
            case .upsample: return acc
            }
        }
        let tape = encoder.makeTape()   // reused, as a polish reuses it
        let forward = try BenchCommand.medianMilliseconds(runs: runs) { try encoder.forward(image, into: tape) }
        let gradients = encoder.taps(of: tape).map { Optional($0) }
        let both = try BenchCommand.medianMilliseconds(runs: runs) {
            try encoder.forward(image, into: tape)
            _ = try encoder.backward(tape, tapGradients: gradients)
        }
        let content = SourceImage(image: photo, identity: "photo"), style = SourceImage(image: painting, identity: "painting")
        let start = try Stylizer(model: model).stylize(content: content, styles: [style], settings: StylizeSettings())
        var outcome: PolishOutcome?
        var times: [Double] = []
        let parts = profile ? PolishProfile() : nil
        encoder.profile = parts
        defer { encoder.profile = nil }
        for _ in 0..<max(polishRuns, 1) {   // no warm-up: the passes above warmed the same code
            let begin = DispatchTime.now().uptimeNanoseconds
            outcome = try polisher.polish(start: start, content: content, styles: [style], settings: StylizeSettings(), steps: steps)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6)
        }
        let taken = outcome!.stepsTaken
        let polish = times.sorted()[times.count / 2]
        print(String(format: "%dx%d  se5 forward %.1f ms (%.1f GFLOP/s)  forward+backward %.1f ms (%.1f GFLOP/s)  polish %d steps %.2f s (%d forward, %d backward passes)",
                     photo.width, photo.height, forward, flops.flops / forward / 1e6, both,
                     (flops.flops + flops.backward) / both / 1e6, taken, polish / 1000,
                     outcome!.forwardPasses, outcome!.backwardPasses))
        if let parts { printProfile(parts, polishMilliseconds: times.reduce(0, +)) }
        fflush(stdout)
    }

    /// One line per timed part: total seconds over every polish run, calls, ms per call, share.
    private func printProfile(_ parts: PolishProfile, polishMilliseconds total: Double) {
        var accounted = 0.0
        for label in parts.labels {
            let (seconds, calls) = parts.totals[label]!
            accounted += seconds
            print(String(format: "  %-34@ %8.3f s  %5d calls  %8.2f ms/call  %5.1f %%", label as NSString, seconds, calls,
                         seconds * 1000 / Double(calls), 100 * seconds * 1000 / total))
        }
        let rest = total / 1000 - accounted
        print(String(format: "  %-34@ %8.3f s  %5.1f %%", "rest (optimiser, copies, content)" as NSString, rest, 100 * rest * 1000 / total))
    }

    private func quality(photoPath: String, paintingPath: String, model: UST16xModel, polisher: Polisher) throws {
        let photo = try ImageFile.read(URL(fileURLWithPath: photoPath)).resized(longerSide: size)
        let painting = try ImageFile.read(URL(fileURLWithPath: paintingPath)).resized(longerSide: 512)
        let content = SourceImage(image: photo, identity: photoPath), style = SourceImage(image: painting, identity: paintingPath)
        let settings = StylizeSettings()
        let start = try Stylizer(model: model).stylize(content: content, styles: [style], settings: settings)
        var weights = PolishWeights.defaults
        if let contentWeight { weights.content = contentWeight }
        if let styleWeight { weights.style = styleWeight }
        let fromRender = try polisher.polish(start: start, content: content, styles: [style], settings: settings, steps: steps, weights: weights)
        let fromPhoto = try polisher.polish(start: photo, content: content, styles: [style], settings: settings, steps: steps, weights: weights)
        let name = URL(fileURLWithPath: photoPath).deletingPathExtension().lastPathComponent + "+"
            + URL(fileURLWithPath: paintingPath).deletingPathExtension().lastPathComponent
        let a = fromRender.initialLoss, b = fromRender.finalLoss
        print(name.padding(toLength: 32, withPad: " ", startingAt: 0)
              + String(format: "  %8.4f  %9.4f  %5.2f  %10.4f  %11.4f  %12.4f  %14.4f", a.style, b.style, b.style / a.style,
                       a.content, b.content, b.total, fromPhoto.finalLoss.total))
        fflush(stdout)
        if let pictures {
            let folder = URL(fileURLWithPath: pictures)
            try ImageFile.writePNG(start, to: folder.appendingPathComponent(name + "-feedforward.png"))
            try ImageFile.writePNG(fromRender.image, to: folder.appendingPathComponent(name + "-polished.png"))
            try ImageFile.writePNG(fromPhoto.image, to: folder.appendingPathComponent(name + "-from-photo.png"))
        }
    }
}
