#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// Sizes asked for on the command line or in a recipe are held to --max-pixels, and inputs that
/// are not regular files are refused at once: the real binary.
final class InputBoundsTests: CLITestCase {
    func testHugeSizesAreRefusedBeforeAnyAllocation() throws {
        let cases: [[String]] = [
            ["--size", "100000"],
            ["--style-size", "100000"],
            ["--size", "20000", "--max-pixels", "1000000"],
        ]
        for extra in cases {
            let result = try render([bridge, "-s", picasso, "-o", "x.png"] + extra)
            XCTAssertEqual(result.status, 1, "\(extra): \(result.stderr)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(extra): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("over the limit of") && result.stderr.contains("--max-pixels"), result.stderr)
            XCTAssertEqual(try files(), [], "\(extra) left files behind")
        }
    }

    func testARecipeSizeIsHeldToItsPixelLimit() throws {
        XCTAssertEqual(try render([bridge, "-s", picasso, "--size", "64", "-o", "a.png"]).status, 0)
        let url = folder.appendingPathComponent("a.png.json")
        var recipe = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        recipe["size"] = 100_000
        recipe.removeValue(forKey: "execution")
        try JSONSerialization.data(withJSONObject: recipe).write(to: url)
        let result = try render(["--recipe", "a.png.json", "-o", "b.png"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("over the limit of 100000000 pixels"), result.stderr)
    }

    func testAFIFOAsThePhotoOrStyleIsRefusedAtOnce() throws {
        let fifo = folder.appendingPathComponent("fifo.jpg")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        for arguments in [["fifo.jpg", "-s", picasso], [bridge, "-s", "fifo.jpg"], [bridge, "-s", picasso, "--region", "fifo.jpg=\(whorls)"]] {
            let result = try render(arguments + ["--size", "64", "-o", "x.png"], timeout: 60)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("fifo.jpg") && result.stderr.contains("not a regular file"), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
    }
}
