import Foundation
import XCTest

/// What is on screen after every action equals what a fresh full redraw (Ctrl-L) paints: no
/// preview rows left shifted or blank after the panes change height, no strips of an old picture
/// after opening a photo of another shape, no border erased by the help. Cells are compared with
/// their colours (`capture-pane -e`).
final class RedrawConsistencyTests: TmuxTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        for name in ["bridge.jpg", "portrait.jpg"] {
            try FileManager.default.copyItem(at: AtelierInstall.shared.appendingPathComponent("images/content/\(name)"),
                                             to: folder.appendingPathComponent(name))
        }
    }

    /// The pane with colours, once it has stopped changing (renders and encodings finished).
    private func settled(_ tmux: TmuxSession, file: StaticString = #filePath, line: UInt = #line) -> String {
        var last = ""
        var stableSince = Date()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let now = tmux.capture(escapes: true)
            if now != last {
                last = now
                stableSince = Date()
            } else if Date().timeIntervalSince(stableSince) > 0.6 && !now.contains("rendering…") {
                return now
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("the screen never settled:\n\(tmux.screen())", file: file, line: line)
        return last
    }

    /// Sends `keys` (or runs `action`), waits, then checks the screen against a Ctrl-L redraw.
    private func check(_ what: String, _ tmux: TmuxSession, file: StaticString = #filePath, line: UInt = #line,
                       action: () -> Void) -> Int {
        action()
        let before = ScreenCells(captured: settled(tmux, file: file, line: line))
        tmux.send("C-l")
        let after = ScreenCells(captured: settled(tmux, file: file, line: line))
        let differences = before.differences(from: after)
        if !differences.isEmpty {
            XCTFail("after \(what): \(differences.count) cells differ from a full redraw, e.g. "
                    + differences.prefix(6).joined(separator: "; ") + "\n\(tmux.screen())", file: file, line: line)
        }
        return differences.count
    }

    func testEveryActionLeavesWhatAFullRedrawPaints() throws {
        let tmux = try launch(["bridge.jpg"])
        tmux.waitFor("render #")
        var total = 0
        for i in 1...20 { total += check("Tab #\(i)", tmux) { tmux.send("Tab") } }
        // Focus starts on Styles; 20 Tabs over three panes end on Photos, whose cursor is on
        // bridge.jpg; portrait.jpg (another shape) is the next entry.
        total += check("opening portrait.jpg", tmux) { tmux.send("j"); tmux.send("Enter") }
        XCTAssertTrue(tmux.screen().contains("● portrait.jpg"), tmux.screen())
        total += check("opening bridge.jpg", tmux) { tmux.send("k"); tmux.send("Enter") }
        XCTAssertTrue(tmux.screen().contains("● bridge.jpg"), tmux.screen())
        total += check("help", tmux) { tmux.send("?") }
        total += check("closing help", tmux) { tmux.send("Escape") }
        total += check("turning a second style on", tmux) { tmux.send("2") }
        total += check("compare", tmux) { tmux.send("c") }
        total += check("compare off", tmux) { tmux.send("c") }
        total += check("resize to 100x30", tmux) { tmux.resize(columns: 100, rows: 30) }
        total += check("resize to 80x24", tmux) { tmux.resize(columns: 80, rows: 24) }
        XCTAssertEqual(total, 0)
    }
}
