import XCTest
import CNcursesw
@testable import Terminal

final class KeyEventTests: XCTestCase {
    func testCharacterCodes() {
        XCTAssertEqual(KeyEvent.decode(character: 97), .character("a"))
        XCTAssertEqual(KeyEvent.decode(character: 0x00E9), .character("é"))
        XCTAssertEqual(KeyEvent.decode(character: 0x1F3A8), .character("🎨"))
        XCTAssertEqual(KeyEvent.decode(character: 9), .tab)
        XCTAssertEqual(KeyEvent.decode(character: 10), .enter)
        XCTAssertEqual(KeyEvent.decode(character: 13), .enter)
        XCTAssertEqual(KeyEvent.decode(character: 27), .escape)
        XCTAssertEqual(KeyEvent.decode(character: 127), .backspace)
        XCTAssertEqual(KeyEvent.decode(character: 8), .backspace)
        XCTAssertEqual(KeyEvent.decode(character: 1), .ctrl("a"))
        XCTAssertEqual(KeyEvent.decode(character: 18), .ctrl("r"))
        XCTAssertEqual(KeyEvent.decode(character: 26), .ctrl("z"))
        XCTAssertEqual(KeyEvent.decode(character: 31), .ctrl("_"))
        XCTAssertNil(KeyEvent.decode(character: 0x85), "C1 controls are not keys")
        XCTAssertNil(KeyEvent.decode(character: 0xD800), "surrogates are not characters")
    }

    func testKeyCodes() {
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_UP), .up)
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_LEFT), .left)
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_BTAB), .backtab)
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_F0 + 1), .function(1))
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_F0 + 12), .function(12))
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_RESIZE), .resize)
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_BACKSPACE), .backspace)
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_DC), .delete)
        XCTAssertEqual(KeyEvent.decode(keyCode: KEY_NPAGE), .pageDown)
        XCTAssertNil(KeyEvent.decode(keyCode: KEY_MOUSE))
    }

    func testMouseStates() {
        XCTAssertEqual(MouseEvent.decode(buttonState: 0x2, row: 3, column: 4), MouseEvent(row: 3, column: 4, button: .left))
        XCTAssertEqual(MouseEvent.decode(buttonState: 0x4, row: 0, column: 0)?.button, .left)
        XCTAssertEqual(MouseEvent.decode(buttonState: 0x800, row: 0, column: 0)?.button, .right)
        XCTAssertEqual(MouseEvent.decode(buttonState: 0x10000, row: 0, column: 0)?.button, .scrollUp)
        XCTAssertEqual(MouseEvent.decode(buttonState: 0x200000, row: 0, column: 0)?.button, .scrollDown)
        XCTAssertNil(MouseEvent.decode(buttonState: 0x1, row: 0, column: 0), "a release is not a press")
    }

    func testNames() {
        XCTAssertEqual(KeyEvent.ctrl("r").name, "Ctrl-R")
        XCTAssertEqual(KeyEvent.character(" ").name, "Space")
        XCTAssertEqual(KeyEvent.function(5).name, "F5")
        XCTAssertEqual(KeyEvent.backtab.name, "Shift-Tab")
        XCTAssertEqual(KeyEvent.alt("x").name, "Alt-x")
    }
}

final class TerminalTextTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual(TerminalText.width("abc"), 3)
        XCTAssertEqual(TerminalText.width("日本"), 4)
        XCTAssertEqual(TerminalText.width("e\u{301}"), 1, "combining accent takes no column")
        XCTAssertEqual(TerminalText.width("🎨"), 2)
        XCTAssertEqual(TerminalText.width("✓"), 1)
        XCTAssertEqual(TerminalText.width("❤\u{FE0F}"), 2)
        XCTAssertEqual(TerminalText.width("─╭"), 2)
    }

    func testTruncationAndPadding() {
        XCTAssertEqual(TerminalText.truncated("starry night", toWidth: 8), "starry …")
        XCTAssertEqual(TerminalText.truncated("short", toWidth: 8), "short")
        XCTAssertEqual(TerminalText.truncated("日本語テキスト", toWidth: 6), "日本…", "a wide character never splits")
        XCTAssertEqual(TerminalText.truncated("abc", toWidth: 0), "")
        XCTAssertEqual(TerminalText.padded("ab", toWidth: 4), "ab  ")
        XCTAssertEqual(TerminalText.padded("abcdef", toWidth: 4), "abc…")
    }

    func testWrapping() {
        XCTAssertEqual(TerminalText.wrapped("the quick brown fox jumps", toWidth: 10), ["the quick", "brown fox", "jumps"])
        XCTAssertEqual(TerminalText.wrapped("abcdefghijkl", toWidth: 5), ["abcde", "fghij", "kl"])
        XCTAssertEqual(TerminalText.wrapped("a\n\nb", toWidth: 5), ["a", "", "b"])
    }

    func testGaugeCells() {
        XCTAssertEqual(String(Gauge.cells(fraction: 0.5, width: 10)), "█████     ")
        XCTAssertEqual(String(Gauge.cells(fraction: 0.5625, width: 4)), "██▎ ")
        XCTAssertEqual(String(Gauge.cells(fraction: 1.7, width: 3)), "███")
        XCTAssertEqual(String(Gauge.cells(fraction: -1, width: 3)), "   ")
        XCTAssertEqual(String(Gauge.cells(fraction: .nan, width: 2)), "  ")
        XCTAssertEqual(String(Gauge.cells(fraction: 0.01, width: 10)), "▏         ")
        XCTAssertEqual(String(Gauge.cells(fraction: 0.5, width: 6, unicode: false)), "###---")
    }

    func testTooSmallNotice() {
        let lines = TooSmallNotice.lines(size: CellSize(columns: 60, rows: 20), minimum: CellSize(columns: 80, rows: 24))
        XCTAssertEqual(lines.map(\.text)[1], "60x20 now, 80x24 needed")
        XCTAssertTrue(CellSize(columns: 80, rows: 24).contains(CellSize(columns: 80, rows: 24)))
        XCTAssertFalse(CellSize(columns: 79, rows: 30).contains(CellSize(columns: 80, rows: 24)))
    }
}
