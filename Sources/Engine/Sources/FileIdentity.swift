#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Imaging
import Stylization

/// Gives each file a content identity (its SHA-256), hashing a file only once while its
/// modification time and size stay the same. Safe to call from any thread.
public final class FileIdentity: @unchecked Sendable {
    private struct Stamp: Equatable {
        var modified: Date
        var size: Int
    }

    private let lock = NSLock()
    private var known: [String: (stamp: Stamp, digest: String)] = [:]
    private var hashCount = 0

    /// Creates an empty identity table.
    public init() {}

    /// How many times a file was actually read and hashed (the rest came from the table).
    public var filesHashed: Int { lock.withLock { hashCount } }

    /// The lowercase hex SHA-256 of the file at `path`.
    public func digest(ofFileAt path: String) throws -> String {
        let stamp = try Self.stamp(of: path)
        if let entry = lock.withLock({ known[path] }), entry.stamp == stamp { return entry.digest }
        let digest: String
        do {
            digest = try SHA256.hex(ofFile: URL(fileURLWithPath: path))
        } catch {
            // Keep the reason ("it is a FIFO (named pipe), not a regular file", "Permission denied").
            throw SourceError.unreadable(path: path, reason: (error as? SHA256.FileError)?.reason ?? "cannot be read")
        }
        lock.withLock {
            known[path] = (stamp, digest)
            hashCount += 1
        }
        return digest
    }

    private static func stamp(of path: String) throws -> Stamp {
        // stat(2) on the path's bytes (PathBytes): names that are not UTF-8 are found too.
        var info = stat()
        guard stat(PathBytes.cString(path), &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw SourceError.missing(path: path) }
            throw SourceError.unreadable(path: path, reason: "cannot be inspected")
        }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw SourceError.unreadable(path: path, reason: "is a folder") }
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        return Stamp(modified: modified, size: Int(info.st_size))
    }
}

/// Why a source file could not be used; one line for the status bar, naming the file.
public enum SourceError: Error, Equatable, CustomStringConvertible {
    /// No file at the path.
    case missing(path: String)
    /// The file exists but cannot be read or decoded.
    case unreadable(path: String, reason: String)
    /// The decoder refused the file; `message` is its own one-line explanation.
    case undecodable(path: String, message: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "\(Self.name(path)): no such file (check the path)"
        case .unreadable(let path, let reason):
            return "\(Self.name(path)): \(reason)"
        case .undecodable(let path, let message):
            return message.contains(Self.name(path)) ? message : "\(Self.name(path)): \(message)"
        }
    }

    /// The file's name, which is what fits on a status bar.
    static func name(_ path: String) -> String {
        let last = (path as NSString).lastPathComponent
        return last.isEmpty ? path : last
    }
}
