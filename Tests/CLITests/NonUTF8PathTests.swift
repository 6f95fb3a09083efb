#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest

/// File names that are not UTF-8 are kept as bytes from the command line to open(2) and
/// rename(2): the real binary, run through the shell so the bytes reach argv unchanged
/// (Foundation's `Process` takes Strings).
final class NonUTF8PathTests: CLITestCase {
    override func tearDownWithError() throws {
        // FileManager cannot name these files; rm can.
        _ = try shell("rm -rf \"$0\"", [folder.path])
    }

    /// Runs `script` under /bin/sh in the test's folder ($0, $1... = `arguments`), with
    /// `$A` = the atelier binary; printf makes the raw bytes (`\377` is 0xFF).
    private func shell(_ script: String, _ arguments: [String]) throws -> AtelierBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script] + arguments
        process.currentDirectoryURL = folder.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: folder.path) { process.currentDirectoryURL = folder }
        process.environment = ["ATELIER_HOME": home.path, "PATH": "/usr/bin:/bin", "A": AtelierBinary.url.path]
        return try .collect(process)
    }

    /// The names in the test's folder as bytes, sorted.
    private func rawNames() -> [[UInt8]] {
        guard let directory = opendir(folder.path) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != Array(".".utf8) && name != Array("..".utf8) { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    private func bytes(_ text: String) -> [UInt8] {
        // "\u{FF}" stands for the raw byte 0xFF here, any other character for its UTF-8.
        text.unicodeScalars.flatMap { $0.value == 0xFF || $0.value == 0xFE ? [UInt8($0.value)] : Array(String($0).utf8) }
    }

    func testNonUTF8PhotoStyleMaskAndOutputAreUsedUnderTheirExactNames() throws {
        let render = """
            cp "$0" "$(printf 'p\\377.jpg')" && cp "$1" "$(printf 's\\376.jpg')" && \
            "$A" render "$(printf 'p\\377.jpg')" -s "$(printf 's\\376.jpg')" --size 64 -o "$(printf 'o\\377.png')"
            """
        let first = try shell(render, [bridge, picasso])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("wrote \(folder.path)/o\\xff.png ("), first.stdout)
        XCTAssertEqual(rawNames(), ["o\u{FF}.png", "o\u{FF}.png.json", "p\u{FF}.jpg", "s\u{FE}.jpg"].map(bytes))

        // The recipe names the inputs so that a replay finds the same files, and the output
        // is the same picture.
        let replay = try shell("\"$A\" render --recipe \"$(printf 'o\\377.png.json')\" -o \"$(printf 'r\\376.png')\"", [])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertTrue(rawNames().contains(bytes("r\u{FE}.png")) && rawNames().contains(bytes("r\u{FE}.png.json")), "\(rawNames())")
        let same = try shell("cmp \"$(printf 'o\\377.png')\" \"$(printf 'r\\376.png')\"", [])
        XCTAssertEqual(same.status, 0, "the replay differs: \(same.stdout)")
    }

    func testAMissingNonUTF8InputIsNamedWithItsBytesEscaped() throws {
        let result = try shell("\"$A\" render \"$(printf 'gone\\377.jpg')\" -s \"$0\" --size 64 -o out.png", [picasso])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("gone\\xff.jpg"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\u{FFFD}"), result.stderr)
        XCTAssertEqual(rawNames(), [])
    }
}
