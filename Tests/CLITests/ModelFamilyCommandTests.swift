import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier render --model FAMILY` end to end: family selection, the flags each family refuses,
/// recipes that name the family and replay bit for bit.
final class ModelFamilyCommandTests: CLITestCase {
    /// Flags a family does not use, unknown families and mixed-up style kinds: exit 2, one line,
    /// nothing written.
    func testFlagsThatMeanNothingForTheFamilyAreUsageErrors() throws {
        var cases: [([String], String)] = [
            ([bridge, "--model", "nope", "-s", picasso, "-o", "x.png"], "nope"),
            ([bridge, "--builtin", "3", "-o", "x.png"], "--builtin"),
            ([bridge, "--model", "ust16x", "-s", picasso, "--builtin", "3", "-o", "x.png"], "--builtin"),
        ]
        if ModelCatalog.entry("cin26") != nil {
            cases += [
                ([bridge, "--model", "cin26", "-s", picasso, "-o", "x.png"], "-s"),
                ([bridge, "--model", "cin26", "-o", "x.png"], "--builtin"),
                ([bridge, "--model", "cin26", "--builtin", "26", "-o", "x.png"], "0 to 25"),
                ([bridge, "--model", "cin26", "--builtin", "3:-1", "-o", "x.png"], "zero or positive"),
                ([bridge, "--model", "cin26", "--builtin", "3:0", "-o", "x.png"], "all zero"),
                ([bridge, "--model", "cin26", "--builtin", "3", "--transform", "wct", "-o", "x.png"], "--transform"),
                ([bridge, "--model", "cin26", "--builtin", "3", "--quality", "full", "-o", "x.png"], "--quality"),
                ([bridge, "--model", "cin26", "--builtin", "3", "--region", "m.png=\(picasso)", "-o", "x.png"], "m.png"),
            ]
        }
        if ModelCatalog.entry("magenta") != nil {
            cases += [
                ([bridge, "--model", "magenta", "--builtin", "3", "-o", "x.png"], "--builtin"),
                ([bridge, "--model", "magenta", "-s", picasso, "--transform", "wct", "-o", "x.png"], "--transform"),
                ([bridge, "--model", "magenta", "-s", picasso, "--style-size", "256", "-o", "x.png"], "--style-size"),
            ]
        }
        for (arguments, mention) in cases {
            let result = try render(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(mention), "\(arguments): \(result.stderr)")
            XCTAssertEqual(try files(), [], "\(arguments) left files behind")
        }
    }

    /// A replay takes its family from the recipe; naming one again is a usage error.
    func testARecipeNamesItsFamilyAndReplayTakesNoModelFlag() throws {
        let first = try render([bridge, "--model", "ust16x", "-s", picasso, "--size", "64", "-o", "a.png"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try recipe("a.png")["model"] as? String, "ust16x")
        let refused = try render(["--recipe", "a.png.json", "--model", "ust16x", "-o", "b.png"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertEqual(try files(), ["a.png", "a.png.json"])
    }

    /// Model files that differ from the recipe's refuse the replay (exit 1, nothing written).
    func testReplayWithOtherModelFilesIsRefused() throws {
        XCTAssertEqual(try render([bridge, "-s", picasso, "--size", "64", "-o", "a.png"]).status, 0)
        var json = try recipe("a.png")
        var files = json["modelFiles"] as! [String: String]
        files[files.keys.sorted()[0]] = String(repeating: "0", count: 64)
        json["modelFiles"] = files
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("a.png.json"))
        let replay = try render(["--recipe", "a.png.json", "-o", "b.png"])
        XCTAssertEqual(replay.status, 1, replay.stderr)
        XCTAssertTrue(replay.stderr.contains("model files"), replay.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("b.png").path))
    }

    /// Every family renders a full-resolution PNG and a recipe naming it, with alpha, colour,
    /// regions and tiling; the recipe replays bit for bit; no stray files.
    func testEachFamilyRendersAndReplaysBitForBit() throws {
        let mask = GrayImage(width: 64, height: 64, pixels: (0..<(64 * 64)).map { $0 % 64 < 32 ? 1 : 0 })
        try ImageFile.writePNG(RGBImage(width: 64, height: 64, pixels: mask.pixels + mask.pixels + mask.pixels),
                               to: folder.appendingPathComponent("left.png"))
        let runs: [(String, [String])] = [
            ("ust16x", ["-s", "\(picasso):0.3", "-s", "\(whorls):0.7", "--alpha", "0.8", "--transform", "wct"]),
            ("magenta", ["-s", "\(picasso):0.3", "-s", "\(whorls):0.7", "--alpha", "0.8", "--preserve-color", "luminance",
                         "--region", "left.png=\(whorls)"]),
            ("cin26", ["--builtin", "3:5", "--builtin", "12:3", "--alpha", "0.6", "--preserve-color", "match",
                       "--region", "left.png=19"]),
        ]
        XCTAssertEqual(Set(ModelCatalog.ids), Set(runs.map(\.0)), "every family of the catalog is exercised here")
        var expected = ["left.png"]
        for (family, arguments) in runs {
            let result = try render([bridge, "--model", family] + arguments + ["--size", "96", "-o", "\(family).png"])
            XCTAssertEqual(result.status, 0, "\(family): \(result.stderr)")
            expected += ["\(family).png", "\(family).png.json"]
            XCTAssertEqual(try files(), expected.sorted(), family)
            let recipe = try recipe("\(family).png")
            XCTAssertEqual(recipe["model"] as? String, family)
            XCTAssertFalse((recipe["modelFiles"] as? [String: String] ?? [:]).isEmpty, "\(family) records its files' SHA-256")
            let image = try ImageFile.read(folder.appendingPathComponent("\(family).png"))
            XCTAssertEqual(max(image.width, image.height), 96, "\(family) renders at the asked size")
            let again = try render(["--recipe", "\(family).png.json", "-o", "\(family)-again.png"])
            XCTAssertEqual(again.status, 0, "\(family): \(again.stderr)")
            expected += ["\(family)-again.png", "\(family)-again.png.json"]
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("\(family).png")),
                           try Data(contentsOf: folder.appendingPathComponent("\(family)-again.png")),
                           "\(family): the replay differs")
            let tiled = try render([bridge, "--model", family] + arguments + ["--size", "96", "--tile", "64", "--memory", "1G",
                                                                              "-o", "\(family)-tiled.png"])
            XCTAssertEqual(tiled.status, 0, "\(family): \(tiled.stderr)")
            expected += ["\(family)-tiled.png", "\(family)-tiled.png.json"]
            let a = try ImageFile.read(folder.appendingPathComponent("\(family).png"))
            let b = try ImageFile.read(folder.appendingPathComponent("\(family)-tiled.png"))
            let worst = zip(a.pixels, b.pixels).map { abs($0 - $1) }.max() ?? 1
            XCTAssertLessThanOrEqual(worst, 0.02, "\(family): tiles change the picture")
        }
    }

    /// Different built-ins and different styles give different pictures (the flags reach the model).
    func testBuiltinsAndAlphaChangeTheCIN26Picture() throws {
        XCTAssertEqual(try render([bridge, "--model", "cin26", "--builtin", "3", "--size", "64", "-o", "a.png"]).status, 0)
        XCTAssertEqual(try render([bridge, "--model", "cin26", "--builtin", "19", "--size", "64", "-o", "b.png"]).status, 0)
        XCTAssertEqual(try render([bridge, "--model", "cin26", "--builtin", "3", "--alpha", "0", "--size", "64", "-o", "c.png"]).status, 0)
        let a = try ImageFile.read(folder.appendingPathComponent("a.png"))
        let b = try ImageFile.read(folder.appendingPathComponent("b.png"))
        let c = try ImageFile.read(folder.appendingPathComponent("c.png"))
        let photo = try ImageFile.read(URL(fileURLWithPath: bridge)).resized(longerSide: 64)
        func mean(_ x: RGBImage, _ y: RGBImage) -> Float { zip(x.pixels, y.pixels).map { abs($0 - $1) }.reduce(0, +) / Float(x.pixels.count) }
        XCTAssertGreaterThan(mean(a, b), 0.02, "style 3 and style 19 look different")
        XCTAssertLessThan(mean(c, photo), 0.005, "alpha 0 gives the photo back")
    }

    func recipe(_ output: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(output + ".json"))) as! [String: Any]
    }
}
