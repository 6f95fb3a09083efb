import Foundation
import Stylization
import XCTest
@testable import Engine

/// The real UST-16x model from the weights mirror (`$ATELIER_WEIGHTS_MIRROR` or
/// `<shared>/models/ust16x`), read once per test run, with its files' SHA-256.
enum RealModel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: LoadedModel?

    static var mirror: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_WEIGHTS_MIRROR"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return sharedFolder().appendingPathComponent("models/ust16x", isDirectory: true)
    }

    /// Skips the calling test when the checkpoints are not there.
    static func require() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: mirror.appendingPathComponent("se1.pth").path),
                          "the UST-16x checkpoints are not at \(mirror.path)")
    }

    static func load() throws -> LoadedModel {
        try lock.withLock {
            if let loaded { return loaded }
            var digests: [String: String] = [:]
            let model = try UST16xModel(tensors: { part in
                let file = mirror.appendingPathComponent(part + ".pth")
                digests[file.lastPathComponent] = try SHA256.hex(ofFile: file)
                let tensors = try LegacyTorchCheckpoint.read(file)
                let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                return { name in byName[name].map { ($0.shape, $0.values) } }
            })
            let result = LoadedModel(model: model, fileDigests: digests)
            loaded = result
            return result
        }
    }

    static func image(_ relative: String) -> String {
        sharedFolder().appendingPathComponent("images/" + relative).path
    }
}
