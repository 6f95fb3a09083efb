import Foundation

/// The raw bytes of an image file, read through `RegularFile` so every failure maps to an
/// `ImageFileError` naming the file (and devices and FIFOs are refused, never read).
enum ImageFileBytes {
    /// Files beyond this are refused.
    static let maximumSize = 1 << 32

    /// Reads the whole file at `url`.
    static func load(_ url: URL) throws -> [UInt8] {
        let path = url.path
        let bytes: [UInt8]
        do { bytes = try RegularFile.bytes(path, limit: maximumSize) } catch let problem as RegularFile.Problem {
            switch problem {
            case .missing: throw ImageFileError.missing(path: path)
            case .tooLarge: throw ImageFileError.unreadable(path: path, reason: "it is larger than 4 GiB, too large for an image")
            default: throw ImageFileError.unreadable(path: path, reason: problem.description)
            }
        }
        if bytes.isEmpty { throw ImageFileError.empty(path: path) }
        return bytes
    }
}
