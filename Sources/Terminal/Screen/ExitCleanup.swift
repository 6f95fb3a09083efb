#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files to delete if the program is killed (SIGINT, SIGTERM, SIGHUP, SIGQUIT) while they are
/// half-made, e.g. the mask an export writes before its picture. The paths are kept in a fixed
/// buffer so the signal handler can `unlink` them without allocating.
public enum ExitCleanup {
    static let slots = 4
    static let pathCapacity = 4096
    static let buffer: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: slots * pathCapacity)
        p.initialize(repeating: 0, count: slots * pathCapacity)
        return p
    }()

    /// Deletes `path` if the program is killed before `keep(_:)` is called for it.
    public static func removeIfKilled(_ path: String) {
        let bytes = Array(path.utf8CString)
        guard bytes.count <= pathCapacity else { return }
        for slot in 0..<slots where buffer[slot * pathCapacity] == 0 {
            for (i, b) in bytes.enumerated().reversed() { buffer[slot * pathCapacity + i] = b }  // first byte last
            return
        }
    }

    /// `path` is complete (or gone): keep it on a kill.
    public static func keep(_ path: String) {
        for slot in 0..<slots where String(cString: buffer + slot * pathCapacity) == path {
            buffer[slot * pathCapacity] = 0
        }
    }

    /// Called by the signal handler: unlinks every registered path.
    static func removeAll() {
        for slot in 0..<slots where buffer[slot * pathCapacity] != 0 {
            unlink(buffer + slot * pathCapacity)
        }
    }
}
