import Engine
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Saved sessions open from the command line (`atelier FILE.atelier.json`) and from the Photos
/// pane (Enter on a `.atelier.json` file); files that cannot be read (a FIFO) are said in the
/// status bar while the keys keep working: nothing is read on the interface's thread.
final class SessionOpeningTests: TmuxTestCase {
    /// A session on the demo photo with its first bundled style at alpha 0.75, saved in the test's folder.
    private func savedSession(named name: String = "look.atelier.json") throws -> URL {
        let photo = folder.appendingPathComponent("coffee.png")
        try FileManager.default.copyItem(at: AtelierInstall.repoRoot.appendingPathComponent("Resources/demo-coffee.png"), to: photo)
        let styles = try FileManager.default.contentsOfDirectory(atPath: AtelierInstall.repoRoot.appendingPathComponent("Styles").path)
            .filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted()
        let style = AtelierInstall.repoRoot.appendingPathComponent("Styles/\(try XCTUnwrap(styles.first))")
        let session = Session(contentPath: photo.path, styles: [StyleChoice(path: style.path)], alpha: 0.75)
        let url = folder.appendingPathComponent(name)
        try SessionStore.save(session, to: url)
        return url
    }

    func testASessionFileNamedOnTheCommandLineOpens() throws {
        let url = try savedSession()
        let tmux = try launch([url.lastPathComponent])
        tmux.waitFor("opened session look.atelier.json", "● coffee.png", "render #")
        tmux.send("Tab")
        tmux.waitFor("alpha from the file") { self.alpha($0) == "0.75" }
        tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), 0, "nothing changed since the file: quitting asks nothing")
    }

    func testEnterOnASessionInThePhotosPaneOpensIt() throws {
        _ = try savedSession()
        let tmux = try launch([])
        tmux.waitFor("coffee.png", "look.atelier.json")
        tmux.send("G")                 // the last row: the session file (after the photos)
        tmux.send("Enter")
        tmux.waitFor("opened session look.atelier.json", "● coffee.png")
        tmux.send("Tab", "Tab")        // Photos -> Styles -> Controls
        tmux.waitFor("alpha from the file") { self.alpha($0) == "0.75" }
    }

    func testAFIFOAsASessionOrPhotoIsSaidAndTheKeysStillWork() throws {
        for name in ["pipe.atelier.json", "pipe.png"] {
            let fifo = folder.appendingPathComponent(name)
            XCTAssertEqual(mkfifo(fifo.path, 0o644), 0)
            let tmux = try launch([])
            tmux.waitFor(name)
            tmux.send("G")
            tmux.send("Enter")
            tmux.waitFor("a message naming the FIFO", timeout: 30) { self.statusLines($0).contains("FIFO") }
            tmux.send("q")
            XCTAssertNotNil(tmux.waitForExit(), "\(name): q still quits")
            tmux.close()
            try FileManager.default.removeItem(at: fifo)
        }
    }
}
