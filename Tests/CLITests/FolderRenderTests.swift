import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier render DIR -o OUTDIR`: the real binary over a folder of real photos, a broken one,
/// files that are not photos; re-runs, --force, Ctrl-C, and the recipes replayed.
final class FolderRenderTests: CLITestCase {
    private var photos: URL { folder.appendingPathComponent("photos") }
    private var renders: URL { folder.appendingPathComponent("renders") }

    /// photos/: bridge.jpg, chicago.png, broken.jpg (not an image), notes.txt, a sub-folder.
    private func makePhotos(broken: Bool = true) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: photos.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try fm.copyItem(atPath: bridge, toPath: photos.appendingPathComponent("bridge.jpg").path)
        try fm.copyItem(atPath: images.appendingPathComponent("content/chicago.png").path,
                        toPath: photos.appendingPathComponent("chicago.png").path)
        try fm.copyItem(atPath: bridge, toPath: photos.appendingPathComponent("sub/ignored.jpg").path)
        if broken { try Data("not a photo at all".utf8).write(to: photos.appendingPathComponent("broken.jpg")) }
        try Data("a note".utf8).write(to: photos.appendingPathComponent("notes.txt"))
    }

    private func names(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    private func renderFolder(_ extra: [String] = []) throws -> AtelierBinary.Result {
        try render(["photos", "-o", "renders", "-s", picasso, "--size", "64"] + extra)
    }

    func testEveryPhotoIsRenderedABadOneIsReportedAndTheRestGoOn() throws {
        try makePhotos()
        let result = try renderFolder()
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(try names(renders), ["bridge.png", "bridge.png.json", "chicago.png", "chicago.png.json"])
        XCTAssertEqual(result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("wrote ") }.count, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("3 photos: 2 rendered, 0 skipped, 1 failed"), result.stdout)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.hasPrefix("failed: ") }.count, 1, result.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("failed: broken.jpg: ") && $0.contains("not") }, result.stderr)
        XCTAssertEqual(lines.last, "atelier: 1 of 3 photos failed")
        for name in ["bridge", "chicago"] {
            let image = try ImageFile.read(renders.appendingPathComponent("\(name).png"))
            XCTAssertEqual(max(image.width, image.height), 64)
            let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: renders.appendingPathComponent("\(name).png.json"))) as! [String: Any]
            XCTAssertEqual((recipe["content"] as! [String: Any])["path"] as? String,
                           photos.appendingPathComponent(name == "bridge" ? "bridge.jpg" : "chicago.png").path)
        }
        // Any render can be made again from its recipe alone, bit for bit.
        let again = try render(["--recipe", "renders/bridge.png.json", "-o", "again.png"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("again.png")),
                       try Data(contentsOf: renders.appendingPathComponent("bridge.png")))
    }

    func testARerunSkipsWhatExistsAndForceRendersTheSameBytesAgain() throws {
        try makePhotos(broken: false)
        XCTAssertEqual(try renderFolder().status, 0)
        let first = try Data(contentsOf: renders.appendingPathComponent("bridge.png"))
        let firstRecipe = try Data(contentsOf: renders.appendingPathComponent("bridge.png.json"))
        try FileManager.default.removeItem(at: renders.appendingPathComponent("chicago.png"))
        try FileManager.default.removeItem(at: renders.appendingPathComponent("chicago.png.json"))

        let rerun = try renderFolder()
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("skipped bridge.jpg: "), rerun.stdout)
        XCTAssertTrue(rerun.stdout.contains("2 photos: 1 rendered, 1 skipped, 0 failed"), rerun.stdout)
        XCTAssertEqual(try names(renders), ["bridge.png", "bridge.png.json", "chicago.png", "chicago.png.json"])

        let forced = try renderFolder(["--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stdout.contains("2 photos: 2 rendered, 0 skipped, 0 failed"), forced.stdout)
        XCTAssertEqual(try Data(contentsOf: renders.appendingPathComponent("bridge.png")), first)
        XCTAssertEqual(try Data(contentsOf: renders.appendingPathComponent("bridge.png.json")), firstRecipe)
        XCTAssertEqual(try names(renders), ["bridge.png", "bridge.png.json", "chicago.png", "chicago.png.json"])
    }

    func testPhotosSharingAStemKeepTheirWholeNames() throws {
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: bridge, toPath: photos.appendingPathComponent("a.jpg").path)
        try FileManager.default.copyItem(atPath: images.appendingPathComponent("content/chicago.png").path,
                                         toPath: photos.appendingPathComponent("a.png").path)
        // Named like nothing, but a JPEG by its bytes.
        try FileManager.default.copyItem(atPath: bridge, toPath: photos.appendingPathComponent("scan").path)
        let result = try renderFolder()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try names(renders), ["a.jpg.png", "a.jpg.png.json", "a.png.png", "a.png.png.json", "scan.png", "scan.png.json"])
    }

    func testFolderUsageErrors() throws {
        try makePhotos(broken: false)
        try Data("x".utf8).write(to: folder.appendingPathComponent("file.png"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let cases: [([String], Int32, String)] = [
            (["photos", "-o", "photos"], 2, "own folder"),
            (["photos", "-o", "./photos/"], 2, "own folder"),
            (["photos", "-o", "file.png"], 2, "not a folder"),
            (["photos", "-o", "-"], 2, "-o OUTDIR"),
            (["empty", "-o", "renders"], 1, "has no photos"),
            (["photos", "-o", "renders", "-s", "missing.jpg"], 1, "missing.jpg: no such file"),
        ]
        for (arguments, code, text) in cases {
            let style = arguments.contains("-s") ? [] : ["-s", picasso]
            let result = try render(arguments + style + ["--size", "64"])
            XCTAssertEqual(result.status, code, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(text), "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
        XCTAssertEqual(try names(photos), ["bridge.jpg", "chicago.png", "notes.txt", "sub"])
        XCTAssertEqual(try names(folder.appendingPathComponent("empty")), [])
    }

    func testCtrlCStopsTheBatchLeavingOnlyWholeRenders() throws {
        try makePhotos(broken: false)
        try FileManager.default.copyItem(atPath: images.appendingPathComponent("content/face.jpg").path,
                                         toPath: photos.appendingPathComponent("face.jpg").path)
        let process = try AtelierBinary.start(["render", "photos", "-o", "renders", "-s", picasso, "--size", "900", "--tile", "128"], in: folder, home: home)
        // Wait for the first render to be in place and the second one's temporary PNG to appear.
        let deadline = Date().addingTimeInterval(600)
        func started() throws -> Bool {
            let all = (try? names(renders)) ?? []
            return all.contains("bridge.png.json") && all.contains { $0.hasPrefix(".chicago.png.") && $0.hasSuffix(".tmp") }
        }
        while try !started(), process.isRunning, Date() < deadline { usleep(20_000) }
        XCTAssertTrue(try started(), "\((try? names(renders)) ?? [])")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(try names(renders), ["bridge.png", "bridge.png.json"])
        XCTAssertNoThrow(try ImageFile.read(renders.appendingPathComponent("bridge.png")))
    }
}
