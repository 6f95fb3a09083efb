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

    func recipe(_ output: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(output + ".json"))) as! [String: Any]
    }
}
