import Foundation
import XCTest

/// `atelier bench --json`: what the peer scripts read (one object per cell, with the kernels'
/// instruction set), and the usage errors for cells it cannot render.
final class BenchCommandTests: CLITestCase {
    private func bench(_ arguments: [String], environment: [String: String] = [:]) throws -> AtelierBinary.Result {
        try AtelierBinary.run(["bench"] + arguments, in: folder, home: home, environment: environment, timeout: 300)
    }

    private func objects(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    func testEachCellIsOneJSONObjectNamingItsModelSizeAndInstructionSet() throws {
        let magenta = try bench(["--model", "magenta", "--sizes", "32,48", "--runs", "1", "--json"])
        XCTAssertEqual(magenta.status, 0, magenta.stderr)
        let cells = try objects(magenta.stdout)
        XCTAssertEqual(cells.map { $0["size"] as? Int }, [32, 48])
        for cell in cells {
            XCTAssertEqual(cell["model"] as? String, "magenta-arbitrary")
            XCTAssertGreaterThan(cell["total_ms"] as? Double ?? 0, 0)
            XCTAssertGreaterThan(cell["predict_ms"] as? Double ?? 0, 0)
            XCTAssertTrue(["avx512", "avx2", "scalar"].contains(cell["isa"] as? String ?? ""), "\(cell)")
        }
        let ust = try bench(["--sizes", "32", "--quality", "fast", "--runs", "1", "--json"], environment: ["ATELIER_ISA": "scalar"])
        XCTAssertEqual(ust.status, 0, ust.stderr)
        let cell = try XCTUnwrap(try objects(ust.stdout).first)
        XCTAssertEqual(cell["levels"] as? String, "fast")
        XCTAssertEqual(cell["isa"] as? String, "scalar", "ATELIER_ISA caps the kernels")
    }

    func testSizesItCannotRenderAreUsageErrors() throws {
        for arguments in [["--sizes", "100000"], ["--sizes", "8"], ["--sizes", "64,x"], ["--upscaler", "fast", "--sizes", "2048"]] {
            let result = try bench(arguments + ["--runs", "1", "--json"])
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): \(result.stderr)")
        }
    }
}
