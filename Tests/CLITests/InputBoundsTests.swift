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

    func testNonUTF8FileNamesAreRefusedNotReplacedByAnotherName() throws {
        // Foundation's Process takes Strings, so the bytes go through the shell's printf.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cp \"$1\" \"$(printf 'p\\377.jpg')\" && exec \"$0\" render \"$(printf 'p\\377.jpg')\" -s \"$2\" --size 64 -o \"$(printf 'o\\377.png')\"",
                             AtelierBinary.url.path, bridge, picasso]
        process.currentDirectoryURL = folder
        process.environment = ["ATELIER_HOME": home.path, "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2, message)
        XCTAssertEqual(message, "atelier: argument 2 (p\\xff.jpg) is not valid UTF-8; atelier needs UTF-8 file names: rename the file\n")
        let names = try files()
        XCTAssertEqual(names.count, 1, "only the copied photo: \(names)")
    }
}
