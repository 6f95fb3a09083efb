import Foundation
import XCTest
@testable import Stylization

/// Locations of the shared material the checkpoint and model-store tests read, and a way to run
/// the Python reference (torch_legacy.py) as an independent reader.
enum CheckpointMaterial {
    /// `<repo root>/../shared`, or `$ATELIER_SHARED`.
    static var shared: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_SHARED"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let repoRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The folder of the ten original checkpoints: `$ATELIER_WEIGHTS_MIRROR` or `<shared>/models/ust16x`.
    static var mirror: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_WEIGHTS_MIRROR"], !path.isEmpty {
            return ust16xFolder(path)
        }
        return shared.appendingPathComponent("models/ust16x")
    }

    /// The folder holding torch_legacy.py.
    static var reference: URL { shared.appendingPathComponent("reference") }

    /// The README table: file name -> (bytes, upstream path, sha256).
    static func readmeTable() throws -> [String: (bytes: Int, upstream: String, sha256: String)] {
        let text = try String(contentsOf: shared.appendingPathComponent("models/README.md"), encoding: .utf8)
        var table: [String: (Int, String, String)] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| s") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 4, cells[0].hasSuffix(".pth"), let bytes = Int(cells[1]) else { continue }
            table[cells[0]] = (bytes, cells[2], cells[3])
        }
        return table
    }

    /// Runs `python3 -c script arguments...` with the reference folder importable; returns stdout.
    static func python(_ script: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = reference.path
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "python3", code: Int(process.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "python3 failed: \(errorText)"])
        }
        return data
    }

    /// A fresh empty temporary directory, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("atelier-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

final class CheckpointMaterialTests: XCTestCase {
    func testMirrorHoldsTheTenCheckpointsOfTheReadme() throws {
        let table = try CheckpointMaterial.readmeTable()
        XCTAssertEqual(table.keys.sorted(), ["sd1", "sd2", "sd3", "sd4", "sd5", "se1", "se2", "se3", "se4", "se5"].map { $0 + ".pth" })
        for (file, row) in table {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: CheckpointMaterial.mirror.appendingPathComponent(file).path)
            XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, row.bytes, file)
        }
    }
}


/// A weights mirror is either the shared models root (with `ust16x/`, `magenta/`, ...) or the
/// UST-16x folder itself: the folder that holds the .pth files.
private func ust16xFolder(_ path: String) -> URL {
    let nested = URL(fileURLWithPath: path).appendingPathComponent("ust16x")
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: nested.path, isDirectory: &isDirectory) && isDirectory.boolValue
        ? nested : URL(fileURLWithPath: path)
}
