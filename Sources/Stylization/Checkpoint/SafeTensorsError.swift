/// Why a safetensors file could not be read or written. Each description is one line naming the file.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file could not be written.
    case unwritable(path: String, reason: String)
    /// The header length or the JSON header is invalid.
    case invalidHeader(path: String, reason: String)
    /// A tensor's byte range lies outside the data, overlaps another or does not match its shape.
    case invalidOffsets(path: String, tensor: String, reason: String)
    /// A tensor is not float32.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// A tensor handed to the writer cannot be stored.
    case invalidTensor(name: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .invalidHeader(let path, let reason):
            return "\(path) is not a valid safetensors file: \(reason)"
        case .invalidOffsets(let path, let tensor, let reason):
            return "\(path) is not a valid safetensors file: tensor '\(tensor)': \(reason)"
        case .unsupportedDType(let path, let tensor, let dtype):
            return "\(path): tensor '\(tensor)' is \(dtype); only F32 is supported"
        case .invalidTensor(let name, let reason):
            return "cannot store tensor '\(name)': \(reason)"
        }
    }
}
