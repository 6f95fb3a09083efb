import Foundation
import Imaging

/// The gallery as files: which paintings, at what size and seed, and how they are written.
///
/// `atelier styles generate` is a thin shell over this type, and the tests use it to check that
/// the committed `Styles/` folder is exactly what the generators produce.
public struct StyleGallery: Sendable {
    /// Edge length of every (square) painting, in pixels.
    public let size: Int
    /// The seed every painting is generated with.
    public let seed: UInt64
    /// The paintings in the gallery, in catalog order.
    public let paintings: [any StylePainting]

    /// Smallest and largest edge length accepted.
    public static let sizeRange = 16...4096

    /// A gallery of `paintings` (default: the whole catalog) at `size` and `seed`.
    public init(size: Int = StyleCatalog.defaultSize, seed: UInt64 = StyleCatalog.defaultSeed,
                paintings: [any StylePainting] = StyleCatalog.all) throws {
        guard Self.sizeRange.contains(size) else {
            throw StyleGalleryError.invalidSize(size)
        }
        self.size = size
        self.seed = seed
        self.paintings = paintings
    }

    /// The file name of a painting: `<name>.png`.
    public static func fileName(for painting: any StylePainting) -> String {
        "\(painting.name).png"
    }

    /// Paints one picture of the gallery.
    public func render(_ painting: any StylePainting) -> RGBImage {
        painting.paint(width: size, height: size, seed: seed)
    }

    /// Paints every picture and writes it as `<name>.png` into `folder` (created if needed),
    /// calling `report` after each file with its URL and the seconds spent painting it.
    @discardableResult
    public func write(to folder: URL, report: (URL, Double) -> Void = { _, _ in }) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StyleGalleryError.cannotCreateFolder(path: folder.path, reason: FileErrorText.reason(for: error))
        }
        var written: [URL] = []
        for painting in paintings {
            let start = Date()
            let image = render(painting)
            let seconds = Date().timeIntervalSince(start)
            let url = folder.appendingPathComponent(Self.fileName(for: painting))
            try ImageFile.writePNG(image, to: url)
            written.append(url)
            report(url, seconds)
        }
        return written
    }

    /// The text of `CREDITS.md`: where every image comes from and its licence.
    public var credits: String {
        var text = """
        # Style images

        Every image in this folder is a procedural painting made by Atelier itself: pure Swift
        code in `Sources/ProceduralStyles`, no photographs, scans or third-party artwork. They are
        regenerated bit for bit with

            atelier styles generate --size \(size) --seed \(seed)

        Made by the Atelier project and dedicated to the public domain under CC0 1.0
        (https://creativecommons.org/publicdomain/zero/1.0/). Use them for anything.

        | File | Title | Size | Seed | What it shows |
        | --- | --- | --- | --- | --- |

        """
        for painting in paintings {
            text += "| `\(Self.fileName(for: painting))` | \(painting.title) | \(size)x\(size) | \(seed) | \(painting.summary) |\n"
        }
        return text
    }
}

/// Why the gallery could not be made. Every description says what to do.
public enum StyleGalleryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The requested edge length is outside `StyleGallery.sizeRange`.
    case invalidSize(Int)
    /// No painting has the requested name.
    case unknownPainting(String)
    /// The output folder could not be created.
    case cannotCreateFolder(path: String, reason: String)

    /// A one-line, user-facing explanation.
    public var description: String {
        switch self {
        case .invalidSize(let size):
            return "invalid size \(size): choose an edge length from \(StyleGallery.sizeRange.lowerBound) to \(StyleGallery.sizeRange.upperBound) pixels"
        case .unknownPainting(let name):
            return "no style named '\(name)': choose one of \(StyleCatalog.names.joined(separator: ", "))"
        case .cannotCreateFolder(let path, let reason):
            return "cannot create folder \(path): \(reason) (check the path and permissions)"
        }
    }
}
