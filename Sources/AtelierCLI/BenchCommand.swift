import ArgumentParser
import Foundation
import Imaging
import Runtime
import Engine
import Stylization

/// `atelier bench`: render timings on the peer's grid, in the peer script's JSON shape.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time renders on random square images (the grid of ../shared/peers/ort_peer.py).",
        discussion: """
        total: encode photo and style, transform, decode (a cold render). cached: transform and \
        decode of the last level with both feature maps already computed (one slider step). \
        Medians of --runs runs after one warm-up.
        """)

    @Option(help: ArgumentHelp("The model family: \(ModelCatalog.ids.joined(separator: ", ")) (default \(ModelCatalog.defaultFamilyID)).",
                               valueName: "FAMILY"))
    var model: String?

    @Option(help: "Comma-separated square sizes, 16-4096 (16-1024 with --upscaler).")
    var sizes = "256,512,1024"

    @Option(help: "Comma-separated qualities: fast, full (ust16x; default fast,full).")
    var quality: String?

    @Option(help: "Comma-separated transforms: adain, wct (ust16x; default adain).")
    var transform: String?

    @Option(help: "Worker threads.")
    var threads = 2

    @Option(help: "Microseconds an idle worker thread spins before it sleeps (default 0: at once), to measure the pool's wake-up cost.")
    var poolSpinUs = 0

    @Option(help: "Timed runs per cell (the median is reported).")
    var runs = 5

    @Flag(help: "Print one JSON object per cell and nothing else.")
    var json = false

    @Flag(help: "magenta, cin26: time each layer of the transform (median ms and GFLOP/s per layer) instead.")
    var layers = false

    @Option(help: "Where the model is installed (default: $ATELIER_HOME or ~/.local/share/atelier).")
    var home: String?

    @Option(help: "Time this upscaler (x4plus or fast) instead, as ort_models_peer.py times ncnn: each size reflect-padded by 10 px, whole image.")
    var upscaler: String?

    /// `--pool-spin-us` in nanoseconds.
    var spinNanoseconds: UInt64 { UInt64(poolSpinUs) * 1000 }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard (0...100_000).contains(poolSpinUs) else { throw ValidationError("--pool-spin-us must be 0 to 100000") }
        let family = try self.family()
        if !family.options.contains(.quality), quality != nil { throw ValidationError("--quality means nothing for \(family.id)") }
        if !family.options.contains(.transform), transform != nil { throw ValidationError("--transform means nothing for \(family.id)") }
        if layers, family.id != "magenta", family.id != "cin26" { throw ValidationError("--layers means nothing for \(family.id)") }
        _ = try parsedGrid()
    }

    /// The family `--model` names.
    private func family() throws -> ModelFamily {
        let id = model ?? ModelCatalog.defaultFamilyID
        guard let entry = ModelCatalog.entry(id) else {
            throw ValidationError("--model \(id): unknown model family (known: \(ModelCatalog.ids.joined(separator: ", ")))")
        }
        return entry.family
    }

    /// The largest square the bench renders (untiled: ~5-8 GB of feature maps at 4096^2).
    static let largestSize = 4096
    /// The largest square input an upscaler bench takes (its output is 4x as wide).
    static let largestUpscalerSize = 1024

    private func parsedGrid() throws -> (sizes: [Int], qualities: [Quality], transforms: [FeatureTransform]) {
        func list<T>(_ text: String, _ option: String, _ parse: (String) -> T?) throws -> [T] {
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let parsed = items.compactMap(parse)
            guard !parsed.isEmpty, parsed.count == items.count else { throw ValidationError("--\(option): cannot read '\(text)'") }
            return parsed
        }
        let sizes = try list(sizes, "sizes") { Int($0) }
        let largest = upscaler == nil ? Self.largestSize : Self.largestUpscalerSize
        if let size = sizes.first(where: { $0 < 16 || $0 > largest }) {
            throw ValidationError("--sizes: \(size) is outside 16...\(largest) (the bench renders whole, untiled pictures)")
        }
        return (sizes, try list(quality ?? "fast,full", "quality", Quality.init(rawValue:)),
                try list(transform ?? "adain", "transform", FeatureTransform.init(rawValue:)))
    }

    func run() throws {
        let grid = try parsedGrid()
        if let upscaler {
            try benchUpscaler(upscaler, sizes: grid.sizes)
            return
        }
        let family = try self.family()
        guard family.id == UST16xModel.family.id else {
            let bench = FamilyBench(family: family, model: try InstalledModel.load(family: family.id, home: home).model,
                                    threads: threads, runs: runs, json: json, spinNanoseconds: spinNanoseconds)
            return layers ? try bench.runLayers(sizes: grid.sizes) : try bench.run(sizes: grid.sizes)
        }
        guard let model = try InstalledModel.load(home: home).model as? UST16xModel else {
            throw CLIFailure.runtime("the installed ust16x family is not UST-16x")
        }
        let pool = WorkerPool(threads: threads, spinNanoseconds: spinNanoseconds)
        let stylizer = Stylizer(model: model, pool: pool)
        if !json { print("kernels: \(InstructionSet.name)\nsize  quality transform threads   total_ms  cached_ms") }
        for size in grid.sizes {
            let content = SourceImage(image: Self.noise(size: size, seed: 1), identity: "bench-content-\(size)")
            let style = SourceImage(image: Self.noise(size: size, seed: 2), identity: "bench-style-\(size)")
            for quality in grid.qualities {
                for transform in grid.transforms {
                    let settings = StylizeSettings(transform: transform, quality: quality)
                    let total = try Self.medianMilliseconds(runs: runs) {
                        _ = try stylizer.stylize(content: content, styles: [style], settings: settings)
                    }
                    let level = quality.levels.last!
                    let fc = try model.encode(Tensor(content.image).paddedToMultiple(pool: pool), level: level, pool: pool)
                    let fs = try model.encode(Tensor(style.image).paddedToMultiple(pool: pool), level: level, pool: pool)
                    let cached = try Self.medianMilliseconds(runs: runs) {
                        let map = try transform.map(content: fc, mask: nil, style: fs, pool: pool)
                        _ = try model.decode(map.apply(to: fc, pool: pool), level: level, pool: pool)
                    }
                    report(size: size, quality: quality, transform: transform, total: total, cached: cached)
                }
            }
        }
    }

    private func report(size: Int, quality: Quality, transform: FeatureTransform, total: Double, cached: Double) {
        if json {
            let line = "{\"peer\": \"\(Engine.AtelierVersion.programName)\", \"size\": \(size), \"levels\": \"\(quality.rawValue)\", "
                + "\"transform\": \"\(transform.rawValue)\", \"threads\": \(threads), \"isa\": \"\(InstructionSet.name)\", "
                + "\"total_ms\": \(String(format: "%.1f", total)), \"cached_ms\": \(String(format: "%.1f", cached))}"
            print(line)
        } else {
            let names = quality.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                + transform.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            print(String(format: "%4d  ", size) + names + String(format: "%7d %10.1f %10.1f", threads, total, cached))
        }
        fflush(stdout)
    }

    /// Median wall-clock milliseconds of `runs` calls after one warm-up call.
    static func medianMilliseconds(runs: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[times.count / 2]
    }

    /// A reproducible image of uniform noise in [0, 1).
    static func noise(size: Int, seed: UInt64) -> RGBImage {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        let pixels = (0..<(3 * size * size)).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24)
        }
        return RGBImage(width: size, height: size, pixels: pixels)
    }
}
