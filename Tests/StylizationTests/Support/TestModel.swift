import Foundation
@testable import Stylization

/// The UST-16x model read straight from the weights mirror's legacy checkpoints (once per run).
enum TestModel {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var model: UST16xModel?
    nonisolated(unsafe) private static var checkpoints: [String: [String: NamedTensor]] = [:]

    static func shared() throws -> UST16xModel {
        try lock.withLock {
            if let model { return model }
            let loaded = try freshLocked()
            model = loaded
            return loaded
        }
    }

    /// A new model from the checkpoints (read once per run): its layers choose their kernels
    /// under the instruction-set cap in force now (InstructionSetPathTests).
    static func fresh() throws -> UST16xModel {
        try lock.withLock { try freshLocked() }
    }

    private static func freshLocked() throws -> UST16xModel {
        try UST16xModel(tensors: { part in
            if checkpoints[part] == nil {
                let tensors = try LegacyTorchCheckpoint.read(SharedMaterial.weightsMirror.appendingPathComponent(part + ".pth"))
                checkpoints[part] = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            }
            let byName = checkpoints[part]!
            return { name in byName[name].map { ($0.shape, $0.values) } }
        })
    }
}
