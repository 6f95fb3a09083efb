import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Timestamps of what the workstation does, one line each, for measuring latency
/// (`ATELIER_TRACE=/path/to/file`): `<wall-clock milliseconds since 1970> <event> <details>`, so
/// a driver that types keys can compare its own clock with the workstation's.
///
/// Events: `key <name>` when a key is read, `submit <generation>` when a command started a
/// render, `frame <generation> <quick|full> <render ms>` when a picture was polled,
/// `drawn <generation><quick|full> <ms writing>` when its bytes were written to the terminal, `refresh`
/// when ncurses sent a frame, `export <state>` for export starts and ends.
public final class TraceLog {
    private let handle: FileHandle
    private let lock = NSLock()

    /// A log appending to `path` (created or truncated); nil when it cannot be opened.
    public init?(path: String) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else { return nil }
        self.handle = handle
    }

    /// The log named by `ATELIER_TRACE` in `environment`, if set and writable.
    public static func fromEnvironment(_ environment: [String: String]) -> TraceLog? {
        guard let path = environment["ATELIER_TRACE"], !path.isEmpty else { return nil }
        return TraceLog(path: path)
    }

    /// Writes one line stamped with the wall-clock time (safe from any thread).
    public func note(_ event: String) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let ms = Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
        let line = Data((String(format: "%.3f ", ms) + event + "\n").utf8)
        lock.withLock { handle.write(line) }
    }
}
