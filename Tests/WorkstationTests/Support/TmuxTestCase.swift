import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What every test of the real binary in tmux shares: a fresh folder per test (where the program
/// is started, so exports and saved sessions land there), the tmux sessions closed and the
/// folder removed afterwards, the private model home removed after the class, and readers of
/// what the screen shows.
class TmuxTestCase: XCTestCase {
    /// The sessions started by `launch`, closed in `tearDown`.
    var sessions: [TmuxSession] = []
    /// The test's own folder (the program's current folder).
    var folder: URL!

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (apt-get install tmux)") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override class func tearDown() {
        AtelierInstall.removeHome()
        super.tearDown()
    }

    override func tearDown() {
        for session in sessions { session.close() }
        sessions = []
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Starts `atelier arguments` in `directory` (default: the test's folder) with
    /// TERM=xterm-256color and a home where the model is installed (unless `home` is given).
    /// `program` replaces the built binary's path (e.g. a name found through `environment`'s PATH).
    func launch(_ arguments: [String], columns: Int = 80, rows: Int = 24, home: URL? = nil, directory: URL? = nil,
                program: String? = nil, environment: [String] = []) throws -> TmuxSession {
        let home = try home ?? AtelierInstall.home()
        let words = ["env", "TERM=xterm-256color", "ATELIER_HOME=\(home.path)"] + environment
            + [program ?? AtelierInstall.binary.path] + arguments
        let session = try TmuxSession(columns: columns, rows: rows, directory: directory ?? folder, command: words)
        sessions.append(session)
        return session
    }

    /// The program's process id: the child of the pane's shell.
    func programID(_ tmux: TmuxSession, file: StaticString = #filePath, line: UInt = #line) throws -> pid_t {
        let shell = Int32(tmux.format("#{pane_pid}")) ?? 0
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        // Never 0 or negative: kill(0, ...) would signal the test's own process group.
        return try XCTUnwrap(children.split(separator: " ").compactMap { Int32($0) }.first { $0 > 0 },
                             "the program runs under the pane's shell", file: file, line: line)
    }

    /// The number after "render #" in the status bar, or 0.
    func renderNumber(_ screen: String) -> Int {
        guard let range = screen.range(of: #"render #(\d+)"#, options: .regularExpression) else { return 0 }
        return Int(screen[range].dropFirst("render #".count)) ?? 0
    }

    /// The value shown on the Alpha row.
    func alpha(_ screen: String) -> String? {
        guard let range = screen.range(of: #"Alpha[^0-9]*[0-9]\.[0-9]{2}"#, options: .regularExpression) else { return nil }
        return String(screen[range].suffix(4))
    }

    /// The last three lines: the status bar and the pane border above it.
    func statusLines(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).suffix(3).joined(separator: "\n")
    }
}
