import Foundation
import Imaging
import Stylization

/// Everything needed to reproduce a render bit for bit on the same machine: the parameters,
/// the input files with their SHA-256, the model files' SHA-256 and the program version.
/// Written beside every rendered PNG as `<output>.json`; `atelier render --recipe` replays it.
public struct RenderRecipe: Codable, Equatable, Sendable {
    /// An input file and the SHA-256 of its bytes when the render was made.
    public struct InputFile: Codable, Equatable, Sendable {
        /// Absolute path.
        public var path: String
        /// Lower-case hex SHA-256 of the file's bytes (empty until the file is hashed).
        public var sha256: String

        /// Creates a reference to a file.
        public init(path: String, sha256: String = "") {
            self.path = path
            self.sha256 = sha256
        }
    }

    /// A style image and its weight in a blend.
    public struct BlendEntry: Codable, Equatable, Sendable {
        /// Index into `styles`.
        public var style: Int
        /// Relative weight (normalised over the blend).
        public var weight: Float

        /// Creates a blend entry.
        public init(style: Int, weight: Float) {
            self.style = style
            self.weight = weight
        }
    }

    /// A region: a greyscale mask file (white = inside) and the blend used inside it.
    public struct RegionEntry: Codable, Equatable, Sendable {
        /// The mask image.
        public var mask: InputFile
        /// The styles applied inside the mask.
        public var blend: [BlendEntry]

        /// Creates a region entry.
        public init(mask: InputFile, blend: [BlendEntry]) {
            self.mask = mask
            self.blend = blend
        }
    }

    /// The recipe format's version; readers refuse newer versions.
    public static let currentVersion = 1

    /// Format version of this recipe.
    public var version: Int = RenderRecipe.currentVersion
    /// The program that made it, e.g. "atelier 0.1.0".
    public var program: String = AtelierVersion.programName
    /// The model family's id ("ust16x", "magenta", "cin26"); nil in recipes written before
    /// there were families, which means "ust16x".
    public var model: String?
    /// The photo.
    public var content: InputFile
    /// Every style image used anywhere (none for a family with built-in styles, whose blend
    /// entries then name built-ins by number) (the default blend or a region).
    public var styles: [InputFile]
    /// The blend used wherever no region applies.
    public var blend: [BlendEntry]
    /// Spatial regions, possibly empty.
    public var regions: [RegionEntry]
    /// Content-style trade-off in [0, 1].
    public var alpha: Float
    /// AdaIN or WCT.
    public var transform: FeatureTransform
    /// Fast (level 4) or full (levels 5 to 1).
    public var quality: Quality
    /// Colour preservation.
    public var preserveColor: ColorPreservation
    /// Longer side of the photo before stylizing (nil: its own size).
    public var size: Int?
    /// Longer side of each style image before stylizing (nil: its own size).
    public var styleSize: Int?
    /// Largest image accepted, in pixels.
    public var maxPixels: Int
    /// Tile edge in pixels asked for (`--tile`); nil lets the memory budget decide, and small
    /// images are then stylized in one piece.
    public var tile: Int?
    /// Memory budget in bytes asked for (`--memory`); nil means `TilingOptions.defaultMemory`.
    public var memory: Int?
    /// The photo's enlargement by an upscaler before stylization (`--upscale-photo`), if any.
    public var upscale: PhotoUpscale?
    /// How the render ran, filled in by `RenderJob`: a replay of the recipe runs the same way
    /// (same tiles, same budget), so it reproduces the image bit for bit.
    public var execution: RenderExecution?
    /// The Gatys-style polish run on the feed-forward result (`--polish N`); nil: none.
    public var polish: PolishSettings?
    /// A video's temporal stability (`--stability`, 0 to 1, see `ClipRender`); nil for photos.
    public var stability: Float?
    /// SHA-256 of every model file used, by file name.
    public var modelFiles: [String: String]
    /// Where the PNG was written (absolute path).
    public var output: String
    /// SHA-256 of the PNG written (empty before the render).
    public var outputSHA256: String

