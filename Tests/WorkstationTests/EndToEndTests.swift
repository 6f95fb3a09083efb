import Foundation
import Workstation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Runs the real `atelier` binary inside tmux (TERM=xterm-256color, a private model home) and
/// checks what a person would see: every wait polls the screen with a deadline.
final class EndToEndTests: TmuxTestCase {
    func testPanesAt80x24() throws {
        let tmux = try launch(["--demo"])
        let screen = tmux.waitFor("Photos", "Styles", "Controls", "Preview", "demo-coffee.png", "cache", "render #")
        XCTAssertTrue(screen.contains("● demo-coffee.png"), "the open photo is marked:\n\(screen)")
        XCTAssertTrue(screen.contains("▀") || screen.contains("▄"), "a half-block preview is drawn:\n\(screen)")
        XCTAssertTrue(screen.contains(" MB"), "cache memory is shown:\n\(screen)")
        XCTAssertNil(tmux.exitStatus)
    }

    func testTerminalRepliesNeverReachTheKeyMap() throws {
        let tmux = try launch(["--demo"])
        tmux.waitFor("Styles · 1 on", "render #")
        // kitty's late answer to the graphics query, and a colour report: "3" and "1" must not toggle styles.
        tmux.type("\u{1B}_Gi=31;OK\u{1B}\\")
        tmux.type("\u{1B}]11;rgb:0000/0000/0000\u{07}")
        Thread.sleep(forTimeInterval: 1)
        tmux.type("j")
        let screen = tmux.waitFor("the cursor key after the replies") { $0.contains("Styles · 1 on") }
        XCTAssertFalse(screen.contains("Styles · 2 on") || screen.contains("Styles · 0 on"), screen)
    }

