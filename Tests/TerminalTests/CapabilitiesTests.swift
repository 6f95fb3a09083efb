import XCTest
@testable import Terminal

/// A terminal that answers queries from a script, recording what it was asked.
private final class ScriptedTerminal: TerminalQueryChannel {
    var answer: (String) -> String
    var window: TerminalWindowSize?
    var requests: [String] = []

    init(window: TerminalWindowSize? = nil, answer: @escaping (String) -> String) {
        self.window = window
        self.answer = answer
    }

    func exchange(_ request: [UInt8], timeoutMilliseconds: Int, until isComplete: ([UInt8]) -> Bool) -> [UInt8] {
        let text = String(decoding: request, as: UTF8.self)
        requests.append(text)
        return Array(answer(text).utf8)
    }

    func windowSize() -> TerminalWindowSize? { window }
}

final class TerminalRepliesTests: XCTestCase {
    func testPrimaryAttributesWithSixel() {
        let replies = TerminalReplies(parsing: Array("\u{1B}[?62;4;6;22c".utf8))
        XCTAssertEqual(replies.primaryAttributes, [62, 4, 6, 22])
        XCTAssertTrue(replies.reportsSixel)
    }

    func testPrimaryAttributesWithoutSixel() {
        let replies = TerminalReplies(parsing: Array("\u{1B}[?1;2c".utf8))
        XCTAssertEqual(replies.primaryAttributes, [1, 2])
        XCTAssertFalse(replies.reportsSixel)
        // The class number 4 is not the sixel attribute (a VT132 answers "?4;...c").
        XCTAssertFalse(TerminalReplies(parsing: Array("\u{1B}[?4;6c".utf8)).reportsSixel)
    }

    func testAllRepliesTogetherWithStrayInput() {
        let bytes = "x\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[6;17;8t\u{1B}[4;408;640tq\u{1B}[?1;0;1024S\u{1B}[?65;1;4;9c"
        let replies = TerminalReplies(parsing: Array(bytes.utf8))
        XCTAssertEqual(replies.kittyGraphics, true)
        XCTAssertEqual(replies.cellPixels, CellPixelSize(width: 8, height: 17))
        XCTAssertEqual(replies.textAreaPixels?.width, 640)
        XCTAssertEqual(replies.textAreaPixels?.height, 408)
        XCTAssertEqual(replies.sixelColorRegisters, 1024)
        XCTAssertEqual(replies.primaryAttributes, [65, 1, 4, 9])
        XCTAssertTrue(TerminalReplies.containsPrimaryAttributes(Array(bytes.utf8)))
    }

    func testKittyErrorAndIncompleteReplies() {
        XCTAssertEqual(TerminalReplies(parsing: Array("\u{1B}_Gi=31;ENOTSUPPORTED:no\u{1B}\\".utf8)).kittyGraphics, false)
        XCTAssertNil(TerminalReplies(parsing: Array("\u{1B}_Gi=7;OK\u{1B}\\".utf8)).kittyGraphics)
        XCTAssertFalse(TerminalReplies.containsPrimaryAttributes(Array("\u{1B}[?62;4".utf8)))
        XCTAssertEqual(TerminalReplies(parsing: []), TerminalReplies())
        // An XTSMGRAPHICS failure status is not a register count.
        XCTAssertNil(TerminalReplies(parsing: Array("\u{1B}[?1;3;0S".utf8)).sixelColorRegisters)
    }
}

final class CapabilitiesTests: XCTestCase {
    func testXtermVT340WithSixel() {
        let tty = ScriptedTerminal(window: TerminalWindowSize(columns: 80, rows: 24, pixelWidth: 0, pixelHeight: 0)) { request in
            if request.contains("?1;1;0S") { return "\u{1B}[?1;0;16S\u{1B}[?63;1;2;4;6;9;15;22;29c" }
            return "\u{1B}[6;20;10t\u{1B}[?63;1;2;4;6;9;15;22;29c"
        }
        let caps = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color"], tty: tty)
        XCTAssertTrue(caps.sixel)
        XCTAssertEqual(caps.sixelColorRegisters, 16)
        XCTAssertEqual(caps.cellPixels, CellPixelSize(width: 10, height: 20))
        XCTAssertEqual(caps.colorDepth, .xterm256)
        XCTAssertTrue(caps.answeredQueries)
        XCTAssertEqual(PreviewAdapterKind.best(for: caps), .sixel)
        let adapter = PreviewAdapterKind.best(for: caps).makeAdapter(for: caps)
        XCTAssertEqual((adapter as? SixelAdapter)?.maxColors, 16, "palette limited to the terminal's registers")
        XCTAssertEqual(tty.requests.count, 2)
        XCTAssertTrue(tty.requests[0].hasSuffix("\u{1B}[c"), "DA1 is asked last")
    }

    func testTmux33WithoutSixelGetsSymbolsAndNoKittyQuery() {
        let tty = ScriptedTerminal { _ in "\u{1B}[?1;2c" }
        let env = ["TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,123,0", "TERM_PROGRAM": "tmux"]
        let caps = TerminalCapabilities.detect(environment: env, tty: tty)
        XCTAssertEqual(caps.multiplexer, .tmux)
        XCTAssertFalse(caps.sixel)
        XCTAssertEqual(PreviewAdapterKind.best(for: caps), .symbols)
        XCTAssertFalse(tty.requests[0].contains("\u{1B}_G"), "no kitty query through tmux")
        XCTAssertEqual(tty.requests.count, 1, "no XTSMGRAPHICS without sixel")
    }

