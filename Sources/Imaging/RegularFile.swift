#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reading input files safely: only regular files are read, and opening never blocks, so a
/// FIFO, a terminal or a device given as a photo, style, mask or model file is a clear error
/// instead of a hang (or an endless read from /dev/zero).
public enum RegularFile {
    /// Why a path could not be opened as a regular file, worded for the user.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Nothing at the path.
        case missing
        /// The path is a folder.
        case folder
        /// The path is a device, FIFO or socket.
        case notRegular(kind: String)
        /// The system refused (permissions, I/O error...).
        case failed(reason: String)
        /// The file is larger than the caller accepts.
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .missing: return "no such file"
            case .folder: return "it is a folder, not a file"
            case .notRegular(let kind): return "it is a \(kind), not a regular file"
            case .failed(let reason): return reason
            case .tooLarge(let limit): return "it is larger than " + (limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit) bytes")
            }
        }
    }

    /// Opens `path` for reading. A FIFO without a writer cannot block the call (O_NONBLOCK),
    /// and anything but a regular file is refused. The caller closes the descriptor.
    public static func descriptor(_ path: String) throws -> Int32 {
        let fd = open(PathBytes.cString(path), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw Problem.missing }
            if code == EISDIR { throw Problem.folder }
            throw Problem.failed(reason: String(cString: strerror(code)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Problem.failed(reason: reason)
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(fd)
            switch kind {
            case S_IFDIR: throw Problem.folder
            case S_IFIFO: throw Problem.notRegular(kind: "FIFO (named pipe)")
            case S_IFCHR: throw Problem.notRegular(kind: "character device")
            case S_IFBLK: throw Problem.notRegular(kind: "block device")
            default: throw Problem.notRegular(kind: "socket")
            }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Reads the whole regular file at `path`, refusing files larger than `limit` bytes.
    public static func bytes(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = try descriptor(path)
        defer { close(fd) }
        var bytes = [UInt8]()
        var info = stat()
        if fstat(fd, &info) == 0 {
            guard Int(info.st_size) <= limit else { throw Problem.tooLarge(limit: limit) }
            bytes.reserveCapacity(max(Int(info.st_size), 0))
        }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Problem.failed(reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            guard bytes.count <= limit else { throw Problem.tooLarge(limit: limit) }
        }
        return bytes
    }
}
