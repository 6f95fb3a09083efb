import Foundation

/// Timestamps of what the workstation does, one line each, for measuring latency
/// (`ATELIER_TRACE=/path/to/file`): `<milliseconds since start> <event> <details>`.
///
/// Events: `key <name>` when a key is read, `submit <generation>` when a command started a
/// render, `frame <generation> <quick|full> <render ms>` when a picture was polled,
/// `drawn <generation> <quick|full>` when its bytes were written to the terminal, `refresh`
/// when ncurses sent a frame, `export <state>` for export starts and ends.
public final class TraceLog {
    private let handle: FileHandle
    private let start = DispatchTime.now().uptimeNanoseconds

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

    /// Writes one line stamped with the time since the log was opened.
    public func note(_ event: String) {
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        handle.write(Data((String(format: "%.3f ", ms) + event + "\n").utf8))
    }
}
