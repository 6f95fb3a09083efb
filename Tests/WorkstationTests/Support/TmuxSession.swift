import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server running one command in a detached session of a given size: keys are
/// sent with send-keys and the screen is read with capture-pane. The server is killed on `close`.
final class TmuxSession {
    let socket = "atelier-test-\(UUID().uuidString.prefix(12))"
    private var closed = false
    private let config: URL

    /// Whether tmux can be run here.
    static var isAvailable: Bool {
        (try? run(["-V"]))?.status == 0
    }

    /// Printed by the shell around the program when it ends: "ATELIER-EXITED <status>".
    static let exitMarker = "ATELIER-EXITED"

    /// Starts `command` (program and arguments) in `directory` at `columns` x `rows`, through a shell
    /// that ignores SIGINT itself (the program installs its own handler) and prints the exit marker
    /// with the program's status when it ends; the pane stays open after that.
    init(columns: Int, rows: Int, directory: URL, command: [String]) throws {
        config = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).conf")
        try "set -g remain-on-exit on\nset -g status off\n".write(to: config, atomically: true, encoding: .utf8)
        // The server started here outlives the command: it is started through system(3) so that no
        // pipe or child-process monitor of Foundation waits for it.
        let script = "trap '' INT; " + command.map(shellQuoted).joined(separator: " ")
            + "; echo \(Self.exitMarker) $?; exec sleep 600"
        let words = ["tmux", "-L", socket, "-f", config.path, "new-session", "-d", "-x", "\(columns)", "-y", "\(rows)",
                     "-c", directory.path, "sh", "-c", script]
        let status = system(words.map(shellQuoted).joined(separator: " ") + " </dev/null >/dev/null 2>&1")
        guard status == 0 else { throw TmuxError(message: "tmux new-session failed (status \(status))") }
    }

    /// The program's exit status once it has ended, else nil.
    var exitStatus: Int32? {
        let text = screen()
        guard let range = text.range(of: "\(Self.exitMarker) -?[0-9]+", options: .regularExpression) else { return nil }
        return Int32(text[range].split(separator: " ").last ?? "")
    }

    /// Polls until the program has ended; returns its exit status (nil on timeout, which fails the test).
    func waitForExit(timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = exitStatus { return status }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("the program did not end; screen:\n\(screen())", file: file, line: line)
        return nil
    }

    deinit { close() }

    /// Kills the server.
    func close() {
        guard !closed else { return }
        closed = true
        _ = system("tmux -L \(socket) kill-server </dev/null >/dev/null 2>&1")
        try? FileManager.default.removeItem(at: config)
        // tmux 3.3 leaves the socket file behind.
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        try? FileManager.default.removeItem(atPath: "\(folder)/tmux-\(getuid())/\(socket)")
    }

    /// Types keys (tmux key names: "Tab", "Enter", "Escape", "C-r", or literal text).
    func send(_ keys: String...) {
        _ = try? Self.run(["-L", socket, "send-keys", "-t", "0"] + keys)
    }

    /// Types `text` literally.
    func type(_ text: String) {
        _ = try? Self.run(["-L", socket, "send-keys", "-t", "0", "-l", text])
    }

    /// The pane's text now.
    func screen() -> String {
        (try? Self.run(["-L", socket, "capture-pane", "-p", "-t", "0"]))?.output ?? ""
    }

    /// The pane's text now, with its colours as SGR sequences when `escapes` is set.
    func capture(escapes: Bool) -> String {
        (try? Self.run(["-L", socket, "capture-pane", "-p", "-t", "0"] + (escapes ? ["-e"] : [])))?.output ?? ""
    }

    /// A tmux format value for the pane, e.g. "#{alternate_on}".
    func format(_ format: String) -> String {
        ((try? Self.run(["-L", socket, "display-message", "-p", "-t", "0", format]))?.output ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Resizes the window (the program gets SIGWINCH).
    func resize(columns: Int, rows: Int) {
        _ = try? Self.run(["-L", socket, "resize-window", "-t", "0", "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// Polls the screen until `condition` holds or `timeout` seconds pass; returns the last screen
    /// and fails the test (with the screen) on timeout.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = screen()
        while !condition(text) {
            if Date() > deadline {
                XCTFail("timed out waiting for \(what); screen:\n\(text)", file: file, line: line)
                return text
            }
            Thread.sleep(forTimeInterval: 0.05)
            text = screen()
        }
        return text
    }

    /// Waits until the screen contains every one of `parts`.
    @discardableResult
    func waitFor(_ parts: String..., timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) -> String {
        waitFor(parts.joined(separator: ", "), timeout: timeout, file: file, line: line) { screen in
            parts.allSatisfy { screen.contains($0) }
        }
    }

    struct TmuxError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Shell quoting for the command tmux runs.
func shellQuoted(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
