import Foundation
import Imaging
import Stylization

/// What a finished render produced.
public struct RenderOutcome: Sendable {
    /// The PNG written.
    public var output: URL
    /// The recipe written beside it (none when the output is a device or FIFO: see `wroteRecipe`).
    public var recipe: URL
    /// The recipe as written (hashes filled in).
    public var recipeValue: RenderRecipe
    /// False when the PNG went into a device or FIFO (e.g. /dev/null) and no recipe was written.
    public var wroteRecipe = true
    /// Size of the image written.
    public var width: Int
    /// Size of the image written.
    public var height: Int
    /// Wall-clock seconds spent stylizing.
    public var seconds: Double
}

/// Renders a recipe to disk: checks and hashes the inputs, loads and scales the images, runs
/// the stylizer, and writes the PNG and its recipe atomically. On any failure nothing is left
/// at the output paths.
public struct RenderJob: Sendable {
    /// The recipe to render; its `output` says where.
    public var recipe: RenderRecipe
    /// The photo's bytes when the recipe reads it from standard input (`content.path` "-").
    public var standardInput: [UInt8]?

    /// Creates a job.
    public init(recipe: RenderRecipe, standardInput: [UInt8]? = nil) {
        self.recipe = recipe
        self.standardInput = standardInput
    }

    /// Fails early (before any work) when the output exists and may not be replaced, its folder
    /// does not exist or is not writable, or its PNG or recipe cannot be written (see `OutputPair`).
    @discardableResult
    public func checkOutput(overwrite: Bool) throws -> OutputPair {
        if recipe.writesStandardOutput { return .standardOutput }
        return try OutputPair.prepare(image: URL(fileURLWithPath: recipe.output), overwrite: overwrite)
    }

