import Foundation
import XCTest
@testable import Stylization

final class ModelStoreVerifyTests: XCTestCase {
    private func installedStore() throws -> ModelStore {
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self))
        try store.install(from: CheckpointMaterial.mirror) { _ in }
        return store
    }

    func testNothingInstalled() throws {
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self))
        XCTAssertFalse(store.isInstalled)
        XCTAssertEqual(store.modelFileDigests(), [:])
        XCTAssertEqual(store.verify().map(\.state), Array(repeating: .missing, count: 10))
        XCTAssertThrowsError(try store.loadWeights(level: 4, part: .encoder)) { error in
            XCTAssertEqual(error as? ModelStoreError, .modelUnavailable("model not installed: run `atelier models install`"))
            XCTAssertEqual("\(error)", "model not installed: run `atelier models install`")
        }
        XCTAssertThrowsError(try store.loadWeights(level: 6, part: .decoder)) { error in
            XCTAssertEqual(error as? ModelStoreError, .invalidLevel(6))
        }
    }

    func testCorruptAndMissingFilesAreReported() throws {
        let store = try installedStore()
        let se2 = store.modelDirectory.appendingPathComponent("se2.safetensors")
        var bytes = [UInt8](try Data(contentsOf: se2))
        bytes[bytes.count - 10] ^= 0x40  // a weight bit: the file still parses, only the hash can tell
        try Data(bytes).write(to: se2)
        try FileManager.default.removeItem(at: store.modelDirectory.appendingPathComponent("sd5.safetensors"))

        let states = Dictionary(uniqueKeysWithValues: store.verify().map { ($0.checkpoint.name, $0.state) })
        XCTAssertEqual(states["sd5"], .missing)
        guard case .corrupt(let reason)? = states["se2"] else { return XCTFail("se2 not corrupt: \(String(describing: states["se2"]))") }
        XCTAssertTrue(reason.contains("differs from the manifest"), reason)
        XCTAssertEqual(states.values.filter { $0 == .ok }.count, 8)
        XCTAssertFalse(store.isInstalled)

        XCTAssertThrowsError(try store.loadWeights(level: 2, part: .encoder)) { error in
            XCTAssertTrue("\(error)".contains("se2.safetensors is corrupt"), "\(error)")
        }
        XCTAssertThrowsError(try store.loadWeights(level: 5, part: .decoder)) { error in
            XCTAssertEqual("\(error)", "model not installed: run `atelier models install`")
        }
        XCTAssertNoThrow(try store.loadWeights(level: 2, part: .decoder))
    }

    func testFilesWithoutAManifestAreNotTrusted() throws {
        let store = try installedStore()
        try FileManager.default.removeItem(at: store.manifestURL)
        XCTAssertFalse(store.isInstalled)
        for status in store.verify() {
            guard case .corrupt(let reason) = status.state else { return XCTFail("\(status)") }
            XCTAssertTrue(reason.contains("manifest.json"), reason)
        }
        XCTAssertThrowsError(try store.loadWeights(level: 1, part: .encoder))
    }

    func testSourceResolution() {
        let dir = URL(fileURLWithPath: "/tmp/w")
        XCTAssertEqual(WeightsSource.resolve(dir, environment: ["ATELIER_WEIGHTS_MIRROR": "/m"]), .directory(dir))
        XCTAssertEqual(WeightsSource.resolve(nil, environment: ["ATELIER_WEIGHTS_MIRROR": "/m"]),
                       .directory(URL(fileURLWithPath: "/m")))
        XCTAssertEqual(WeightsSource.resolve(nil, environment: ["ATELIER_WEIGHTS_MIRROR": ""]), .upstream)
        XCTAssertEqual(WeightsSource.resolve(nil, environment: [:]), .upstream)
    }

    func testCheckpointTableMatchesTheReadme() throws {
        let readme = try CheckpointMaterial.readmeTable()
        XCTAssertEqual(ModelCheckpoint.ust16x.count, 10)
        for checkpoint in ModelCheckpoint.ust16x {
            let row = try XCTUnwrap(readme[checkpoint.sourceFileName])
            XCTAssertEqual(checkpoint.byteCount, row.bytes, checkpoint.name)
            XCTAssertEqual(checkpoint.sha256, row.sha256, checkpoint.name)
            XCTAssertEqual(checkpoint.upstreamPath, row.upstream, checkpoint.name)
            XCTAssertEqual(checkpoint.upstreamURL.absoluteString,
                           "https://github.com/MingSun-Tse/Collaborative-Distillation/raw/"
                           + "4a269dc90020721ef9b279b2926c62f5bcd6d209/" + row.upstream)
            XCTAssertEqual(checkpoint.name.hasPrefix("se") ? ModelPart.encoder : .decoder, checkpoint.part)
            XCTAssertEqual(String(checkpoint.level), String(checkpoint.name.last!))
        }
    }

    func testDefaultHomeIsAtelierHome() {
        let expected = ProcessInfo.processInfo.environment["ATELIER_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/atelier").path
        XCTAssertEqual(ModelStore.defaultHome.path, expected)
        XCTAssertEqual(ModelStore(home: URL(fileURLWithPath: "/h")).modelDirectory.path, "/h/models/ust16x")
    }
}
