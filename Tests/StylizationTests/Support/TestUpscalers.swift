import Foundation
@testable import Stylization

/// The upscaling networks as `atelier models install` makes them: installed once per run from
/// the shared wheel into a temporary home, then loaded from the store.
enum TestUpscalers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var store: UpscalerStore?
    nonisolated(unsafe) private static var networks: [String: UpscalerNetwork] = [:]

    /// The installed store (installing it on first use).
    static func installedStore() throws -> UpscalerStore {
        try lock.withLock { try installedLocked() }
    }

    private static func installedLocked() throws -> UpscalerStore {
        if let store { return store }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-upscalers-\(getpid())")
        let made = UpscalerStore(home: home)
        try made.install(from: SharedMaterial.root.appendingPathComponent("models"), progress: { _ in })
        store = made
        return made
    }

    /// The network with ncnn file stem `name`, loaded from the installed store.
    static func network(_ name: String) throws -> UpscalerNetwork {
        try lock.withLock {
            if let network = networks[name] { return network }
            guard let model = UpscalerModel.all.first(where: { $0.name == name }) else {
                throw UpscalerModelError.unsupported(file: name, what: "this model")
            }
            let network = try installedLocked().load(model)
            networks[name] = network
            return network
        }
    }

    /// A new network with ncnn file stem `name`, loaded from the installed store: its layers
    /// choose their kernels under the instruction-set cap in force now (InstructionSetPathTests).
    static func fresh(_ name: String) throws -> UpscalerNetwork {
        guard let model = UpscalerModel.all.first(where: { $0.name == name }) else {
            throw UpscalerModelError.unsupported(file: name, what: "this model")
        }
        return try installedStore().load(model)
    }
}
