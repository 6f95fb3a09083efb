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


extension NewUserDefectTests {
    /// `path` plus `name` bytes, NUL-terminated for C calls.
    private func cPath(_ bytes: [UInt8]) -> [CChar] { bytes.map { CChar(bitPattern: $0) } + [0] }

    /// Defect 9: a folder and photos whose names are not UTF-8 are listed (bytes shown as \xNN),
    /// open from the command line and from the Photos pane, and relative paths keep the folder.
    func testNamesThatAreNotUTF8AreListedAndOpen() throws {
        let base = Array(folder.path.utf8) + Array("/caf".utf8) + [0xFF]
        XCTAssertEqual(mkdir(cPath(base), 0o755), 0)
        let demo = try Data(contentsOf: AtelierInstall.repoRoot.appendingPathComponent("Resources/demo-coffee.png"))
        for name in [Array("ph".utf8) + [0xFE] + Array("to.png".utf8), Array("b".utf8) + [0xE9] + Array(".png".utf8)] {
            let fd = open(cPath(base + Array("/".utf8) + name), O_WRONLY | O_CREAT | O_EXCL, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 0)
            _ = demo.withUnsafeBytes { write(fd, $0.baseAddress, demo.count) }
            close(fd)
        }
        let home = try AtelierInstall.home()
        let script = "cd \"$(printf 'caf\\377')\" && exec env TERM=xterm-256color ATELIER_HOME=\(shellQuoted(home.path)) "
            + "\(shellQuoted(AtelierInstall.binary.path)) \"$(printf 'ph\\376to.png')\""
        let tmux = try TmuxSession(columns: 80, rows: 24, directory: folder, command: ["sh", "-c", script])
        sessions.append(tmux)
        var screen = tmux.waitFor("Photos · caf\\xff", "● ph\\xfeto.png", "b\\xe9.png", "render #")
        XCTAssertFalse(screen.contains("no such file"), screen)
        tmux.send("BTab")              // Styles -> Photos
        tmux.send("g", "j", "Enter")   // "..", then b\xe9.png
        screen = tmux.waitFor("● b\\xe9.png", "opened b\\xe9.png")
        XCTAssertNil(tmux.exitStatus, screen)
    }
}

extension NewUserDefectTests {
    /// Friction: the status line said "halfblock" when truecolor was used. The start message names
    /// the adapter drawing the preview and the colours it uses.
    func testTheStartMessageNamesTheAdapterAndItsColours() throws {
        let photo = folder.appendingPathComponent("coffee.png")
        try FileManager.default.copyItem(at: AtelierInstall.repoRoot.appendingPathComponent("Resources/demo-coffee.png"), to: photo)
        for (colorterm, name) in [("COLORTERM=truecolor", "symbols truecolor preview"), ("COLORTERM=", "symbols 256 colours preview")] {
            let tmux = try launch([photo.path], environment: [colorterm])
            let screen = tmux.waitFor(name)
            XCTAssertFalse(screen.contains("halfblock") || screen.contains("half-block"), screen)
            tmux.close()
        }
    }
}
