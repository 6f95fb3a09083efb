/// Why an image file could not be read or written. Every description names the file.
public enum ImageFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Nothing exists at the path.
    case missing(path: String)
    /// The file exists but cannot be opened or read (permissions, a folder, an I/O error).
    case unreadable(path: String, reason: String)
    /// The file has zero bytes.
    case empty(path: String)
    /// The file is a known image format that Atelier does not read (GIF, BMP, ...).
    case unsupportedFormat(path: String, format: String)
    /// The file does not start like any image format Atelier knows.
    case notAnImage(path: String)
    /// The file ends before its image data does (an interrupted download or copy).
    case truncated(path: String)
    /// The file starts like an image but its data is invalid.
    case corrupt(path: String, reason: String)
    /// The header announces more pixels than allowed; nothing was decoded.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// The pixel buffer for an allowed image could not be allocated.
    case outOfMemory(path: String, reason: String)
    /// Writing failed; the destination was left as it was.
    case cannotWrite(path: String, reason: String)

    /// The path of the file concerned.
    public var path: String {
        switch self {
        case .missing(let path), .unreadable(let path, _), .empty(let path),
             .unsupportedFormat(let path, _), .notAnImage(let path), .truncated(let path),
             .corrupt(let path, _), .tooLarge(let path, _, _, _), .outOfMemory(let path, _),
             .cannotWrite(let path, _):
            return path
        }
    }

    /// A one-line, user-facing explanation naming the file and what to do.
    public var description: String {
        switch self {
        case .missing(let path):
            return "cannot read \(path): no such file (check the path)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .empty(let path):
            return "cannot read \(path): the file is empty (0 bytes)"
        case .unsupportedFormat(let path, let format):
            return "cannot read \(path): it is a \(format) image; convert it to PNG, JPEG, WebP, TIFF, HEIC or AVIF"
        case .notAnImage(let path):
            return "cannot read \(path): not a PNG, JPEG, WebP, TIFF, HEIC or AVIF image (the content does not start like one)"
        case .truncated(let path):
            return "cannot read \(path): the file is truncated (it ends before the image does); copy it again"
        case .corrupt(let path, let reason):
            return "cannot read \(path): the image data is corrupt (\(reason))"
        case .tooLarge(let path, let width, let height, let limit):
            return "cannot read \(path): it is \(width)x\(height) = \(width * height) pixels, over the limit of "
                + "\(limit) pixels; --max-pixels raises the limit"
        case .outOfMemory(let path, let reason):
            return "cannot read \(path): out of memory (\(reason)); try a smaller image"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }
}
