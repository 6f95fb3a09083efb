import Foundation

/// Errors of a render job, each a one-line message naming the file concerned.
public enum RenderJobError: Error, CustomStringConvertible, Equatable {
    /// The output exists and `--force` was not given.
    case outputExists(path: String)
    /// A clip's output is not named like a video Atelier writes (.mp4, .m4v, .mov, .mkv).
    case videoOutputName(path: String)
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
    /// A replayed recipe records no SHA-256 for an input, so the input cannot be checked.
    case inputUnrecorded(path: String)
    /// The model the recipe names is not the one at hand (another family, other model files).
    case modelChanged(family: String, reason: String)
    /// The photo is too large to polish within the memory budget.
    case polishTooLarge(width: Int, height: Int, needed: Int, budget: Int, maximumPixels: Int)
    /// The recipe enlarges the photo but the upscaler was not loaded.
    case upscalerMissing(String)
    /// The photo (after scaling) is too small to stylize.
    case photoTooSmall(path: String, width: Int, height: Int)
    /// `--size` or `--style-size` (or a recipe's) scales an input past the pixel limit.
    case scaledTooLarge(path: String, width: Int, height: Int?, limit: Int)

    public var description: String {
        switch self {
        case .videoOutputName(let path): return "\(path): a video renders to .mp4, .m4v, .mov or .mkv"
        case .outputExists(let path): return "\(path) already exists (use --force to replace it)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .missingInput(let path): return "\(path): no such file"
        case .unreadableInput(let path, let reason): return "\(path): cannot read it (\(reason))"
        case .inputChanged(let path):
            return "\(path) has changed since the recipe was written (its SHA-256 differs); the render cannot be reproduced"
        case .unreadableRecipe(let path, let reason): return "\(path): \(reason)"
        case .inputUnrecorded(let path):
            return "the recipe records no SHA-256 for \(path), so the render cannot be checked; render it again without --recipe"
        case .upscalerMissing(let name): return "the upscaler \(name) is not loaded; run `atelier models install`"
        case .polishTooLarge(let width, let height, let needed, let budget, let maximumPixels):
            return "--polish at \(width)x\(height) needs \(needed >> 20) MiB, above the memory budget of \(budget >> 20) MiB; "
                + "polish at most \(maximumPixels) pixels (about \(Int(Double(maximumPixels).squareRoot())) square; use --size) or raise --memory"
        case .modelChanged(let family, let reason):
            return "the recipe's \(family) model cannot be used: \(reason); the render cannot be reproduced"
        case .photoTooSmall(let path, let width, let height):
            return "\(path) is \(width)x\(height) pixels; a photo must be at least 2x2"
        case .scaledTooLarge(let path, let width, let height, let limit):
            let size = height.map { "\(width)x\($0)" } ?? "a longer side of \(width) pixels"
            return "\(path) would be scaled to \(size), over the limit of \(limit) pixels; "
                + "lower --size or --style-size, or raise --max-pixels"
        }
    }
}