    func testTmuxThatDrawsSixelItself() {
        let tty = ScriptedTerminal { r in r.contains("S") ? "\u{1B}[?1;0;256S\u{1B}[?1;2;4c" : "\u{1B}[?1;2;4c" }
        let caps = TerminalCapabilities.detect(environment: ["TERM": "screen-256color", "TMUX": "x"], tty: tty)
        XCTAssertEqual(PreviewAdapterKind.best(for: caps), .sixel)
    }

    func testGnuScreenNeverSixel() {
        let tty = ScriptedTerminal { _ in "\u{1B}[?1;2;4c" }
        let caps = TerminalCapabilities.detect(environment: ["TERM": "screen", "STY": "1234.pts-0"], tty: tty)
        XCTAssertEqual(caps.multiplexer, .screen)
        XCTAssertEqual(caps.colorDepth, .basic)
        XCTAssertEqual(PreviewAdapterKind.best(for: caps), .symbols, "screen shows 16 colours: a colour picture, not grey ASCII")
        XCTAssertEqual((PreviewAdapterKind.symbols.makeAdapter(for: caps) as? SymbolAdapter)?.colorDepth, .basic)
    }

    func testKittyByQueryAndByEnvironment() {
        let tty = ScriptedTerminal(window: TerminalWindowSize(columns: 100, rows: 50, pixelWidth: 900, pixelHeight: 1000)) { _ in
            "\u{1B}_Gi=31;OK\u{1B}\\\u{1B}[?62;c"
        }
        let caps = TerminalCapabilities.detect(environment: ["TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"], tty: tty)
        XCTAssertTrue(caps.kittyGraphics)
        XCTAssertEqual(caps.colorDepth, .trueColor)
        XCTAssertEqual(caps.cellPixels, CellPixelSize(width: 9, height: 20), "from TIOCGWINSZ")
        XCTAssertFalse(tty.requests[0].contains("[16t"), "no need to ask the cell size")
        XCTAssertEqual(PreviewAdapterKind.best(for: caps), .kitty)
        // A terminal that explicitly refuses the kitty query is believed over its name.
        let refusing = ScriptedTerminal { _ in "\u{1B}_Gi=31;EINVAL\u{1B}\\\u{1B}[?62c" }
        XCTAssertFalse(TerminalCapabilities.detect(environment: ["TERM_PROGRAM": "WezTerm"], tty: refusing).kittyGraphics)
    }

    func testEnvironmentOnly() {
        let truecolor = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"], tty: nil)
        XCTAssertEqual(truecolor.colorDepth, .trueColor)
        XCTAssertEqual(truecolor.cellPixels, .fallback)
        XCTAssertFalse(truecolor.answeredQueries)
        XCTAssertEqual(PreviewAdapterKind.best(for: truecolor), .symbols)
        XCTAssertEqual(TerminalCapabilities.detect(environment: ["TERM": "linux"], tty: nil).colorDepth, .basic)
        XCTAssertEqual(TerminalCapabilities.detect(environment: [:], tty: nil).colorDepth, .basic)
        XCTAssertEqual(PreviewAdapterKind.best(for: .detect(environment: ["TERM": "vt100"], tty: nil)), .ascii)
        XCTAssertEqual(TerminalCapabilities.detect(environment: ["TERM": "foot"], tty: nil).colorDepth, .trueColor)
        XCTAssertEqual(TerminalCapabilities.detect(environment: ["TERM": "xterm"], tty: nil).colorDepth, .xterm256)
    }

    func testSilentTerminalKeepsDefaults() {
        let caps = TerminalCapabilities.detect(environment: ["TERM": "xterm-256color"], tty: ScriptedTerminal { _ in "" })
        XCTAssertFalse(caps.answeredQueries)
        XCTAssertFalse(caps.sixel)
        XCTAssertEqual(caps.cellPixels, .fallback)
        XCTAssertTrue(caps.description.contains("no query answers"), caps.description)
    }

    func testCellSizeFromTextAreaWhenOnly14tIsAnswered() {
        let tty = ScriptedTerminal(window: TerminalWindowSize(columns: 80, rows: 24, pixelWidth: 0, pixelHeight: 0)) { _ in
            "\u{1B}[4;480;640t\u{1B}[?62c"
        }
        XCTAssertEqual(TerminalCapabilities.detect(environment: ["TERM": "xterm"], tty: tty).cellPixels,
                       CellPixelSize(width: 8, height: 20))
    }

    func testGraphicsOptionParsing() {
        XCTAssertEqual(PreviewAdapterKind(rawValue: "halfblock"), .halfBlock)
        XCTAssertEqual(PreviewAdapterKind(option: "SIXEL"), .sixel)
        XCTAssertEqual(PreviewAdapterKind(option: "half-block"), .halfBlock)
        XCTAssertNil(PreviewAdapterKind(option: "png"))
        let basic = TerminalCapabilities(term: "vt100", colorDepth: .basic)
        XCTAssertEqual((PreviewAdapterKind.ascii.makeAdapter(for: basic, darkBackground: false) as? AsciiAdapter)?.darkBackground, false)
        XCTAssertEqual((PreviewAdapterKind.kitty.makeAdapter(for: basic, slot: 2) as? KittyAdapter)?.imageID, KittyAdapter.firstImageID + 2)
        XCTAssertEqual((PreviewAdapterKind.halfBlock.makeAdapter(for: basic) as? HalfBlockAdapter)?.colorDepth, .xterm256)
        XCTAssertEqual(PreviewAdapterKind.allCases.map(\.rawValue), ["sixel", "kitty", "symbols", "halfblock", "ascii"])
        XCTAssertEqual(PreviewAdapterKind(option: "chafa"), .symbols)
    }
}
