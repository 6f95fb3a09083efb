/// Why a legacy torch checkpoint could not be read. Each description is one line naming the file.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file is a zip-format checkpoint (PyTorch 1.6 and later), not the legacy format.
    case zipFormat(path: String)
    /// The file does not start like a legacy torch checkpoint.
    case notLegacyCheckpoint(path: String, reason: String)
    /// The file ends before the data it announces.
    case truncated(path: String, detail: String)
    /// The file's structure is inconsistent.
    case malformed(path: String, detail: String)
    /// The file uses something this reader deliberately does not support.
    case unsupported(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read checkpoint \(path): \(reason)"
        case .zipFormat(let path):
            return "\(path) is a zip-format torch checkpoint (PyTorch 1.6 or later); only the legacy "
                + "format is supported: use the original upstream file"
        case .notLegacyCheckpoint(let path, let reason):
            return "\(path) is not a legacy torch checkpoint (\(reason))"
        case .truncated(let path, let detail):
            return "\(path) is truncated (\(detail)): fetch the file again"
        case .malformed(let path, let detail):
            return "\(path) is not a valid checkpoint: \(detail)"
        case .unsupported(let path, let detail):
            return "\(path) cannot be read: \(detail)"
        }
    }
}
