#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import Stylization

/// The Magenta/CIN-26 and Real-ESRGAN stores read files like the rest of Atelier (`RegularFile`):
/// a FIFO or device as the wheel or as an installed file is refused at once (never read, never
/// blocking), and an installed file is never read past the size its manifest records.
final class WheelStoreFileTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wheel-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// Runs `body` on another thread and fails if it does not finish within 20 s (a FIFO read blocks forever).
    private func promptly(_ what: String, _ body: @escaping @Sendable () throws -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread {
            do { try body() } catch { XCTFail("\(what): \(error)") }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 20) == .timedOut { XCTFail("\(what) blocks") }
    }

    private func fifo(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(url.path, 0o600), 0)
    }

    func testAFIFOAsEitherWheelInAMirrorIsRefusedNamingIt() throws {
        let mirror = scratch.appendingPathComponent("mirror")
        try fifo(mirror.appendingPathComponent("magenta").appendingPathComponent(MagentaWheel.fileName))
        try fifo(mirror.appendingPathComponent("realesrgan").appendingPathComponent(UpscalerWheel.fileName))
        let home = scratch.appendingPathComponent("home")
        promptly("installing from a FIFO wheel") {
            XCTAssertThrowsError(try MagentaStore(home: home).install(from: mirror, environment: [:]) { _ in }) { error in
                XCTAssertEqual(error as? ModelStoreError, .sizeMismatch(file: MagentaWheel.fileName, expected: MagentaWheel.byteCount, actual: -1))
            }
            XCTAssertThrowsError(try UpscalerStore(home: home).install(from: mirror) { _ in }) { error in
                XCTAssertEqual(error as? ModelStoreError, .sizeMismatch(file: UpscalerWheel.fileName, expected: UpscalerWheel.byteCount, actual: -1))
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.path))
    }

    func testAnInstalledMagentaFileThatIsAFIFOOrLongerThanRecordedIsRefused() throws {
        let store = MagentaStore(home: scratch.appendingPathComponent("home"))
        try FileManager.default.createDirectory(at: store.modelDirectory, withIntermediateDirectories: true)
        let member = MagentaWheel.cin26
        let stored = Data("twelve bytes".utf8)
        let entry = ModelManifest.Entry(source: member.fileName, sourceSHA256: member.sha256, sha256: SHA256.hex(of: [UInt8](stored)),
                                        bytes: stored.count, tensors: 1)
        try ModelManifest(formatVersion: MagentaStore.formatVersion, model: MagentaWheel.folder,
                          files: [member.convertedFileName: entry]).encoded().write(to: store.manifestURL)
        let file = store.convertedURL(member)
        try fifo(file)
        promptly("loading a FIFO") {
            XCTAssertThrowsError(try store.network(member, family: "cin26")) { error in
                XCTAssertTrue("\(error)".contains("FIFO"), "\(error)")
            }
        }
        try FileManager.default.removeItem(at: file)
        try (stored + Data(count: 1 << 20)).write(to: file)
        XCTAssertThrowsError(try store.network(member, family: "cin26")) { error in
            XCTAssertTrue("\(error)".contains("larger than"), "\(error)")
        }
    }

    func testAnInstalledUpscalerFileThatIsAFIFOIsReportedAndRefused() throws {
        let installed = try TestUpscalers.installedStore()
        let home = scratch.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("models"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: installed.directory, to: home.appendingPathComponent("models/realesrgan"))
        let store = UpscalerStore(home: home)
        let weights = store.directory.appendingPathComponent(UpscalerModel.fast.weightsFileName)
        try FileManager.default.removeItem(at: weights)
        try fifo(weights)
        promptly("verifying and loading a FIFO") {
            XCTAssertEqual(store.verify().filter { $0.problem != nil }.map(\.file), [UpscalerModel.fast.weightsFileName])
            XCTAssertThrowsError(try store.load(.fast)) { error in
                XCTAssertTrue("\(error)".contains(UpscalerModel.fast.weightsFileName), "\(error)")
            }
        }
    }
}
