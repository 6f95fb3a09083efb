import Foundation

/// Writes files so a reader sees the old contents or the new, never half of either.
enum AtomicFile {
    /// Writes `data` to a temporary file beside `url`, flushes it, and renames it over `url`.
    static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SessionFileError.unwritable(path: url.path, reason: "cannot create folder \(folder.path)")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw SessionFileError.unwritable(path: url.path, reason: "folder is not writable")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SessionFileError.unwritable(path: url.path, reason: "disk full or write refused")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw SessionFileError.unwritable(path: url.path, reason: reason)
        }
    }
}
