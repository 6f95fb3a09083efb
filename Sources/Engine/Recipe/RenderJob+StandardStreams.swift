import Foundation
import Imaging
import Stylization

extension RenderRecipe {
    /// The path that stands for a standard stream: as `content.path`, the photo came on standard
    /// input (the recipe keeps its SHA-256; a replay reads it from standard input again and checks
    /// it); as `output`, the PNG goes to standard output (and no recipe is written).
    public static let standardStream = "-"

    /// Whether the photo is read from standard input.
    public var readsStandardInput: Bool { content.path == Self.standardStream }

    /// Whether the PNG is written to standard output.
    public var writesStandardOutput: Bool { output == Self.standardStream }
}

extension OutputPair {
    /// The PNG written straight into standard output, with no recipe.
    static var standardOutput: OutputPair {
        let stdout = URL(fileURLWithPath: "/dev/stdout")
        return OutputPair(image: stdout, recipe: RenderRecipe.recipeURL(forOutput: stdout), isStream: true)
    }
}

extension RenderJob {
    /// The name errors give the photo read from standard input.
    static let standardInputName = "standard input"

    /// The photo as errors name it: its path, or "standard input".
    var contentName: String { recipe.readsStandardInput ? Self.standardInputName : recipe.content.path }

    /// The photo's SHA-256: of `standardInput`'s bytes when the recipe reads standard input,
    /// else of its file (checked against the recipe's when `verify` is set).
    func contentDigest(verify: Bool) throws -> String {
        guard recipe.readsStandardInput else { return try Self.hash(recipe.content, verify: verify) }
        guard let standardInput else { throw RenderJobError.missingInput(path: Self.standardInputName) }
        let digest = SHA256.hex(of: standardInput)
        if verify {
            guard !recipe.content.sha256.isEmpty else { throw RenderJobError.inputUnrecorded(path: Self.standardInputName) }
            guard digest == recipe.content.sha256 else { throw RenderJobError.inputChanged(path: Self.standardInputName) }
        }
        return digest
    }

    /// The photo as `load` gives it, from `standardInput` when the recipe reads standard input.
    func loadContent(_ file: RenderRecipe.InputFile) throws -> SourceImage {
        guard recipe.readsStandardInput, let standardInput else {
            return try Self.load(file, longerSide: recipe.size, maxPixels: recipe.maxPixels)
        }
        let image = try ImageFile.read(bytes: standardInput, path: Self.standardInputName, maxPixels: recipe.maxPixels)
        return try Self.scale(image, file: RenderRecipe.InputFile(path: Self.standardInputName, sha256: file.sha256),
                              longerSide: recipe.size, maxPixels: recipe.maxPixels)
    }
}