    /// Runs the job with `model` (the family the recipe names); `modelFiles` are the model files'
    /// SHA-256 for the recipe. When `verifyInputs` is set (a replay), inputs whose SHA-256
    /// differs from the recipe's or is not recorded, and model files other than the recipe's,
    /// are refused. A recipe with `upscale` needs `upscaler`, the network it names.
    public func run(model: any StyleModel, modelFiles: [String: String], overwrite: Bool,
                    verifyInputs: Bool = false, cache: FeatureCache? = nil,
                    control: RenderControl? = nil, upscaler: UpscalerNetwork? = nil,
                    polishModel: UST16xModel? = nil,
                    onPolishStep: ((PolishProgress) -> Void)? = nil) throws -> RenderOutcome {
        let pair = try checkOutput(overwrite: overwrite)
        var written = try Self.recordingModelAndStyles(recipe, model: model, modelFiles: modelFiles, verify: verifyInputs)
        written.content.sha256 = try contentDigest(verify: verifyInputs)

        var content = try loadContent(written.content)
        guard content.image.width >= 2, content.image.height >= 2 else {
            throw RenderJobError.photoTooSmall(path: contentName, width: content.image.width, height: content.image.height)
        }
        if let upscale = recipe.upscale {
            guard let upscaler else { throw RenderJobError.upscalerMissing(upscale.upscaler) }
            let (width, height) = (content.image.width * upscale.factor, content.image.height * upscale.factor)
            guard width * height <= recipe.maxPixels else {
                throw RenderJobError.scaledTooLarge(path: contentName, width: width, height: height, limit: recipe.maxPixels)
            }
            written.upscale = try Self.upscale(&content, upscale, upscaler: upscaler, memory: recipe.memory, control: control)
        }
        let styles = try written.styles.map { try Self.load($0, longerSide: recipe.styleSize, maxPixels: recipe.maxPixels) }
        var settings = recipe.settings
        settings.regions = try written.regions.map { region in
            let mask = try ImageFile.readMask(URL(fileURLWithPath: region.mask.path), maxPixels: recipe.maxPixels)
            return Region(mask: mask, styles: region.blend.map { WeightedStyle(index: $0.style, weight: $0.weight) })
        }
        let execution = try recipe.execution ?? Self.execution(for: recipe, content: content.image, styles: styles,
                                                                 settings: settings, model: model)
        written.execution = execution
        let polisher = try Self.polisher(for: recipe, model: polishModel ?? (model as? UST16xModel), styles: styles,
                                         width: content.image.width, height: content.image.height)
        let start = Date()
        let writer = try pair.openImage(width: content.image.width, height: content.image.height)
        defer { writer.abort() }
        if let polisher {
            let image: RGBImage
            if let tile = execution.tile {
                image = try TiledStylizer(model: model, options: TilingOptions(tile: tile, memory: execution.memory))
                    .stylize(content: content, styles: styles, settings: settings, cache: cache, control: control)
            } else {
                image = try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings,
                                                           cache: cache, control: control)
            }
            let polished = try Self.polish(image, with: polisher, recipe: recipe, content: content, styles: styles,
                                           settings: settings, control: control, onStep: onPolishStep)
            try control?.checkCancelled()
            try writer.append(rows: polished)
        } else if let tile = execution.tile {
            let stylizer = TiledStylizer(model: model, options: TilingOptions(tile: tile, memory: execution.memory))
            try stylizer.stylize(content: content, styles: styles, settings: settings, cache: cache, control: control) { strip, _ in
                try writer.append(rows: strip)
            }
        } else {
            let image = try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings,
                                                           cache: cache, control: control)
            try control?.checkCancelled()
            try writer.append(rows: image)
        }
        try control?.checkCancelled()
        let seconds = Date().timeIntervalSince(start)
        let wroteRecipe = try pair.commit(writer) { staged in
            written.outputSHA256 = try SHA256.hex(ofFile: staged)
            return try written.encoded()
        }
        return RenderOutcome(output: pair.image, recipe: pair.recipe, recipeValue: written,
                             wroteRecipe: wroteRecipe, width: content.image.width, height: content.image.height,
                             seconds: seconds)
    }

    /// How a recipe without a recorded execution runs: in tiles when it asks for a tile size,
    /// when the image is larger than `TilingOptions.untiledPixelLimit`, or when the untiled
    /// pipeline would not fit the memory budget; the tile size then follows from the budget.
    public static func execution(for recipe: RenderRecipe, content: RGBImage, styles: [SourceImage],
                                 settings: StylizeSettings, model: any StyleModel) throws -> RenderExecution {
        let memory = recipe.memory ?? TilingOptions.defaultMemory
        if let tile = recipe.tile { return RenderExecution(tile: tile, memory: memory) }
        let stylizer = TiledStylizer(model: model, options: TilingOptions(memory: memory))
        let sizes = styles.map { (width: $0.image.width, height: $0.image.height) }
        let tile = try stylizer.tileSize(width: content.width, height: content.height, styleSizes: sizes, settings: settings)
        return RenderExecution(tile: tile, memory: memory)
    }

    /// Enlarges the photo before stylization as `upscale` asks (its tile chosen from the memory
    /// budget when the recipe has none yet); returns the request with the tile used.
    static func upscale(_ content: inout SourceImage, _ upscale: PhotoUpscale, upscaler: UpscalerNetwork,
                        memory: Int?, control: RenderControl?) throws -> PhotoUpscale {
        var used = upscale
        let image = content.image
        used.tile = upscale.tile ?? PhotoUpscale.tile(width: image.width, height: image.height,
                                                      memory: memory ?? TilingOptions.defaultMemory)
        let enlarged = try PhotoUpscale.apply(image, factor: upscale.factor, network: upscaler, tile: used.tile ?? 0,
                                              control: control)
        content = SourceImage(image: enlarged, identity: "\(content.identity)+\(upscale.upscaler)x\(upscale.factor)")
        return used
    }

    /// Hashes an input file, optionally checking it against the recipe's hash.
    static func hash(_ file: RenderRecipe.InputFile, verify: Bool) throws -> String {
        let url = URL(fileURLWithPath: file.path)
        var info = stat()
        guard stat(url.systemPath, &info) == 0 else { throw RenderJobError.missingInput(path: file.path) }
        let digest: String
        do { digest = try SHA256.hex(ofFile: url) } catch {
            throw RenderJobError.unreadableInput(path: file.path, reason: (error as? SHA256.FileError)?.reason ?? "\(error)")
        }
        if verify {
            guard !file.sha256.isEmpty else { throw RenderJobError.inputUnrecorded(path: file.path) }
            guard digest == file.sha256 else { throw RenderJobError.inputChanged(path: file.path) }
        }
        return digest
    }

    /// Loads an image, scales its longer side to `longerSide` if given, and names it by content.
    /// The scaled size is held to `maxPixels` like the file's own, and its pixels must be
    /// allocatable, so a large `size` is a clear error rather than an abort.
    static func load(_ file: RenderRecipe.InputFile, longerSide: Int?, maxPixels: Int) throws -> SourceImage {
        try scale(ImageFile.read(URL(fileURLWithPath: file.path), maxPixels: maxPixels), file: file,
                  longerSide: longerSide, maxPixels: maxPixels)
    }

    /// `load`'s scaling and naming of an image already decoded from `file`.
    static func scale(_ image: RGBImage, file: RenderRecipe.InputFile, longerSide: Int?, maxPixels: Int) throws -> SourceImage {
        var image = image
        if let longerSide, longerSide != max(image.width, image.height) {
            guard longerSide <= maxPixels else {
                throw RenderJobError.scaledTooLarge(path: file.path, width: longerSide, height: nil, limit: maxPixels)
            }
            let size = ResampleSize.fitting(width: image.width, height: image.height, longerSide: longerSide)
            let (pixels, overflow) = size.width.multipliedReportingOverflow(by: size.height)
            guard !overflow, pixels <= maxPixels else {
                throw RenderJobError.scaledTooLarge(path: file.path, width: size.width, height: size.height, limit: maxPixels)
            }
            try MemoryProbe.check(bytes: 2 * 3 * 4 * pixels, for: file.path)  // the planes and the resampling pass
            image = image.resized(longerSide: longerSide)
        }
        return SourceImage(image: image, identity: "\(file.sha256)@\(image.width)x\(image.height)")
    }
}

/// Asks the allocator for a block before the pipeline does, so that an allocation the machine
/// cannot satisfy becomes a clean error instead of an abort inside the Swift runtime.
enum MemoryProbe {
    static func check(bytes: Int, for path: String) throws {
        guard bytes > 0 else { return }
        guard let block = malloc(bytes) else {
            throw ImageFileError.outOfMemory(path: path, reason: "cannot allocate \(bytes >> 20) MiB for the scaled image")
        }
        free(block)
    }
}
