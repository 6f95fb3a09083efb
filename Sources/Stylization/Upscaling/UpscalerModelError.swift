/// Why an upscaling model could not be read, converted or run; worded for the user, naming the file.
public enum UpscalerModelError: Error, CustomStringConvertible, Equatable {
    /// The .param text is not a graph this reader accepts.
    case malformedGraph(file: String, line: Int, reason: String)
    /// The .bin ended before a layer's data.
    case truncatedWeights(file: String, offset: Int, needed: Int, what: String)
    /// The .bin has bytes no layer reads.
    case trailingWeights(file: String, bytes: Int)
    /// A layer type or option outside what the upscaling networks use.
    case unsupported(file: String, what: String)
    /// The graph is inconsistent (unknown blob, channel mismatch, missing output...).
    case badGraph(file: String, reason: String)
    /// The input image is too small for the network's padding.
    case imageTooSmall(width: Int, height: Int, minimum: Int)

    /// One line for the user.
    public var description: String {
        switch self {
        case .malformedGraph(let file, let line, let reason):
            return "\(file): line \(line): \(reason)"
        case .truncatedWeights(let file, let offset, let needed, let what):
            return "\(file): ends at byte \(offset) but \(what) needs \(needed) more bytes (truncated or not the matching .bin)"
        case .trailingWeights(let file, let bytes):
            return "\(file): \(bytes) bytes left over after the last layer (not the matching .bin)"
        case .unsupported(let file, let what):
            return "\(file): \(what) is not supported by Atelier's upscaler"
        case .badGraph(let file, let reason):
            return "\(file): \(reason)"
        case .imageTooSmall(let width, let height, let minimum):
            return "upscale: a \(width)x\(height) photo is too small (both sides must be at least \(minimum) pixels)"
        }
    }
}
