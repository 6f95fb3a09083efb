/// Why a zip archive (a Python wheel) or one of its members could not be read. Each description
/// is one line naming the archive (and the member, when there is one).
public enum ZipArchiveError: Error, Equatable, CustomStringConvertible {
    /// The archive's structure is broken: truncated, or a record points outside the file.
    case malformed(archive: String, detail: String)
    /// A member name is unsafe (absolute, `..`, backslash, NUL) or not valid UTF-8.
    case unsafeName(archive: String, name: String)
    /// The archive holds no member of this name.
    case memberMissing(archive: String, member: String)
    /// A member declares more bytes than the caller allows.
    case memberTooLarge(archive: String, member: String, bytes: Int, limit: Int)
    /// A member uses a compression method other than stored or deflate, or encryption.
    case unsupportedMethod(archive: String, member: String, method: Int)
    /// A member's compressed data does not inflate to its declared size, or its CRC-32 differs.
    case corruptMember(archive: String, member: String, detail: String)

    public var description: String {
        switch self {
        case .malformed(let archive, let detail):
            return "\(archive) is not a readable zip archive (\(detail)): the file is truncated or damaged; fetch it again"
        case .unsafeName(let archive, let name):
            return "\(archive) holds a member with an unsafe name \(name.debugDescription): refusing to read it"
        case .memberMissing(let archive, let member):
            return "\(archive) has no member \(member): not the expected archive"
        case .memberTooLarge(let archive, let member, let bytes, let limit):
            return "\(member) in \(archive) declares \(bytes) bytes, more than the \(limit) allowed: not the expected archive"
        case .unsupportedMethod(let archive, let member, let method):
            return "\(member) in \(archive) uses compression method \(method) (only stored and deflate are read)"
        case .corruptMember(let archive, let member, let detail):
            return "\(member) in \(archive) is damaged (\(detail)): fetch the archive again"
        }
    }
}
