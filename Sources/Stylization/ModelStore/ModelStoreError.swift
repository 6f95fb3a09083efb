/// Why installing, verifying or loading the model failed. Each description is one line that
/// names the file and says what to do.
public enum ModelStoreError: Error, Equatable, CustomStringConvertible {
    /// The folder given as the weights source does not exist.
    case sourceNotFound(directory: String)
    /// An original checkpoint is not in the source folder.
    case sourceFileMissing(file: String, directory: String)
    /// An original checkpoint could not be downloaded.
    case downloadFailed(file: String, url: String, reason: String)
    /// An original checkpoint has the wrong size (truncated or a different file).
    case sizeMismatch(file: String, expected: Int, actual: Int)
    /// An original checkpoint's SHA-256 is not the pinned one.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// An original checkpoint passed the checks but could not be converted.
    case unconvertible(file: String, reason: String)
    /// A file in the model folder could not be written.
    case writeFailed(path: String, reason: String)
    /// The converted model is missing, corrupt or unreadable.
    case modelUnavailable(String)
    /// The requested level is not 1 ... 5.
    case invalidLevel(Int)

    public var description: String {
        switch self {
        case .sourceNotFound(let directory):
            return "weights folder \(directory) does not exist: give the folder that holds se1.pth ... sd5.pth"
        case .sourceFileMissing(let file, let directory):
            return "\(file) is missing from \(directory): put the model files there (or in its ust16x/, magenta/ "
                + "subfolder) or install without --from"
        case .downloadFailed(let file, let url, let reason):
            return "could not download \(file) from \(url) (\(reason)): fetch the ten .pth files by hand and run "
                + "`atelier models install --from DIR`"
        case .sizeMismatch(let file, let expected, let actual):
            return "\(file) is \(actual) bytes, expected \(expected): the file is truncated or not the expected "
                + "model file; fetch it again and re-run `atelier models install`"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file) has SHA-256 \(actual), expected \(expected): the file is damaged or not the expected "
                + "model file; fetch it again and re-run `atelier models install`"
        case .unconvertible(let file, let reason):
            return "\(file) cannot be converted: \(reason)"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .modelUnavailable(let why):
            return why
        case .invalidLevel(let level):
            return "model level \(level) does not exist: levels are 1 to 5"
        }
    }
}