    /// Creates a recipe; hashes are filled in by `RenderJob`.
    public init(model: String? = nil, content: InputFile, styles: [InputFile], blend: [BlendEntry], regions: [RegionEntry] = [],
                alpha: Float = 1, transform: FeatureTransform = .adain, quality: Quality = .fast,
                preserveColor: ColorPreservation = .off, size: Int? = nil, styleSize: Int? = RenderRecipe.defaultStyleSize,
                maxPixels: Int = 100_000_000, tile: Int? = nil, memory: Int? = nil, output: String) {
        self.model = model
        self.content = content
        self.styles = styles
        self.blend = blend
        self.regions = regions
        self.alpha = alpha
        self.transform = transform
        self.quality = quality
        self.preserveColor = preserveColor
        self.size = size
        self.styleSize = styleSize
        self.maxPixels = maxPixels
        self.tile = tile
        self.memory = memory
        self.modelFiles = [:]
        self.output = output
        self.outputSHA256 = ""
    }

    /// Style images are scaled to this longer side unless told otherwise: the scale of the
    /// style's brush work then does not depend on how large the painting's file happens to be.
    public static let defaultStyleSize = 512

    /// The stylizer settings this recipe describes (masks are attached by `RenderJob`).
    public var settings: StylizeSettings {
        StylizeSettings(transform: transform, quality: quality, alpha: alpha, color: preserveColor,
                        styles: blend.map { WeightedStyle(index: $0.style, weight: $0.weight) })
    }

    /// The model family the recipe names ("ust16x" when it names none).
    public var family: String { model ?? ModelCatalog.defaultFamilyID }

    /// The recipe path for an output: `<output>.json`.
    public static func recipeURL(forOutput output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".json")
    }

    /// Reads a recipe file.
    public static func load(from url: URL) throws -> RenderRecipe {
        let bytes: [UInt8]
        do { bytes = try RegularFile.bytes(url.path, limit: 64 << 20) } catch {
            throw RenderJobError.unreadableRecipe(path: url.path, reason: "cannot read the file (\(error))")
        }
        return try decode(Data(bytes), path: url.path)
    }

    /// The recipe in a recipe file's bytes; `path` names the file in errors.
    public static func decode(_ data: Data, path: String) throws -> RenderRecipe {
        struct VersionProbe: Decodable { var version: Int? }
        guard let probe = try? JSONDecoder().decode(VersionProbe.self, from: data) else {
            throw RenderJobError.unreadableRecipe(path: path, reason: "not a JSON recipe")
        }
        guard let version = probe.version, (1...currentVersion).contains(version) else {
            throw RenderJobError.unreadableRecipe(path: path,
                                                  reason: "recipe version \(probe.version.map(String.init) ?? "missing") is not supported (this atelier reads version \(currentVersion))")
        }
        do { return try JSONDecoder().decode(RenderRecipe.self, from: data).validated(path: path) } catch let error as DecodingError {
            throw RenderJobError.unreadableRecipe(path: path, reason: error.fieldDescription)
        }
    }

    /// The recipe as pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// How a render ran: in one piece or in tiles of a given size, under a memory budget.
public struct RenderExecution: Codable, Equatable, Sendable {
    /// Tile edge in pixels; nil when the image was stylized in one piece.
    public var tile: Int?
    /// The memory budget in bytes the render was planned for.
    public var memory: Int

    /// Creates a description of how a render runs.
    public init(tile: Int?, memory: Int) {
        self.tile = tile
        self.memory = memory
    }
}

/// The program's name and version, as recorded in recipes and printed by `--version`.
public enum AtelierVersion {
    /// Semantic version of this build.
    public static let version = "0.1.0"
    /// "atelier <version>".
    public static let programName = "atelier \(version)"
}
