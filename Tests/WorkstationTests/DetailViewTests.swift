import Foundation
import XCTest

/// The 1:1 view in the real binary at 80x24 (symbols, 1x2 pixels per cell): z renders the export
/// in the background, the pane title says where the window is, arrows pan it one quarter of the
/// window (so one picture pixel per half cell), a change of settings renders again, Esc leaves,
/// and the screen always equals a Ctrl-L redraw.
final class DetailViewTests: TmuxTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try FileManager.default.copyItem(at: AtelierInstall.shared.appendingPathComponent("images/content/bridge.jpg"),
                                         to: folder.appendingPathComponent("bridge.jpg"))
    }

    /// The point in the title ("1:1 · x,y of WxH"), or nil.
    private func locator(_ screen: String) -> (x: Int, y: Int, size: String)? {
        guard let range = screen.range(of: #"1:1 · \d+,\d+ of \d+x\d+"#, options: .regularExpression) else { return nil }
        let parts = screen[range].dropFirst("1:1 · ".count).split(separator: " ")
        let xy = parts[0].split(separator: ",").compactMap { Int($0) }
        return (xy[0], xy[1], String(parts[2]))
    }

    /// The preview's interior: the cells right of the Preview box's left border, between its borders.
    private func previewCells(_ tmux: TmuxSession) -> (cells: [[String]], columns: Int, rows: Int) {
        let screen = tmux.screen().split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let left = screen[0].firstIndex(of: "╭", after: 1) ?? 0
        let bottom = (1..<screen.count).first { screen[$0].count > left && screen[$0][left] == "╰" } ?? screen.count
        let cells = ScreenCells(captured: tmux.capture(escapes: true)).rows[1..<bottom].map { Array($0.dropFirst(left + 1).dropLast()) }
        return (cells, screen[0].count - left - 2, bottom - 1)
    }

    /// The pane with colours once nothing changes any more (no render running).
    private func settled(_ tmux: TmuxSession, file: StaticString = #filePath, line: UInt = #line) -> String {
        var last = "", stableSince = Date()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let now = tmux.capture(escapes: true)
            let busy = now.contains("rendering…") || tmux.screen().range(of: #"1:1 \d+%"#, options: .regularExpression) != nil
            if now != last {
                last = now
                stableSince = Date()
            } else if Date().timeIntervalSince(stableSince) > 0.6 && !busy {
                return now
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("the screen never settled:\n\(tmux.screen())", file: file, line: line)
        return last
    }

    private func assertRedrawConsistent(_ what: String, _ tmux: TmuxSession, file: StaticString = #filePath, line: UInt = #line) {
        let before = ScreenCells(captured: settled(tmux, file: file, line: line))
        tmux.send("C-l")
        let after = ScreenCells(captured: settled(tmux, file: file, line: line))
        let differences = before.differences(from: after)
        XCTAssertEqual(differences.count, 0, "\(what): cells differ from a full redraw, e.g. "
                       + differences.prefix(6).joined(separator: "; ") + "\n\(tmux.screen())", file: file, line: line)
    }

    func testTheOneToOneViewPansOverTheExportResolutionRender() throws {
        let tmux = try launch(["bridge.jpg"])
        tmux.waitFor("render #")
        tmux.send("z")
        // bridge.jpg is 512x512: the export at full resolution, centred.
        var screen = tmux.waitFor("the 1:1 locator", timeout: 300) { self.locator($0) != nil }
        XCTAssertEqual(locator(screen)?.size, "512x512", screen)
        XCTAssertEqual(locator(screen)?.x, 256)
        XCTAssertEqual(locator(screen)?.y, 256)
        assertRedrawConsistent("the 1:1 view", tmux)
        let start = previewCells(tmux)

        tmux.send("Right")
        screen = tmux.waitFor("the point to move right") { self.locator($0).map { $0.x != 256 } ?? false }
        // One picture pixel per column: a quarter of the window is a quarter of the interior's columns.
        XCTAssertEqual(locator(screen)?.x, 256 + start.columns / 4, screen)
        Thread.sleep(forTimeInterval: 1)
        let moved = previewCells(tmux)
        XCTAssertNotEqual(moved.cells, start.cells, "panning changes the preview's cells")
        // And two per row (half cells).
        tmux.send("Down")
        screen = tmux.waitFor("the point to move down") { self.locator($0).map { $0.y != 256 } ?? false }
        XCTAssertEqual(locator(screen)?.y, 256 + start.rows * 2 / 4, screen)
        assertRedrawConsistent("panning", tmux)

        // A change of settings renders the export again; the point stays.
        let point = locator(tmux.screen())!
        tmux.send("2")
        screen = tmux.waitFor("a new 1:1 render", timeout: 300) { $0.contains("Styles · 2 on") && self.locator($0) != nil }
        XCTAssertEqual(locator(screen)?.x, point.x, screen)
        XCTAssertEqual(locator(screen)?.y, point.y, screen)
        XCTAssertNotEqual(previewCells(tmux).cells, moved.cells)

        // Esc leaves; z comes back to the same render at once (nothing is rendered again).
        tmux.send("Escape")
        tmux.waitFor("Preview · after")
        tmux.send("z")
        screen = tmux.waitFor("the cached 1:1 view", timeout: 5) { self.locator($0) != nil }
        XCTAssertEqual(locator(screen)?.x, point.x, screen)
        tmux.send("z")
        tmux.waitFor("Preview · after")
        assertRedrawConsistent("leaving the 1:1 view", tmux)
    }

    func testQuittingDuringTheOneToOneRenderLeavesNoFiles() throws {
        let scratch = folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: AtelierInstall.shared.appendingPathComponent("images/content/blossom.jpg"),
                                         to: folder.appendingPathComponent("blossom.jpg"))
        let tmux = try launch(["blossom.jpg"], environment: ["TMPDIR=\(scratch.path)"])
        tmux.waitFor("render #")
        tmux.send("z")
        // 2048x2048 at export resolution takes a while: quit while it runs.
        tmux.waitFor("the 1:1 render running", timeout: 60) { $0.range(of: #"1:1 \d+%"#, options: .regularExpression) != nil }
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "the render works in TMPDIR")
        tmux.send("q")
        Thread.sleep(forTimeInterval: 0.5)
        if tmux.screen().contains("y/n") { tmux.send("y") }
        XCTAssertEqual(tmux.waitForExit(timeout: 60), 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [])
    }
}

private extension Array where Element == Character {
    func firstIndex(of character: Character, after start: Int) -> Int? {
        indices.first { $0 >= start && self[$0] == character }
    }
}
