import Foundation
import XCTest
@testable import Stylization

final class ModelStoreInstallTests: XCTestCase {
    private var mirror: URL { CheckpointMaterial.mirror }

    private func freshStore() throws -> ModelStore {
        ModelStore(home: try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("home"))
    }

    /// A writable copy of the mirror, optionally altered.
    private func mirrorCopy(_ alter: (URL) throws -> Void = { _ in }) throws -> URL {
        let copy = try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("mirror")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for checkpoint in ModelCheckpoint.ust16x {
            let data = try Data(contentsOf: mirror.appendingPathComponent(checkpoint.sourceFileName))
            try data.write(to: copy.appendingPathComponent(checkpoint.sourceFileName))
        }
        try alter(copy)
        return copy
    }

    /// Files in the model folder, hidden ones included.
    private func contents(_ store: ModelStore) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: store.modelDirectory.path)) ?? []).sorted()
    }

    func testInstallFromTheMirrorConvertsVerifiesAndLoads() throws {
        let store = try freshStore()
        XCTAssertFalse(store.isInstalled)
        var lines: [String] = []
        try store.install(from: mirror) { lines.append($0) }
        XCTAssertEqual(lines.count, 11)
        XCTAssertTrue(lines[0].hasPrefix("se1.pth: size and SHA-256 ok, 4 tensors converted (2 _aux tensors dropped)"), lines[0])

        XCTAssertEqual(contents(store), (ModelCheckpoint.ust16x.map(\.convertedFileName) + ["manifest.json"]).sorted())
        XCTAssertTrue(store.isInstalled)
        XCTAssertEqual(store.verify().map(\.state), Array(repeating: .ok, count: 10))
        XCTAssertEqual(store.modelFileDigests(),
                       Dictionary(uniqueKeysWithValues: ModelCheckpoint.ust16x.map { ($0.name, $0.sha256) }))

        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: store.manifestURL)) as? [String: Any])
        XCTAssertEqual(manifest["formatVersion"] as? Int, 1)
        let files = try XCTUnwrap(manifest["files"] as? [String: [String: Any]])
        XCTAssertEqual(files["se4.safetensors"]?["sourceSHA256"] as? String, ModelCheckpoint.ust16x[3].sha256)
        XCTAssertEqual(files["se4.safetensors"]?["sha256"] as? String,
                       try SHA256.hex(ofFile: store.modelDirectory.appendingPathComponent("se4.safetensors")))

        let encoder1 = try store.loadWeights(level: 1, part: .encoder)
        XCTAssertEqual(encoder1["conv0.weight"]?.shape, [3, 3, 1, 1])
        XCTAssertEqual(Set(encoder1.keys), ["conv0.weight", "conv0.bias", "conv11.weight", "conv11.bias"])

        // Every kept tensor equals the original checkpoint's; only the _aux heads are gone.
        for checkpoint in ModelCheckpoint.ust16x {
            let original = try LegacyTorchCheckpoint.read(mirror.appendingPathComponent(checkpoint.sourceFileName))
            let loaded = try store.loadWeights(level: checkpoint.level, part: checkpoint.part)
            let expected = original.filter { !$0.name.contains("_aux") }
            XCTAssertEqual(loaded.count, expected.count, checkpoint.name)
            for tensor in expected { XCTAssertEqual(loaded[tensor.name], tensor, "\(checkpoint.name) \(tensor.name)") }
            let (inFile, metadata) = try SafeTensors.read(store.convertedURL(of: checkpoint))
            XCTAssertEqual(inFile.map(\.name), expected.map(\.name), "file order")
            XCTAssertEqual(metadata["source_sha256"], checkpoint.sha256)
        }
        XCTAssertEqual(try store.loadWeights(level: 5, part: .decoder)["conv51.weight"]?.shape, [128, 128, 3, 3])
    }

    func testReinstallReplacesTheFilesWithIdenticalOnes() throws {
        let store = try freshStore()
        try store.install(from: mirror) { _ in }
        let before = try Data(contentsOf: store.manifestURL)
        try store.install(from: mirror) { _ in }
        XCTAssertEqual(try Data(contentsOf: store.manifestURL), before)
        XCTAssertEqual(contents(store).count, 11)
    }

    /// Asserts that installing from `source` into a fresh store fails with `expected`, and
    /// leaves no model folder behind.
    private func assertInstallFails(from source: URL, with expected: ModelStoreError, naming file: String,
                                    line: UInt = #line) throws {
        let store = try freshStore()
        XCTAssertThrowsError(try store.install(from: source) { _ in }, line: line) { error in
            XCTAssertEqual(error as? ModelStoreError, expected, line: line)
            XCTAssertTrue("\(error)".contains(file), "\(error)", line: line)
        }
        XCTAssertEqual(contents(store), [], line: line)
        XCTAssertFalse(store.isInstalled, line: line)
    }

    func testTamperedCheckpointFailsNamingItAndLeavesNothing() throws {
        let source = try mirrorCopy { copy in
            let url = copy.appendingPathComponent("se1.pth")
            var bytes = [UInt8](try Data(contentsOf: url))
            bytes[5000] ^= 0x01
            try Data(bytes).write(to: url)
        }
        let actual = try SHA256.hex(ofFile: source.appendingPathComponent("se1.pth"))
        try assertInstallFails(from: source, with: .checksumMismatch(
            file: "se1.pth", expected: ModelCheckpoint.ust16x[0].sha256, actual: actual), naming: "se1.pth")
    }

    func testTruncatedCheckpointFails() throws {
        let source = try mirrorCopy { copy in
            let url = copy.appendingPathComponent("se3.pth")
            try Data(try Data(contentsOf: url).prefix(100_000)).write(to: url)
        }
        try assertInstallFails(from: source, with: .sizeMismatch(file: "se3.pth", expected: 231124, actual: 100_000),
                               naming: "se3.pth")
    }

    func testMissingCheckpointFailsNamingIt() throws {
        let source = try mirrorCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("sd2.pth")) }
        try assertInstallFails(from: source, with: .sourceFileMissing(file: "sd2.pth", directory: source.path),
                               naming: "sd2.pth")
        let nowhere = URL(fileURLWithPath: "/nonexistent/weights")
        try assertInstallFails(from: nowhere, with: .sourceNotFound(directory: nowhere.path), naming: nowhere.path)
    }

    /// Writes a zip archive to `url` and returns its bytes.
    private func writeZip(to url: URL) throws -> [UInt8] {
        _ = try CheckpointMaterial.python(
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w').writestr('archive/data.pkl', b'x' * 64)", [url.path])
        return [UInt8](try Data(contentsOf: url))
    }

    func testZipFormatCheckpointFails() throws {
        var zip: [UInt8] = []
        let source = try mirrorCopy { zip = try writeZip(to: $0.appendingPathComponent("se1.pth")) }
        // Against the pinned table it is simply the wrong file.
        try assertInstallFails(from: source, with: .sizeMismatch(file: "se1.pth", expected: 10271, actual: zip.count),
                               naming: "se1.pth")
        // Even when its size and digest are the expected ones, the converter refuses it clearly.
        var table = ModelCheckpoint.ust16x
        table[0].byteCount = zip.count
        table[0].sha256 = SHA256.hex(of: zip)
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self), checkpoints: table)
        XCTAssertThrowsError(try store.install(from: source) { _ in }) { error in
            guard case .unconvertible(let file, let reason)? = error as? ModelStoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "se1.pth")
            XCTAssertTrue(reason.contains("zip-format"), reason)
        }
        XCTAssertEqual(contents(store), [])
    }

    func testFailedReinstallKeepsThePreviousInstallation() throws {
        let store = try freshStore()
        try store.install(from: mirror) { _ in }
        let manifest = try Data(contentsOf: store.manifestURL)
        let source = try mirrorCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("sd5.pth")) }
        XCTAssertThrowsError(try store.install(from: source) { _ in })
        XCTAssertEqual(try Data(contentsOf: store.manifestURL), manifest)
        XCTAssertEqual(contents(store).count, 11, "no temporary files left")
        XCTAssertEqual(store.verify().map(\.state), Array(repeating: .ok, count: 10))
    }

    func testStaleTemporaryFilesOfDeadInstallsAreRemoved() throws {
        let store = try freshStore()
        try FileManager.default.createDirectory(at: store.modelDirectory, withIntermediateDirectories: true)
        // Process ids above the kernel's pid_max (4194304) never run.
        let stale = store.modelDirectory.appendingPathComponent(".se1.safetensors.partial-99999999")
        try Data([1, 2, 3]).write(to: stale)
        try store.install(from: mirror) { _ in }
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
    }
}
