import Foundation
import XCTest

/// `atelier render --polish N` through the real binary.
final class PolishCommandTests: CLITestCase {
    /// The polish runs after the feed-forward render, differs from it, is recorded in the
    /// recipe, and the recipe replays it bit for bit.
    func testPolishIsRecordedAndReplaysBitForBit() throws {
        let plain = try render([bridge, "-s", picasso, "-o", "plain.png", "--size", "64", "--style-size", "64"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let polished = try render([bridge, "-s", picasso, "-o", "out.png", "--size", "64", "--style-size", "64",
                                   "--alpha", "0.8", "--polish", "5"])
        XCTAssertEqual(polished.status, 0, polished.stderr)
        let a = try Data(contentsOf: folder.appendingPathComponent("plain.png"))
        let b = try Data(contentsOf: folder.appendingPathComponent("out.png"))
        XCTAssertNotEqual(a, b)
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out.png.json"))) as! [String: Any]
        let polish = try XCTUnwrap(recipe["polish"] as? [String: Any])
        XCTAssertEqual(polish["steps"] as? Int, 5)
        let weights = try XCTUnwrap(polish["weights"] as? [String: Double])
        XCTAssertEqual(weights["style"]!, 8, accuracy: 1e-4)        // alpha 0.8 of the default 10
        XCTAssertNil((try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("plain.png.json"))) as! [String: Any])["polish"])
        let again = try render(["--recipe", "out.png.json", "-o", "again.png"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("again.png")), b)
    }

    /// A recipe replays with the weights it recorded, not today's defaults: a recipe written with
    /// another β_c (here 5, the default before β_c 7) replays bit for bit, and differently
    /// from the same recipe at the current default.
    func testRecipeReplaysItsRecordedWeights() throws {
        let made = try render([bridge, "-s", picasso, "-o", "now.png", "--size", "64", "--style-size", "64", "--polish", "5"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let url = folder.appendingPathComponent("now.png.json")
        var recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var polish = try XCTUnwrap(recipe["polish"] as? [String: Any])
        var weights = try XCTUnwrap(polish["weights"] as? [String: Double])
        XCTAssertNotEqual(weights["content"]!, 5, "the default β_c is no longer 5")
        weights["content"] = 5
        polish["weights"] = weights
        recipe["polish"] = polish
        try JSONSerialization.data(withJSONObject: recipe).write(to: folder.appendingPathComponent("old.json"))
        let first = try render(["--recipe", "old.json", "-o", "old1.png"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try render(["--recipe", "old.json", "-o", "old2.png"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let old = try Data(contentsOf: folder.appendingPathComponent("old1.png"))
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("old2.png")), old)
        XCTAssertNotEqual(try Data(contentsOf: folder.appendingPathComponent("now.png")), old)
        let replayed = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("old1.png.json"))) as! [String: Any]
        XCTAssertEqual(((replayed["polish"] as? [String: Any])?["weights"] as? [String: Double])?["content"], 5)
    }

    /// A polish after another family: the recipe records se5's SHA-256 beside the family's own
    /// files (the polish optimises through it), and replays bit for bit.
    func testPolishAfterAnotherFamilyRecordsSe5AndReplays() throws {
        let made = try render([bridge, "--model", "magenta", "-s", picasso, "-o", "m.png", "--size", "48", "--polish", "3"])
        XCTAssertEqual(made.status, 0, made.stderr)
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("m.png.json"))) as! [String: Any]
        XCTAssertEqual(recipe["model"] as? String, "magenta")
        let files = try XCTUnwrap(recipe["modelFiles"] as? [String: String])
        let se5 = try XCTUnwrap(files["se5"], "\(files.keys.sorted())")
        XCTAssertEqual(se5.count, 64)
        XCTAssertGreaterThan(files.count, 1, "the family's own files are still there")
        let again = try render(["--recipe", "m.png.json", "-o", "m2.png"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("m2.png")),
                       try Data(contentsOf: folder.appendingPathComponent("m.png")))
    }

    /// Bad values and a photo too large for the memory budget: one line, non-zero, no file.
    func testRefusals() throws {
        let negative = try render([bridge, "-s", picasso, "-o", "out.png", "--polish", "-1"])
        XCTAssertNotEqual(negative.status, 0)
        XCTAssertTrue(negative.stderr.contains("--polish"), negative.stderr)
        let large = try render([bridge, "-s", picasso, "-o", "out.png", "--size", "2048", "--memory", "300M", "--tile", "256", "--polish", "10"])
        XCTAssertEqual(large.status, 1, large.stderr)
        XCTAssertTrue(large.stderr.contains("--polish at") && large.stderr.contains("memory budget"), large.stderr)
        XCTAssertEqual(large.stderr.split(separator: "\n").count, 1, large.stderr)
        XCTAssertEqual(try files(), [])
    }

    /// Ctrl-C during a long polish: exit 130, one line, nothing written.
    func testInterruptLeavesNoOutput() throws {
        let process = Process()
        process.executableURL = AtelierBinary.url
        process.arguments = ["render", bridge, "-s", picasso, "-o", "out.png", "--size", "64", "--style-size", "64", "--polish", "10000"]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["ATELIER_HOME"] = home.path
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 4)
        XCTAssertTrue(process.isRunning, "10000 steps should still be running")
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, message)
        XCTAssertTrue(message.contains("interrupted"), message)
        XCTAssertEqual(try files(), [])
    }
}
