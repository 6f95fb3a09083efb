import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier render --tile N --memory SIZE` end to end: the real binary, real images, real files.
final class TiledRenderCommandTests: CLITestCase {
    private func recipe(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testBadTileAndMemoryValuesExitTwoWithOneLineAndWriteNothing() throws {
        let base = [bridge, "-s", picasso, "--size", "96", "-o", "x.png"]
        let cases: [([String], String)] = [
            (["--tile", "0"], "--tile"),
            (["--tile=-5"], "--tile"),
            (["--tile", "abc"], "--tile"),
            (["--tile", "8"], "at least 16"),
            (["--memory", "0"], "--memory"),
            (["--memory=-1G"], "positive"),
            (["--memory", "lots"], "--memory"),
            (["--memory", "2X"], "suffix"),
            (["--memory", "1M"], "too small for one 64-pixel tile plus its halo"),
            (["--memory", "64M", "--tile", "4096"], "too small for one 4096-pixel tile plus its halo"),
            (["--tile", "100000"], "default memory budget"),
        ]
        for (extra, mention) in cases {
            let result = try render(base + extra)
            XCTAssertEqual(result.status, 2, "\(extra): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(extra): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("atelier: "), result.stderr)
            XCTAssertTrue(result.stderr.contains(mention), "\(extra): \(result.stderr)")
            XCTAssertEqual(try files(), [], "\(extra) left files behind")
        }
    }

    func testTiledRenderMatchesTheUntiledOneAndItsRecipeReplaysBitForBit() throws {
        try ImageFile.writePNG(RGBImage(width: 8, height: 8, red: 1, green: 1, blue: 1).halfMask(),
                               to: folder.appendingPathComponent("mask.png"))
        let common = [bridge, "-s", picasso, "--region", "mask.png=\(whorls)", "--transform", "wct",
                      "--preserve-color", "luminance", "--size", "600"]
        XCTAssertEqual(try render(common + ["-o", "whole.png"]).status, 0)
        let tiled = try render(common + ["--tile", "200", "--memory", "3G", "-o", "tiled.png"])
        XCTAssertEqual(tiled.status, 0, tiled.stderr)

        let whole = try ImageFile.read(folder.appendingPathComponent("whole.png"))
        let pieces = try ImageFile.read(folder.appendingPathComponent("tiled.png"))
        XCTAssertEqual(whole.width, 600)
        XCTAssertEqual(pieces.width, whole.width)
        XCTAssertEqual(pieces.height, whole.height)
        var sum = 0.0, worst: Float = 0
        for (a, b) in zip(whole.pixels, pieces.pixels) {
            sum += Double(abs(a - b))
            worst = max(worst, abs(a - b))
        }
        XCTAssertLessThanOrEqual(sum / Double(whole.pixels.count), 5e-4)
        XCTAssertLessThanOrEqual(worst, 2e-2)

        let wholeRecipe = try recipe("whole.png.json")
        XCTAssertNil((wholeRecipe["execution"] as? [String: Any])?["tile"], "a small image is rendered in one piece")
        let tiledRecipe = try recipe("tiled.png.json")
        XCTAssertEqual(tiledRecipe["tile"] as? Int, 200)
        XCTAssertEqual(tiledRecipe["memory"] as? Int, 3 << 30)
        let execution = try XCTUnwrap(tiledRecipe["execution"] as? [String: Any])
        XCTAssertEqual(execution["tile"] as? Int, 200)
        XCTAssertEqual(execution["memory"] as? Int, 3 << 30)

        let replay = try render(["--recipe", "tiled.png.json", "-o", "again.png"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("again.png")),
                       try Data(contentsOf: folder.appendingPathComponent("tiled.png")), "the replay differs")
        XCTAssertEqual(try render(["--recipe", "tiled.png.json", "--tile", "64", "-o", "other.png"]).status, 2)
    }

    func testLargeImagesAndTightBudgetsAreTiledAutomatically() throws {
        let large = try render([bridge, "-s", picasso, "--size", "2100", "-o", "large.png"])
        XCTAssertEqual(large.status, 0, large.stderr)
        let image = try ImageFile.read(folder.appendingPathComponent("large.png"))
        XCTAssertEqual(image.width, 2100)
        let execution = try XCTUnwrap(try recipe("large.png.json")["execution"] as? [String: Any])
        XCTAssertNotNil(execution["tile"], "a 2100x2100 render runs in tiles")

        let tight = try render([bridge, "-s", picasso, "--size", "600", "--memory", "150M", "-o", "tight.png"])
        XCTAssertEqual(tight.status, 0, tight.stderr)
        let tile = try XCTUnwrap((try recipe("tight.png.json")["execution"] as? [String: Any])?["tile"] as? Int)
        XCTAssertLessThan(tile, 600, "a 150 MiB budget splits a 600-pixel render")
        XCTAssertEqual(try files(), ["large.png", "large.png.json", "tight.png", "tight.png.json"])
    }
}

private extension RGBImage {
    /// White on the left half, black on the right.
    func halfMask() -> RGBImage {
        var copy = self
        for c in 0..<3 { for y in 0..<height { for x in (width / 2)..<width { copy[c, x, y] = 0 } } }
        return copy
    }
}
