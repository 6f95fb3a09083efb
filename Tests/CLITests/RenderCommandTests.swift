import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier render` end to end: the real binary, real images, real files on disk.
final class RenderCommandTests: CLITestCase {
    func testRenderWritesAPNGOfTheRequestedSizeAndARecipe() throws {
        let result = try render([bridge, "-s", picasso, "-o", "out.png", "--size", "200"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try files(), ["out.png", "out.png.json"])
        let image = try ImageFile.read(folder.appendingPathComponent("out.png"))
        XCTAssertEqual(max(image.width, image.height), 200)
        let photo = try ImageFile.read(URL(fileURLWithPath: bridge))
        XCTAssertEqual(Double(image.width) / Double(image.height), Double(photo.width) / Double(photo.height), accuracy: 0.02)
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out.png.json"))) as! [String: Any]
        let content = recipe["content"] as! [String: Any]
        XCTAssertEqual(content["sha256"] as? String, try SHA256.hex(ofFile: URL(fileURLWithPath: bridge)))
        XCTAssertEqual((recipe["modelFiles"] as? [String: String])?.count, 10)
        XCTAssertEqual(recipe["output"] as? String, folder.appendingPathComponent("out.png").standardizedFileURL.path)
        XCTAssertTrue((recipe["program"] as? String ?? "").hasPrefix("atelier "))
    }

    func testRecipeReproducesTheImageBitForBit() throws {
        let first = try render([bridge, "-s", "\(picasso):0.3", "-s", "\(whorls):0.7", "--alpha", "0.8",
                                "--transform", "wct", "--preserve-color", "luminance", "--size", "160", "-o", "a.png"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let again = try render(["--recipe", "a.png.json", "-o", "b.png"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let a = try Data(contentsOf: folder.appendingPathComponent("a.png"))
        let b = try Data(contentsOf: folder.appendingPathComponent("b.png"))
        XCTAssertEqual(a, b, "the replayed render differs from the original")
    }

    func testStyleWeightsChangeTheResult() throws {
        XCTAssertEqual(try render([bridge, "-s", "\(picasso):1", "-s", "\(whorls):0", "--size", "96", "-o", "p.png"]).status, 0)
        XCTAssertEqual(try render([bridge, "-s", picasso, "--size", "96", "-o", "q.png"]).status, 0)
        XCTAssertEqual(try render([bridge, "-s", "\(picasso):1", "-s", "\(whorls):1", "--size", "96", "-o", "r.png"]).status, 0)
        let p = try ImageFile.read(folder.appendingPathComponent("p.png"))
        let q = try ImageFile.read(folder.appendingPathComponent("q.png"))
        let r = try ImageFile.read(folder.appendingPathComponent("r.png"))
        XCTAssertEqual(p, q, "a zero weight must not change the render")
        XCTAssertGreaterThan(zip(p.pixels, r.pixels).map { abs($0 - $1) }.reduce(0, +) / Float(p.pixels.count), 0.01)
    }

    func testRegionsGetTheirOwnStyleOnEachSideOfTheMask() throws {
        let mask = GrayImage(width: 64, height: 64, pixels: (0..<(64 * 64)).map { $0 % 64 < 32 ? 1 : 0 })
        try ImageFile.writePNG(RGBImage(width: 64, height: 64, pixels: mask.pixels + mask.pixels + mask.pixels),
                               to: folder.appendingPathComponent("left.png"))
        let result = try render([bridge, "-s", picasso, "--region", "left.png=\(whorls)", "--size", "128", "-o", "m.png"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try render([bridge, "-s", picasso, "--size", "128", "-o", "p.png"]).status, 0)
        XCTAssertEqual(try render([bridge, "-s", whorls, "--size", "128", "-o", "w.png"]).status, 0)
        let m = try ImageFile.read(folder.appendingPathComponent("m.png"))
        let p = try ImageFile.read(folder.appendingPathComponent("p.png"))
        let w = try ImageFile.read(folder.appendingPathComponent("w.png"))
        func distance(_ a: RGBImage, _ b: RGBImage, columns: Range<Int>) -> Float {
            var sum: Float = 0, n: Float = 0
            for c in 0..<3 { for y in 0..<a.height { for x in columns { sum += abs(a[c, x, y] - b[c, x, y]); n += 1 } } }
            return sum / n
        }
        let left = 0..<(m.width / 3), right = (2 * m.width / 3)..<m.width
        XCTAssertLessThan(distance(m, w, columns: left), distance(m, p, columns: left), "white part of the mask gets whorls")
        XCTAssertLessThan(distance(m, p, columns: right), distance(m, w, columns: right), "the rest gets the -s style")
    }

    func testAnExistingOutputIsKeptWithoutForceAndReplacedWithIt() throws {
        try Data("keep me".utf8).write(to: folder.appendingPathComponent("out.png"))
        let refused = try render([bridge, "-s", picasso, "--size", "64", "-o", "out.png"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("out.png")), Data("keep me".utf8))
        XCTAssertEqual(try render([bridge, "-s", picasso, "--size", "64", "-o", "out.png", "--force"]).status, 0)
        XCTAssertNoThrow(try ImageFile.read(folder.appendingPathComponent("out.png")))
    }

    func testUsageErrorsExitTwoWithOneLineAndWriteNothing() throws {
        let cases: [[String]] = [
            [bridge, "-s", "\(picasso):-1", "-o", "x.png"],
            [bridge, "-s", "\(picasso):0", "-s", "\(whorls):0", "-o", "x.png"],
            [bridge, "-s", picasso, "--alpha", "1.5", "-o", "x.png"],
            [bridge, "-s", picasso, "--transform", "blur", "-o", "x.png"],
            [bridge, "-s", picasso],
            [bridge, "-o", "x.png"],
            [bridge, "-s", picasso, "--region", "no-equals-sign", "-o", "x.png"],
        ]
        for arguments in cases {
            let result = try render(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("atelier: "), result.stderr)
            XCTAssertEqual(try files(), [], "\(arguments) left files behind")
        }
    }

    func testRuntimeErrorsExitOneNameTheFileAndWriteNothing() throws {
        try Data("not an image".utf8).write(to: folder.appendingPathComponent("text.png"))
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: bridge))
        try jpeg.prefix(jpeg.count / 3).write(to: folder.appendingPathComponent("cut.jpg"))
        let cases: [([String], String)] = [
            ([folder.appendingPathComponent("missing.jpg").path, "-s", picasso, "-o", "x.png"], "missing.jpg"),
            (["text.png", "-s", picasso, "-o", "x.png"], "text.png"),
            (["cut.jpg", "-s", picasso, "-o", "x.png"], "cut.jpg"),
            ([bridge, "-s", "text.png", "-o", "x.png"], "text.png"),
            ([bridge, "-s", picasso, "--region", "text.png=\(whorls)", "-o", "x.png"], "text.png"),
            ([bridge, "-s", picasso, "-o", "no-such-folder/x.png"], "no-such-folder"),
            ([bridge, "-s", picasso, "--max-pixels", "1000", "-o", "x.png"], "--max-pixels"),
        ]
        for (arguments, mention) in cases {
            let result = try render(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
            XCTAssertEqual(try files(), ["cut.jpg", "text.png"], "\(arguments) left files behind")
        }
    }

    func testMissingModelSaysHowToInstallIt() throws {
        let empty = folder.appendingPathComponent("empty-home")
        let result = try AtelierBinary.run(["render", bridge, "-s", picasso, "-o", "x.png"], in: folder, home: empty)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("atelier models install"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.png").path))
    }

    func testAChangedInputRefusesToReplayTheRecipe() throws {
        let photo = folder.appendingPathComponent("photo.jpg")
        try FileManager.default.copyItem(atPath: bridge, toPath: photo.path)
        XCTAssertEqual(try render([photo.path, "-s", picasso, "--size", "64", "-o", "a.png"]).status, 0)
        var bytes = try Data(contentsOf: photo)
        bytes[bytes.count - 3] ^= 0xFF
        try bytes.write(to: photo)
        let replay = try render(["--recipe", "a.png.json", "-o", "b.png"])
        XCTAssertEqual(replay.status, 1)
        XCTAssertTrue(replay.stderr.contains("photo.jpg"), replay.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("b.png").path))
    }
}