    func testPanesAt200x60() throws {
        let tmux = try launch(["--demo"], columns: 200, rows: 60)
        let screen = tmux.waitFor("Photos", "Styles", "Controls", "Preview", "render #")
        let first = screen.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.contains("Photos") && first.contains("Controls") && first.contains("Preview"),
                      "wide layout puts the controls in their own column:\n\(first)")
        XCTAssertTrue(screen.contains("Transform") && screen.contains("Colour") && screen.contains("Mask"))
    }

    func testSliderRendersAndUndoRestores() throws {
        let tmux = try launch(["--demo"])
        var screen = tmux.waitFor("render # final") { self.renderNumber($0) > 0 && !$0.contains("sharpening") }
        tmux.send("Tab")
        screen = tmux.waitFor("Controls focused with Alpha 1.00") { self.alpha($0) == "1.00" }
        let before = renderNumber(screen)
        tmux.send("h")
        screen = tmux.waitFor("alpha 0.95 and a new render") { self.alpha($0) == "0.95" && self.renderNumber($0) > before }
        tmux.send("H")
        screen = tmux.waitFor("alpha 0.70 after a large step") { self.alpha($0) == "0.70" }
        let afterSteps = renderNumber(tmux.waitFor("render of 0.70") { self.renderNumber($0) > before + 1 })
        tmux.send("u")
        screen = tmux.waitFor("undo back to 0.95") { self.alpha($0) == "0.95" && self.renderNumber($0) > afterSteps }
        tmux.send("u")
        tmux.waitFor("undo back to 1.00") { self.alpha($0) == "1.00" }
        tmux.send("C-r")
        tmux.waitFor("redo to 0.95") { self.alpha($0) == "0.95" }
    }

    func testExportWritesPNGAndRecipeAndNeverOverwritesSilently() throws {
        let tmux = try launch(["--demo"])
        tmux.waitFor("render #")
        tmux.send("e")
        tmux.waitFor("longer side in px")
        tmux.send("Enter")
        let first = folder.appendingPathComponent("demo-coffee-atelier.png")
        var screen = tmux.waitFor("exported", timeout: 60)
        XCTAssertTrue(screen.contains("demo-coffee-atelier.png"), screen)
        XCTAssertEqual(try pngSize(first).width, 600, "full resolution of the 600x400 demo photo")
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.path + ".json"), "the recipe is written beside the PNG")
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: first.path + ".json"))) as? [String: Any]
        XCTAssertNotNil(recipe?["modelFiles"], "the recipe records the model files")
        let original = try Data(contentsOf: first)

        tmux.send("e")
        tmux.waitFor("longer side in px")
        tmux.type("96")
        tmux.send("Enter")
        screen = tmux.waitFor("exists: overwrite?")
        tmux.send("n")
        let second = folder.appendingPathComponent("demo-coffee-atelier-2.png")
        screen = tmux.waitFor("exported", "-2.png", timeout: 60)
        XCTAssertEqual(try pngSize(second).width, 96)
        XCTAssertEqual(try Data(contentsOf: first), original, "n kept the existing file")

        tmux.send("e")
        tmux.waitFor("longer side in px")
        tmux.type("64")
        tmux.send("Enter")
        tmux.waitFor("exists: overwrite?")
        tmux.send("y")
        tmux.waitFor("exported with 64 px") { screen in
            screen.contains("exported") && ((try? self.pngSize(first).width) == 64)
        }
    }

    func testRunningExportShowsProgressAsksBeforeQuitAndCancels() throws {
        let photo = AtelierInstall.shared.appendingPathComponent("images/content/blossom.jpg")
        guard FileManager.default.fileExists(atPath: photo.path) else { throw XCTSkip("no \(photo.path)") }
        let tmux = try launch([photo.path])
        tmux.waitFor("render #")
        tmux.send("e")
        tmux.waitFor("longer side in px")
        tmux.send("Enter")
        tmux.waitFor("export progress") { $0.range(of: #"export [0-9]+%"#, options: .regularExpression) != nil }
        tmux.send("q")
        tmux.waitFor("Export running", "cancel it and quit? y/n")
        tmux.send("n")
        tmux.send("x")
        tmux.waitFor("export cancelled")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("blossom-atelier.png").path),
                       "a cancelled export writes nothing")
        XCTAssertNil(tmux.exitStatus)
    }

    func testQuitRestoresTerminal() throws {
        let tmux = try launch(["--demo"])
        tmux.waitFor("render #")
        XCTAssertEqual(tmux.format("#{alternate_on}"), "1", "the workstation runs on the alternate screen")
        tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), 0)
        let screen = tmux.screen()
        XCTAssertFalse(screen.contains("Controls"), "the panes are gone:\n\(screen)")
        XCTAssertEqual(tmux.format("#{alternate_on}"), "0", "the alternate screen was left")
    }

    func testQuitAsksAfterChangesAndInterruptRestores() throws {
        let tmux = try launch(["--demo"])
        tmux.waitFor("render #")
        tmux.send("Tab")
        tmux.waitFor("Alpha 1.00") { self.alpha($0) == "1.00" }
        tmux.send("h")
        tmux.waitFor("Alpha 0.95") { self.alpha($0) == "0.95" }
        tmux.send("q")
        tmux.waitFor("Quit? y/n")
        tmux.send("n")
        tmux.waitFor("not quitting")
        XCTAssertNil(tmux.exitStatus)
        tmux.send("C-c")
        tmux.waitFor("Quit? y/n · Ctrl-C: y")
        XCTAssertNil(tmux.exitStatus, "the first Ctrl-C only asks")
        tmux.send("C-c")
        XCTAssertEqual(tmux.waitForExit(), 130, "128 + SIGINT")
        XCTAssertFalse(tmux.screen().contains("Controls"))
        XCTAssertEqual(tmux.format("#{alternate_on}"), "0", "SIGINT left the alternate screen")
    }

    func testTerminationAndHangupSignalsRestoreTheTerminal() throws {
        for (signal, name) in [(SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            let tmux = try launch(["--demo"])
            tmux.waitFor("render #")
            kill(try programID(tmux), signal)
            XCTAssertEqual(tmux.waitForExit(), 128 + signal, name)
            XCTAssertEqual(tmux.format("#{alternate_on}"), "0", "\(name) left the alternate screen")
            XCTAssertFalse(tmux.screen().contains("Controls"))
            tmux.close()
        }
    }

    func testTooSmallShowsEnlargeNoticeThenDrawsAfterResize() throws {
        let tmux = try launch(["--demo"], columns: 40, rows: 12)
        let screen = tmux.waitFor("Terminal too small", "Enlarge")
        XCTAssertTrue(screen.contains("40x12"), screen)
        tmux.resize(columns: 80, rows: 24)
        tmux.waitFor("Photos", "Controls", "Preview")
    }

    func testHelpOverlayListsTheKeyMap() throws {
        let tmux = try launch(["--demo"])
        tmux.waitFor("render #")
        tmux.send("?")
        let screen = tmux.waitFor("Keys", "Everywhere")
        let lines = KeyMap.standard.helpLines.prefix(12).map { $0.text.trimmingCharacters(in: .whitespaces) }
        for line in lines where !line.isEmpty {
            XCTAssertTrue(screen.contains(String(line.prefix(50))), "help shows '\(line)':\n\(screen)")
        }
        for binding in KeyMap.standard.bindings.prefix(10) {
            XCTAssertTrue(screen.contains(binding.description), "help shows \(binding.description)")
        }
        tmux.send("Escape")
        tmux.waitFor("help closed") { !$0.contains("Everywhere") && $0.contains("Controls") }
    }

    func testBadFileInBrowserShowsStatusMessage() throws {
        try FileManager.default.copyItem(at: AtelierInstall.repoRoot.appendingPathComponent("Resources/demo-coffee.png"),
                                         to: folder.appendingPathComponent("a-photo.png"))
        try Data("this is not a picture".utf8).write(to: folder.appendingPathComponent("broken.png"))
        let tmux = try launch([])
        tmux.waitFor("a-photo.png", "broken.png")
        tmux.send("G")
        tmux.send("Enter")
        let screen = tmux.waitFor("a message about broken.png") { screen in
            let status = self.statusLines(screen)
            return status.contains("broken.png") && !status.contains("opened broken.png")
        }
        XCTAssertNil(tmux.exitStatus, "no crash:\n\(screen)")
        tmux.send("g", "j", "Enter")
        tmux.waitFor("● a-photo.png", "opened a-photo.png: press 1-9")
    }

    func testResumeRestoresTheAutosavedSession() throws {
        var tmux = try launch(["--demo"])
        tmux.waitFor("render #")
        tmux.send("Tab")
        tmux.waitFor("Alpha 1.00") { self.alpha($0) == "1.00" }
        tmux.send("H")
        tmux.waitFor("Alpha 0.75") { self.alpha($0) == "0.75" }
        tmux.send("q")
        tmux.waitFor("Quit? y/n")
        tmux.send("y")
        XCTAssertEqual(tmux.waitForExit(), 0)
        tmux = try launch(["--resume"])
        tmux.waitFor("resumed", "demo-coffee.png")
        tmux.send("Tab")
        tmux.waitFor("Alpha 0.75 restored") { self.alpha($0) == "0.75" }
    }

    func testMissingModelIsReportedWithTheFix() throws {
        let empty = folder.appendingPathComponent("empty-home")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let tmux = try launch(["--demo"], home: empty)
        let screen = tmux.waitFor("model not installed", "atelier models install")
        XCTAssertTrue(screen.contains("Photos") && screen.contains("Controls"), screen)
        tmux.send("Tab", "h")
        tmux.waitFor("the controls still answer") { self.alpha($0) == "0.95" }
        XCTAssertNil(tmux.exitStatus)
    }

    /// Width and height from a PNG's IHDR chunk.
    private func pngSize(_ url: URL) throws -> (width: Int, height: Int) {
        let data = try Data(contentsOf: url)
        guard data.count > 24, data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw TmuxSession.TmuxError(message: "\(url.path) is not a PNG")
        }
        func be32(_ at: Int) -> Int { data[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }
}
