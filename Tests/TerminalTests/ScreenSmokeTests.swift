import Foundation
import XCTest
@testable import Terminal
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real ncurses screen on a pseudo-terminal: what it writes is read from the master side
/// and keys are typed into it.
final class ScreenSmokeTests: XCTestCase {
    private var master: Int32 = -1
    private var slave: Int32 = -1

    override func setUpWithError() throws {
        // posix_openpt/grantpt/unlockpt/ptsname are hidden from Swift by glibc's feature macros:
        // do the same with /dev/ptmx and the Linux ioctls TIOCSPTLCK and TIOCGPTN.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0, number: Int32 = -1
        guard master >= 0, ioctl(master, UInt(0x4004_5431), &unlock) == 0,
              ioctl(master, UInt(0x8004_5430), &number) == 0 else {
            throw XCTSkip("no pseudo-terminals here")
        }
        slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw XCTSkip("cannot open /dev/pts/\(number)") }
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 800, ws_ypixel: 480)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
    }

    override func tearDown() {
        if slave >= 0 { close(slave) }
        if master >= 0 { close(master) }
    }

    /// Everything the screen wrote so far.
    private func drain() -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 100) > 0 else { break }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func type(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    private func nextEvent(_ screen: TerminalScreen) -> KeyEvent? {
        for _ in 0..<40 { if let e = screen.nextEvent() { return e } }
        return nil
    }

    func testDrawsReadsInputAndRestores() throws {
        let options = TerminalScreen.Options(mouse: true, inputDescriptor: slave, outputDescriptor: slave,
                                             terminalType: "xterm-256color")
        let screen = try TerminalScreen.start(theme: Theme.standard, options: options)
        XCTAssertThrowsError(try TerminalScreen.start(theme: Theme.standard, options: options)) {
            XCTAssertEqual($0 as? TerminalScreenError, .alreadyActive)
        }
        XCTAssertEqual(screen.size, CellSize(columns: 80, rows: 24))
        XCTAssertEqual(screen.colorCount, 256)
        XCTAssertEqual(screen.measuredCellPixels(), CellPixelSize(width: 10, height: 20), "800x480 px over 80x24 cells")
        XCTAssertTrue(screen.unicode)

        screen.clear()
        screen.box(CellRect(row: 0, column: 0, columns: 30, rows: 5), title: "Style", focused: true)
        screen.text("Hello, 日本 ✓", row: 1, column: 2, style: .accent)
        XCTAssertEqual(screen.text("clipped at the edge", row: 2, column: 75), 5)
        screen.gauge(row: 3, column: 2, width: 10, fraction: 0.45)
        screen.refresh()
        let frame = drain()
        XCTAssertTrue(frame.contains("\u{1B}[?1049h"), "enters the alternate screen")
        XCTAssertTrue(frame.contains("Hello, 日本 ✓"), frame.debugDescription)
        XCTAssertTrue(frame.contains("╭"), "rounded box corner")
        XCTAssertTrue(frame.contains("Style"))
        XCTAssertTrue(frame.contains("clipp"))
        XCTAssertFalse(frame.contains("clipped"), "text is clipped at the right edge")
        // Gauge at 45% of 10 cells: 4 reversed (solid) spaces, a half block, 5 spaces of track.
        XCTAssertNotNil(frame.range(of: "\u{1B}\\[0;7m(\u{1B}\\[[0-9;]*m)*    \u{1B}", options: .regularExpression),
                        "four solid gauge cells")
        XCTAssertTrue(frame.contains("▌     "), "half-cell tip, then the empty track")
        // The accent colour #5fafd7 is palette entry 74.
        XCTAssertTrue(frame.contains("38;5;74"), "theme colours become 256-colour pairs")

        type("q")
        XCTAssertEqual(nextEvent(screen), .character("q"))
        type("\u{1B}[A")
        XCTAssertEqual(nextEvent(screen), .up)
        type("\u{1B}OP")
        XCTAssertEqual(nextEvent(screen), .function(1))
        type("\u{12}")
        XCTAssertEqual(nextEvent(screen), .ctrl("r"))
        type("é")
        XCTAssertEqual(nextEvent(screen), .character("é"))
        type("\u{1B}[<0;11;4M")
        XCTAssertEqual(nextEvent(screen), .mouse(MouseEvent(row: 3, column: 10, button: .left)))

        var bigger = winsize(ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &bigger)
        raise(SIGWINCH)
        XCTAssertEqual(nextEvent(screen), .resize)
        XCTAssertEqual(screen.size, CellSize(columns: 100, rows: 30))

        screen.clear()
        XCTAssertFalse(screen.drawTooSmallNotice(minimum: CellSize(columns: 80, rows: 24)))
        XCTAssertTrue(screen.drawTooSmallNotice(minimum: CellSize(columns: 120, rows: 40)))
        screen.refresh()
        XCTAssertTrue(drain().contains("Terminal too small"))

        screen.applyTheme(try XCTUnwrap(ThemeCatalog(directories: []).theme(id: "light")))
        screen.clear()
        screen.text("light", row: 0, column: 0)
        screen.refresh()
        XCTAssertTrue(drain().contains("48;5;255"), "light background #f4f4f4 is entry 255")

        screen.stop()
        let after = drain()
        XCTAssertTrue(after.contains("\u{1B}[?1049l"), "leaves the alternate screen: \(after.debugDescription)")
        screen.stop()
        // A new screen can start after the old one stopped.
        let again = try TerminalScreen.start(theme: Theme.standard, options: options)
        again.stop()
        _ = drain()
    }

    func testSignalRestoreWritesResetOnce() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        TerminalRestore.arm(reset: Array("\u{1B}[?1049l\u{1B}[?25h".utf8), outputFD: fds[1], inputFD: slave, shellModes: nil)
        TerminalRestore.restoreNow()
        TerminalRestore.restoreNow()
        TerminalRestore.disarm()
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(fds[0], &buffer, 64)
        XCTAssertEqual(String(decoding: buffer[0..<max(0, n)], as: UTF8.self), "\u{1B}[?1049l\u{1B}[?25h")
    }

    func testRefusesNonTerminals() {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        XCTAssertThrowsError(try TerminalScreen.start(theme: Theme.standard,
                                                      options: .init(inputDescriptor: fds[0], outputDescriptor: fds[1]))) {
            XCTAssertEqual($0 as? TerminalScreenError, .notATerminal)
        }
    }
}
