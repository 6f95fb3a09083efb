import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier render - ...` (the photo on standard input) and `-o -` (the PNG on standard output),
/// and `--json`: the real binary with real pipes and files.
final class StandardStreamsTests: CLITestCase {
    /// Runs `atelier render arguments` with standard input from `input` (nil: an empty pipe) and
    /// standard output into the file `stdoutName` in the test's folder.
    private func renderStreams(_ arguments: [String], input: String?, stdoutName: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = AtelierBinary.url
        process.arguments = ["render"] + arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["ATELIER_HOME"] = home.path
        process.environment = environment
        if let input {
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: input))
        } else {
            process.standardInput = Pipe()
        }
        let out = folder.appendingPathComponent(stdoutName)
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        let err = Pipe()
        process.standardError = err
        try process.run()
        if input == nil { (process.standardInput as! Pipe).fileHandleForWriting.closeFile() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }

    func testAPhotoFromStandardInputToStandardOutputIsTheSamePNG() throws {
        XCTAssertEqual(try render([bridge, "-s", picasso, "--size", "64", "-o", "file.png"]).status, 0)
        let piped = try renderStreams(["-", "-s", picasso, "--size", "64", "-o", "-"], input: bridge, stdoutName: "piped.png")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stderr.contains("standard output"), piped.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("piped.png")),
                       try Data(contentsOf: folder.appendingPathComponent("file.png")))
        XCTAssertEqual(try files(), ["file.png", "file.png.json", "piped.png"], "no recipe, no stray file for -o -")
    }

    func testARecipeOfAPhotoFromStandardInputReplaysFromStandardInput() throws {
        let made = try renderStreams(["-", "-s", picasso, "--size", "64", "-o", "in.png"], input: bridge, stdoutName: "log")
        XCTAssertEqual(made.status, 0, made.stderr)
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("in.png.json"))) as! [String: Any]
        let content = recipe["content"] as! [String: Any]
        XCTAssertEqual(content["path"] as? String, "-")
        XCTAssertEqual(content["sha256"] as? String, try SHA256.hex(ofFile: URL(fileURLWithPath: bridge)))

        let again = try renderStreams(["--recipe", "in.png.json", "-o", "again.png"], input: bridge, stdoutName: "log")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("again.png")),
                       try Data(contentsOf: folder.appendingPathComponent("in.png")))

        let other = try renderStreams(["--recipe", "in.png.json", "-o", "other.png"], input: picasso, stdoutName: "log")
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.stderr.contains("standard input has changed"), other.stderr)
        XCTAssertFalse(try files().contains("other.png"))
    }

    func testBadStandardInputIsOneLineAndWritesNothing() throws {
        let empty = try renderStreams(["-", "-s", picasso, "-o", "x.png"], input: nil, stdoutName: "log")
        XCTAssertEqual(empty.status, 1)
        XCTAssertEqual(empty.stderr, "atelier: standard input is empty: no photo to read\n")
        let garbage = try renderStreams(["-", "-s", picasso, "-o", "x.png"], input: images.appendingPathComponent("SOURCES.md").path,
                                        stdoutName: "log")
        XCTAssertEqual(garbage.status, 1)
        XCTAssertTrue(garbage.stderr.hasPrefix("atelier: cannot read standard input: not a"), garbage.stderr)
        XCTAssertEqual(garbage.stderr.split(separator: "\n").count, 1)
        XCTAssertEqual(try files(), ["log"])
        let json = try render([bridge, "-s", picasso, "-o", "-", "--json"])
        XCTAssertEqual(json.status, 2)
        XCTAssertTrue(json.stderr.contains("--json"), json.stderr)
    }

    func testJSONGivesOneParsableObjectPerPhoto() throws {
        let single = try render([bridge, "-s", picasso, "--size", "64", "-o", "one.png", "--json"])
        XCTAssertEqual(single.status, 0, single.stderr)
        let lines = single.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, single.stdout)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        XCTAssertEqual(object["status"] as? String, "rendered")
        XCTAssertEqual(object["input"] as? String, bridge)
        XCTAssertEqual(object["output"] as? String, folder.appendingPathComponent("one.png").path)
        XCTAssertEqual(object["recipe"] as? String, folder.appendingPathComponent("one.png.json").path)
        XCTAssertEqual(object["width"] as? Int, 64)
        XCTAssertNotNil(object["seconds"] as? Double)

        let photos = folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: bridge, toPath: photos.appendingPathComponent("a.jpg").path)
        try Data("junk".utf8).write(to: photos.appendingPathComponent("b.png"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out"), withIntermediateDirectories: true)
        try Data("old".utf8).write(to: folder.appendingPathComponent("out/c.png"))
        try FileManager.default.copyItem(atPath: bridge, toPath: photos.appendingPathComponent("c.jpg").path)
        let batch = try render(["photos", "-o", "out", "-s", picasso, "--size", "64", "--json"])
        XCTAssertEqual(batch.status, 1, batch.stderr)
        let objects = try batch.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(objects.map { $0["status"] as? String }, ["rendered", "failed", "skipped"])
        XCTAssertEqual(objects.map { ($0["input"] as? String).map { ($0 as NSString).lastPathComponent } }, ["a.jpg", "b.png", "c.jpg"])
        XCTAssertNotNil(objects[1]["error"] as? String)
        XCTAssertNil(objects[1]["recipe"])
    }
}
