import Foundation
import Imaging
import XCTest

/// `atelier render --recipe` refuses recipes it cannot honour, naming the field or file, and
/// the small frictions of the first reliability pass: the real binary.
final class RecipeReplayTests: CLITestCase {
    /// Renders a small image and returns its recipe as a dictionary.
    private func renderedRecipe() throws -> [String: Any] {
        let result = try render([bridge, "-s", picasso, "--size", "64", "-o", "a.png"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let data = try Data(contentsOf: folder.appendingPathComponent("a.png.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Replays `recipe` (written as edited.json) and returns the result.
    private func replay(_ recipe: [String: Any]) throws -> AtelierBinary.Result {
        try JSONSerialization.data(withJSONObject: recipe).write(to: folder.appendingPathComponent("edited.json"))
        return try render(["--recipe", "edited.json", "-o", "again.png", "--force"])
    }

    func testBadRecipeValuesAreRefusedNamingTheField() throws {
        let recipe = try renderedRecipe()
        let cases: [(String, Any, String)] = [
            ("styleSize", 0, "recipe field \"styleSize\" must be at least 16 (got 0)"),
            ("version", -1, "recipe version -1 is not supported"),
            ("alpha", "strong", "alpha has the wrong type"),
            ("alpha", 7, "recipe field \"alpha\" must be between 0 and 1"),
            ("blend", [["style": 3, "weight": 1]], "recipe field \"blend[0].style\" must be an index into styles"),
            ("maxPixels", 0, "recipe field \"maxPixels\" must be positive"),
        ]
        for (field, value, message) in cases {
            var edited = recipe
            edited[field] = value
            let result = try replay(edited)
            XCTAssertEqual(result.status, 1, "\(field): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(field): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertFalse(result.stderr.contains("NSCocoaErrorDomain") || result.stderr.contains("couldn’t be read"), result.stderr)
        }
        var missing = recipe
        missing.removeValue(forKey: "content")
        XCTAssertTrue(try replay(missing).stderr.contains("content is missing"))
    }

    func testReplayChecksModelFilesAndRefusesUnrecordedHashes() throws {
        let recipe = try renderedRecipe()
        XCTAssertEqual(try replay(recipe).status, 0, "an untouched recipe replays")

        var otherModel = recipe
        var models = try XCTUnwrap(recipe["modelFiles"] as? [String: String])
        XCTAssertFalse(models.isEmpty)
        let name = try XCTUnwrap(models.keys.sorted().first)
        models[name] = String(repeating: "0", count: 64)
        otherModel["modelFiles"] = models
        let changed = try replay(otherModel)
        XCTAssertEqual(changed.status, 1, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("the installed model files' SHA-256 differ from the recipe's"), changed.stderr)

        var unrecorded = recipe
        var content = try XCTUnwrap(recipe["content"] as? [String: Any])
        content["sha256"] = ""
        unrecorded["content"] = content
        let unchecked = try replay(unrecorded)
        XCTAssertEqual(unchecked.status, 1, unchecked.stderr)
        XCTAssertTrue(unchecked.stderr.contains("records no SHA-256 for \(bridge)"), unchecked.stderr)
    }

    func testATinyPhotoIsAFileProblemExitOne() throws {
        try ImageFile.writePNG(RGBImage(width: 1, height: 1, red: 1), to: folder.appendingPathComponent("dot.png"))
        let result = try render(["dot.png", "-s", picasso, "-o", "x.png"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("dot.png is 1x1 pixels; a photo must be at least 2x2"), result.stderr)
    }

    func testTheReadmesMemoryExamplesAllWork() throws {
        let readme = try String(contentsOf: AtelierBinary.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let line = try XCTUnwrap(readme.split(separator: "\n").first { $0.contains("`--memory SIZE` is the budget") })
        let examples = line.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            .filter { $0.first?.isNumber == true }
        XCTAssertGreaterThanOrEqual(examples.count, 2, String(line))
        for example in examples {
            let result = try render([bridge, "-s", picasso, "--size", "64", "--memory", example, "-o", "m\(example).png"])
            XCTAssertEqual(result.status, 0, "--memory \(example): \(result.stderr)")
        }
    }
}
