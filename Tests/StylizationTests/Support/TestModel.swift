import Foundation
@testable import Stylization

/// The UST-16x model read straight from the weights mirror's legacy checkpoints (once per run).
enum TestModel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var model: UST16xModel?

    static func shared() throws -> UST16xModel {
        try lock.withLock {
            if let model { return model }
            let loaded = try UST16xModel(tensors: { part in
                let tensors = try LegacyTorchCheckpoint.read(SharedMaterial.weightsMirror.appendingPathComponent(part + ".pth"))
                let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                return { name in byName[name].map { ($0.shape, $0.values) } }
            })
            model = loaded
            return loaded
        }
    }
}
