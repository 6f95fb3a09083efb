import ArgumentParser
import Engine
import Foundation
import Imaging
import Runtime
import Stylization

/// `atelier render`: stylize a photo from a script, writing OUT.png and OUT.png.json.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Stylize a photo and write a PNG plus its recipe (OUT.png.json).",
        discussion: """
        Style weights are normalised. A region takes a greyscale mask (white = inside, soft edges \
        allowed) and the styles used inside it; pixels outside every region use the -s styles.
        `atelier render --recipe OUT.png.json -o AGAIN.png` reproduces a render bit for bit.
        Large images (above 2048x2048, or too large for --memory) are rendered in tiles whose \
        halos make them compute exactly what the whole image would; what does not fit the budget \
        goes to temporary memory-mapped files, removed when the render ends.
        """)

    @Argument(help: "The photo (PNG, JPEG, WebP, TIFF, HEIC, AVIF), a video (-o OUT.mp4), - for standard input, or a folder of photos and videos (-o is then a folder).")
    var photo: String?

    @Option(help: ArgumentHelp("The model family: \(ModelCatalog.ids.joined(separator: ", ")) (default \(ModelCatalog.defaultFamilyID)).",
                               valueName: "FAMILY"))
    var model: String?

    @Option(name: [.short, .customLong("style")], help: "A style image, optionally with a weight: STYLE[:WEIGHT]. Repeatable.")
    var styles: [String] = []

    @Option(name: .customLong("builtin"), help: "A built-in style (families with built-in styles, e.g. cin26: 0-25), optionally with a weight: N[:WEIGHT]. Repeatable.")
    var builtins: [String] = []

    @Option(name: [.short, .customLong("output")], help: "The PNG to write (- for standard output, without a recipe), or the folder for a folder's renders.")
    var output: String?

    @Option(help: "Style strength, 0 (photo) to 1 (full style).")
    var alpha: Float = 1

    @Option(help: "Feature transform: adain or wct (ust16x; default adain).")
    var transform: FeatureTransform?

    @Option(help: "fast (level 4) or full (levels 5 to 1) (ust16x; default fast).")
    var quality: Quality?

    @Option(name: .customLong("preserve-color"), help: "Keep the photo's colours: off, match or luminance.")
    var preserveColor: ColorPreservation = .off

    @Option(name: .customLong("region"), help: "MASK.png=STYLE[:W][,STYLE[:W]...]: styles for the white part of a mask (built-in numbers N[:W] for cin26). Repeatable.")
    var regions: [String] = []

    @Option(help: "Scale the photo so its longer side is N pixels (default: its own size).")
    var size: Int?

    @Option(name: .customLong("style-size"), help: "Scale each style image so its longer side is N pixels (ust16x; default \(RenderRecipe.defaultStyleSize)).")
    var styleSize: Int?

    @Option(name: .customLong("max-pixels"), help: "Refuse images larger than this many pixels.")
    var maxPixels: Int = 100_000_000

    @Option(help: "Render in tiles of N x N pixels (plus halo), even small images (default: derived from --memory).")
    var tile: Int?

    @Option(help: "Memory budget, e.g. 2G, 512M, 150M (default: 4G, or half the machine's memory if less).")
    var memory: String?

    @Option(name: .customLong("upscale-photo"), help: "Enlarge the photo 2x or 4x with Real-ESRGAN before stylizing it.")
    var upscalePhoto: Int?

    @Option(help: "The upscaler for --upscale-photo: x4plus (photographs, default) or fast.")
    var upscaler: String?

    @Option(help: "After the feed-forward render, N steps of Gatys-style optimisation (L-BFGS) towards the styles' texture statistics (0: off).")
    var polish: Int = 0

    @Option(help: "Videos: 0 (independent frames) to 1, how much of the previous output, moved with the picture, each frame keeps where the motion is reliable (default \(ClipRender.defaultStability)).")
    var stability: Float?

    @Flag(help: "Replace OUT.png if it exists.")
    var force = false

    @Flag(help: "Print one JSON object per photo on standard output instead of text (see README).")
    var json = false

    @Option(help: ArgumentHelp("With a folder: render only part K of N (1 <= K <= N), chosen by a hash of each photo's name, e.g. one part per host or Slurm array task.", valueName: "K/N"))
    var shard: FolderShard?

    @Option(help: "Replay a recipe written beside an earlier render (other parameters are taken from it).")
    var recipe: String?

    @Option(help: "Where the model is installed (default: $ATELIER_HOME or ~/.local/share/atelier).")
    var home: String?

    func validate() throws {
        if recipe == nil {
            guard photo != nil else { throw ValidationError("missing the photo: atelier render PHOTO -s STYLE -o OUT.png") }
            try validateFamily(try family())
            guard output != nil else { throw ValidationError("missing the output: give -o OUT.png") }
        } else if photo != nil || !styles.isEmpty || !builtins.isEmpty || !regions.isEmpty || tile != nil || memory != nil
                    || model != nil {
            throw ValidationError("--recipe takes its photo, model, styles, regions and tiling from the recipe; give only -o and --force with it")
        }
        if let upscalePhoto, !PhotoUpscale.factors.contains(upscalePhoto) {
            throw ValidationError("--upscale-photo must be 2 or 4 (got \(upscalePhoto))")
        }
        if let upscaler {
            guard UpscalerModel.named(upscaler) != nil else { throw ValidationError("--upscaler must be x4plus or fast (got \(upscaler))") }
            guard upscalePhoto != nil else { throw ValidationError("--upscaler needs --upscale-photo 2 or 4") }
        }
        if recipe != nil, upscalePhoto != nil { throw ValidationError("--recipe takes --upscale-photo from the recipe") }
        if let tile, tile < TilingOptions.minimumTile {
            throw ValidationError("--tile must be at least \(TilingOptions.minimumTile) pixels (got \(tile))")
        }
        _ = try memoryBudget()
        guard alpha.isFinite, (0...1).contains(alpha) else { throw ValidationError("--alpha must be between 0 and 1 (got \(alpha))") }
        if let size, size < 16 { throw ValidationError("--size must be at least 16 (got \(size))") }
        if let styleSize, styleSize < 16 { throw ValidationError("--style-size must be at least 16 (got \(styleSize))") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
        guard (0...10_000).contains(polish) else { throw ValidationError("--polish must be between 0 and 10000 steps (got \(polish))") }
        if shard != nil, photo.flatMap(PhotoFolder.init(path:)) == nil { throw ValidationError("--shard K/N splits a folder of photos: give a folder") }
        if json, output == RenderRecipe.standardStream { throw ValidationError("--json prints on standard output: it cannot go with -o -") }
        if recipe != nil, polish != 0 { throw ValidationError("--recipe replays the recipe's own polish; do not give --polish with it") }
        try validateVideo()
    }

    /// The family `--model` names (a usage error when the catalog has none by that name).
    private func family() throws -> ModelFamily {
        let id = model ?? ModelCatalog.defaultFamilyID
        guard let entry = ModelCatalog.entry(id) else {
            throw ValidationError("--model \(id): unknown model family (known: \(ModelCatalog.ids.joined(separator: ", ")))")
        }
        return entry.family
    }

    /// Refuses the flags that mean nothing for `family`, and asks for the styles it needs.
    private func validateFamily(_ family: ModelFamily) throws {
        let id = family.id
        if family.usesBuiltinStyles {
            guard styles.isEmpty else { throw ValidationError("-s means nothing for \(id), which has built-in styles: give --builtin N[:WEIGHT]") }
            guard !builtins.isEmpty else { throw ValidationError("missing a style: give at least one --builtin N[:WEIGHT] (\(id))") }
        } else {
            guard builtins.isEmpty else { throw ValidationError("--builtin means nothing for \(id), which takes style images: give -s STYLE[:WEIGHT]") }
            guard !styles.isEmpty else { throw ValidationError("missing a style: give at least one -s STYLE[:WEIGHT]") }
        }
        let given: [(FamilyOption, Bool)] = [(.transform, transform != nil), (.quality, quality != nil),
                                             (.styleSize, styleSize != nil)]
        for (option, isGiven) in given where isGiven && !family.options.contains(option) {
            let flag = option == .styleSize ? "--style-size" : "--\(option.rawValue)"
            throw ValidationError("\(flag) means nothing for \(id) (it is a \(ModelCatalog.entries.filter { $0.family.options.contains(option) }.map(\.family.id).joined(separator: ", ")) setting)")
        }
    }

    func run() throws {
        if let photo, let folder = PhotoFolder(path: photo) { return try runFolder(folder) }
        if let photo, ClipRender.isVideo(photo) { return try runClip() }
        let runner = RenderRunner(home: home)
        let made = try makeRecipe()
        if ClipRender.isVideo(made.content.path) { return try runClip(replaying: made) }
        try checkStandardStreams(made)
        let job = RenderJob(recipe: made, standardInput: made.readsStandardInput ? try readStandardInput() : nil)
        try job.checkOutput(overwrite: force)
        let loaded = try runner.model(family: made.family)
        try checkTileFits(model: loaded.model, recipe: made)
        let label = made.writesStandardOutput ? "standard output" : PathBytes.shown(URL(fileURLWithPath: made.output).lastPathComponent)
        let outcome = try runner.render(job, overwrite: force, verifyInputs: recipe != nil, label: label)
        json ? JSONLines.print(RenderResult(outcome, input: made.content.path)) : report(outcome)
    }

    /// `--memory` in bytes, or nil when not given; a usage error when unreadable.
    private func memoryBudget() throws -> Int? {
        guard let memory else { return nil }
        do { return try MemorySize(parsing: memory).bytes } catch {
            throw ValidationError("--memory: \(error)")
        }
    }

    /// Refuses (as a usage error) a budget that cannot hold one tile plus its halo.
    func checkTileFits(model: any StyleModel, recipe: RenderRecipe) throws {
        guard self.recipe == nil, tile != nil || memory != nil else { return }
        let budget = recipe.memory ?? TilingOptions.defaultMemory
        let side = tile ?? TilingOptions.smallestAutomaticTile
        let needed = try model.minimumBudget(tile: side, settings: recipe.settings, regionCount: recipe.regions.count,
                                             threads: WorkerPool.shared.threadCount)
        guard needed <= budget else {
            let what = memory.map { "--memory \($0)" } ?? "the default memory budget (\(MemorySize(bytes: budget)))"
            throw CLIFailure.usage("\(what) is too small for one \(side)-pixel tile plus its halo (needs at least "
                                   + "\(MemorySize(bytes: needed))); raise --memory or lower --tile")
        }
    }

    /// The recipe from the command line (for `photo` and `output`, default the arguments'), or
    /// from --recipe (with -o overriding its output).
    func makeRecipe(photo: String? = nil, output: String? = nil) throws -> RenderRecipe {
        let photo = photo ?? self.photo, output = output ?? self.output
        if let recipe {
            var loaded = try RenderRecipe.load(from: URL(fileURLWithPath: recipe))
            if let output { loaded.output = absolute(output) }
            return loaded
        }
        var styleFiles: [RenderRecipe.InputFile] = []
        func styleIndex(_ path: String) -> Int {
            let file = absolute(path)
            if let i = styleFiles.firstIndex(where: { $0.path == file }) { return i }
            styleFiles.append(.init(path: file))
            return styleFiles.count - 1
        }
        let family = try family()
        // A blend of `-s` images, or of built-ins for a family that has them.
        func blend(_ texts: [String], option: String) throws -> [RenderRecipe.BlendEntry] {
            if case .builtin(let count) = family.styles {
                return try StyleArgument.parseBuiltinBlend(texts, count: count, option: option).map {
                    RenderRecipe.BlendEntry(style: $0.index, weight: $0.weight)
                }
            }
            return try StyleArgument.parseBlend(texts, option: option).map {
                RenderRecipe.BlendEntry(style: styleIndex($0.path), weight: $0.weight)
            }
        }
        let base = try blend(family.usesBuiltinStyles ? builtins : styles, option: family.usesBuiltinStyles ? "--builtin" : "-s")
        let regionEntries = try regions.map { argument -> RenderRecipe.RegionEntry in
            let region = try StyleArgument.parseRegion(argument)
            return .init(mask: .init(path: absolute(region.mask)),
                         blend: try blend(region.texts, option: "--region \(region.mask)"))
        }
        let usesStyleSize = family.options.contains(.styleSize)
        var made = RenderRecipe(model: family.id, content: .init(path: absolute(photo!)), styles: styleFiles, blend: base,
                            regions: regionEntries, alpha: alpha, transform: transform ?? .adain, quality: quality ?? .fast,
                            preserveColor: preserveColor, size: size,
                            styleSize: usesStyleSize ? (styleSize ?? RenderRecipe.defaultStyleSize) : nil,
                            maxPixels: maxPixels, tile: tile, memory: try memoryBudget(), output: absolute(output!))
        made.upscale = upscalePhoto.map { PhotoUpscale(factor: $0, upscaler: upscaler ?? UpscalerModel.x4plus.option) }
        return made.withPolish(polish > 0 ? PolishSettings(steps: polish, alpha: alpha) : nil)
    }

    /// `path` made absolute ("-", a standard stream, stays as it is).
    func absolute(_ path: String) -> String {
        if path == RenderRecipe.standardStream { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: PathBytes.currentDirectory()))
            .standardizedFileURL.path
    }
}

extension FeatureTransform: ExpressibleByArgument {}
extension Quality: ExpressibleByArgument {}
extension ColorPreservation: ExpressibleByArgument {}
