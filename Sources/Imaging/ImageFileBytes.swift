#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The raw bytes of a file on disk, read with POSIX calls so every failure maps to an
/// `ImageFileError` naming the file.
enum ImageFileBytes {
    /// Files beyond this are refused (it also stops endless sources such as /dev/zero).
    static let maximumSize = 1 << 32

    /// Reads the whole file at `url`.
    static func load(_ url: URL) throws -> [UInt8] {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw ImageFileError.missing(path: path) }
            throw ImageFileError.unreadable(path: path, reason: describe(code))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ImageFileError.unreadable(path: path, reason: describe(errno))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImageFileError.unreadable(path: path, reason: "it is a folder, not a file")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(max(Int(info.st_size), 0))
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ImageFileError.unreadable(path: path, reason: describe(errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > maximumSize {
                throw ImageFileError.unreadable(path: path, reason: "it is larger than 4 GiB, too large for an image")
            }
        }
        if bytes.isEmpty { throw ImageFileError.empty(path: path) }
        return bytes
    }

    /// The C library's message for an errno value, e.g. "Permission denied".
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
