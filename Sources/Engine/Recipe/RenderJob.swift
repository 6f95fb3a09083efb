import Foundation
import Imaging
import Stylization

/// What a finished render produced.
public struct RenderOutcome: Sendable {
    /// The PNG written.
    public var output: URL
    /// The recipe written beside it.
    public var recipe: URL
    /// The recipe as written (hashes filled in).
    public var recipeValue: RenderRecipe
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

    /// Creates a job.
    public init(recipe: RenderRecipe) {
        self.recipe = recipe
    }

    /// Fails early (before any work) when the output exists and may not be replaced, or its
    /// folder does not exist or is not writable.
    public func checkOutput(overwrite: Bool) throws {
        let output = URL(fileURLWithPath: recipe.output)
        let fm = FileManager.default
        if !overwrite, fm.fileExists(atPath: output.path) { throw RenderJobError.outputExists(path: output.path) }
        let folder = output.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RenderJobError.cannotWrite(path: output.path, reason: "folder \(folder) does not exist")
        }
        guard fm.isWritableFile(atPath: folder) else {
            throw RenderJobError.cannotWrite(path: output.path, reason: "folder \(folder) is not writable")
        }
    }

    /// Runs the job with `model` (the family the recipe names); `modelFiles` are the model files'
    /// SHA-256 for the recipe. When `verifyInputs` is set (a replay), inputs and model files whose
    /// SHA-256 differs from the recipe's are refused.
    public func run(model: any StyleModel, modelFiles: [String: String], overwrite: Bool,
                    verifyInputs: Bool = false, cache: FeatureCache? = nil,
                    control: RenderControl? = nil, polishModel: UST16xModel? = nil,
                    onPolishStep: ((PolishProgress) -> Void)? = nil) throws -> RenderOutcome {
        try checkOutput(overwrite: overwrite)
        guard recipe.family == model.family.id else {
            throw RenderJobError.modelChanged(family: recipe.family, reason: "the render was given \(model.family.id)")
        }
        if verifyInputs, !recipe.modelFiles.isEmpty, recipe.modelFiles != modelFiles {
            throw RenderJobError.modelChanged(family: recipe.family,
                                              reason: "the installed model files' SHA-256 differ from the recipe's")
        }
        var written = recipe
        written.model = model.family.id
        written.content.sha256 = try Self.hash(recipe.content, verify: verifyInputs)
        for i in written.styles.indices { written.styles[i].sha256 = try Self.hash(recipe.styles[i], verify: verifyInputs) }
        for i in written.regions.indices {
            written.regions[i].mask.sha256 = try Self.hash(recipe.regions[i].mask, verify: verifyInputs)
        }
        written.modelFiles = modelFiles
        written.program = AtelierVersion.programName

        let content = try Self.load(written.content, longerSide: recipe.size, maxPixels: recipe.maxPixels)
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
        let output = URL(fileURLWithPath: recipe.output)
        let recipeURL = RenderRecipe.recipeURL(forOutput: output)
        let start = Date()
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
            try ImageFile.writePNG(polished, to: output)
        } else if let tile = execution.tile {
            let stylizer = TiledStylizer(model: model, options: TilingOptions(tile: tile, memory: execution.memory))
            let writer = try PNGStreamWriter.open(output, width: content.image.width, height: content.image.height)
            defer { writer.abort() }
            try stylizer.stylize(content: content, styles: styles, settings: settings, cache: cache, control: control) { strip, _ in
                try writer.append(rows: strip)
            }
            try control?.checkCancelled()
            try writer.finish()
        } else {
            let image = try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings,
                                                           cache: cache, control: control)
            try control?.checkCancelled()
            try ImageFile.writePNG(image, to: output)
        }
        let seconds = Date().timeIntervalSince(start)
        do {
            written.outputSHA256 = try SHA256.hex(ofFile: output)
            try AtomicFile.write(try written.encoded(), to: recipeURL)
        } catch {
            try? FileManager.default.removeItem(at: output)
            throw RenderJobError.cannotWrite(path: recipeURL.path, reason: "\(error)")
        }
        return RenderOutcome(output: output, recipe: recipeURL, recipeValue: written,
                             width: content.image.width, height: content.image.height, seconds: seconds)
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

    /// Hashes an input file, optionally checking it against the recipe's hash.
    static func hash(_ file: RenderRecipe.InputFile, verify: Bool) throws -> String {
        let url = URL(fileURLWithPath: file.path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw RenderJobError.missingInput(path: file.path) }
        let digest: String
        do { digest = try SHA256.hex(ofFile: url) } catch {
            throw RenderJobError.unreadableInput(path: file.path, reason: "\(error)")
        }
        if verify, !file.sha256.isEmpty, digest != file.sha256 {
            throw RenderJobError.inputChanged(path: file.path)
        }
        return digest
    }

    /// Loads an image, scales its longer side to `longerSide` if given, and names it by content.
    static func load(_ file: RenderRecipe.InputFile, longerSide: Int?, maxPixels: Int) throws -> SourceImage {
        var image = try ImageFile.read(URL(fileURLWithPath: file.path), maxPixels: maxPixels)
        if let longerSide, longerSide != max(image.width, image.height) {
            image = image.resized(longerSide: longerSide)
        }
        return SourceImage(image: image, identity: "\(file.sha256)@\(image.width)x\(image.height)")
    }
}

/// Errors of a render job, each a one-line message naming the file concerned.
public enum RenderJobError: Error, CustomStringConvertible, Equatable {
    /// The output exists and `--force` was not given.
    case outputExists(path: String)
    /// The output (or its recipe) cannot be written.
    case cannotWrite(path: String, reason: String)
    /// An input file does not exist.
    case missingInput(path: String)
    /// An input file exists but cannot be read.
    case unreadableInput(path: String, reason: String)
    /// An input's bytes differ from the recipe's SHA-256.
    case inputChanged(path: String)
    /// A recipe file cannot be used.
    case unreadableRecipe(path: String, reason: String)
    /// The photo is too large to polish within the memory budget.
    case polishTooLarge(width: Int, height: Int, needed: Int, budget: Int, maximumPixels: Int)
    /// The model the recipe names is not the one at hand.
    case modelChanged(family: String, reason: String)

    public var description: String {
        switch self {
        case .outputExists(let path): return "\(path) already exists (use --force to replace it)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .missingInput(let path): return "\(path): no such file"
        case .unreadableInput(let path, let reason): return "\(path): cannot read it (\(reason))"
        case .inputChanged(let path):
            return "\(path) has changed since the recipe was written (its SHA-256 differs); the render cannot be reproduced"
        case .unreadableRecipe(let path, let reason): return "\(path): \(reason)"
        case .polishTooLarge(let width, let height, let needed, let budget, let maximumPixels):
            return "--polish at \(width)x\(height) needs \(needed >> 20) MiB, above the memory budget of \(budget >> 20) MiB; "
                + "polish at most \(maximumPixels) pixels (about \(Int(Double(maximumPixels).squareRoot())) square; use --size) or raise --memory"
        case .modelChanged(let family, let reason):
            return "the recipe's \(family) model cannot be used: \(reason); the render cannot be reproduced"
        }
    }
}
