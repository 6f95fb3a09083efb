import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11's defects, each reproduced with the real binary in tmux (80x24) as a new user met it.
final class NewUserDefectTests: TmuxTestCase {
    /// Defect 1: a binary installed outside the repository finds its data in PREFIX/share/atelier.
    func testAnInstalledBinaryFindsItsDataUnderShare() throws {
        // `make install PREFIX=...` lays out PREFIX/bin/atelier and PREFIX/share/atelier/{Resources,Styles,Themes}.
        let prefix = folder.appendingPathComponent("prefix")
        let fm = FileManager.default
        try fm.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.createDirectory(at: prefix.appendingPathComponent("share/atelier"), withIntermediateDirectories: true)
        try fm.copyItem(at: AtelierInstall.binary, to: prefix.appendingPathComponent("bin/atelier"))
        for data in ["Resources", "Styles", "Themes"] {
            try fm.copyItem(at: AtelierInstall.repoRoot.appendingPathComponent(data), to: prefix.appendingPathComponent("share/atelier/\(data)"))
        }
        let elsewhere = folder.appendingPathComponent("work")
        try fm.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        // Run through PATH, as an installed tool is, from a folder unrelated to the repository.
        let tmux = try launch(["--demo"], directory: elsewhere, program: "atelier",
                              environment: ["PATH=\(prefix.path)/bin:/usr/bin:/bin"])
        let screen = tmux.waitFor("demo-coffee.png", "Styles · 1 on", "render #")
        XCTAssertFalse(screen.contains("no styles"), screen)
    }

    /// Defect 5: a kill or q+y while a masked export runs leaves neither the mask nor a temporary.
    func testAKillOrQuitDuringAMaskedExportLeavesNoMaskFile() throws {
        for ending in ["SIGTERM", "q y"] {
            let tmux = try launch(["--demo"])
            tmux.waitFor("render #")
            tmux.send("Tab")                       // Controls
            tmux.waitFor("Alpha") { self.alpha($0) != nil }
            tmux.send("G")                         // the last row: Mask
            tmux.send("l")                         // left/right
            tmux.waitFor("Inside", "Outside")
            tmux.send("e")
            tmux.waitFor("longer side")
            tmux.type("3000")                      // large enough to be still running when it ends
            tmux.send("Enter")
            tmux.waitFor("export progress") { $0.range(of: #"export [0-9]+%"#, options: .regularExpression) != nil }
            // The mask is written first (through a temporary file), then the picture is rendered.
            let mask = folder.appendingPathComponent("demo-coffee-atelier.png.mask.png").path
            tmux.waitFor("the mask written, the picture still rendering", timeout: 60) { screen in
                FileManager.default.fileExists(atPath: mask) && screen.contains("export ")
            }
            if ending == "SIGTERM" {
                kill(try programID(tmux), SIGTERM)
            } else {
                tmux.send("q")
                tmux.waitFor("cancel it and quit? y/n")
                tmux.send("y")
            }
            XCTAssertNotNil(tmux.waitForExit(timeout: 60))
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("atelier") }
            XCTAssertEqual(left, [], "\(ending): nothing half-made is left")
            tmux.close()
        }
    }
}

extension NewUserDefectTests {
    /// Ctrl-C with nothing to lose quits at once with 130 and restores the terminal.
    func testCtrlCWithNothingToLoseQuitsAtOnce() throws {
        let tmux = try launch(["--demo"])
        tmux.waitFor("render #")
        tmux.send("C-c")
        XCTAssertEqual(tmux.waitForExit(), 130)
        XCTAssertEqual(tmux.format("#{alternate_on}"), "0")
    }
}

extension NewUserDefectTests {
    /// Defect 14: an export's message names its whole folder at 80 columns (it takes the status
    /// row too, until the next key).
    func testALongMessageIsShownWhole() throws {
        let tmux = try launch(["--demo"])
        tmux.waitFor("render #")
        tmux.send("e")
        tmux.waitFor("longer side in px")
        tmux.type("64")
        tmux.send("Enter")
        let folderPath = folder.standardizedFileURL.path
        let screen = tmux.waitFor("the export's message", timeout: 60) { $0.contains("exported") }
        XCTAssertTrue(statusLines(screen).replacingOccurrences(of: "\n", with: "").contains(folderPath),
                      "the folder \(folderPath) is shown whole:\n\(statusLines(screen))")
        tmux.send("j")
        tmux.waitFor("the figures are back after a key") { self.statusLines($0).contains("cache") }
    }

    /// Defect 14: at 60x16 the cache figure stays whole while a render runs (the render's
    /// summary is cut instead).
    func testTheCacheFigureIsWholeAt60x16() throws {
        let tmux = try launch(["--demo"], columns: 60, rows: 16)
        tmux.waitFor("Styles")
        tmux.send("Tab")             // Controls
        tmux.waitFor("render #")
        var seen = 0
        for key in ["h", "h", "l", "l"] {
            tmux.send(key)
            for _ in 0..<10 {
                let status = statusLines(tmux.screen())
                if status.contains("render #") {
                    XCTAssertNotNil(status.range(of: #"cache \d+/\d+ MB"#, options: .regularExpression), status)
                    seen += 1
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        XCTAssertGreaterThan(seen, 0)
    }
}
