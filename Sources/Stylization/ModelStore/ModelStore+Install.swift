import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#endif

extension ModelStore {
    /// Installs the model from `source` (a folder of se1.pth ... sd5.pth), else from
    /// `$ATELIER_WEIGHTS_MIRROR`, else by downloading each file from upstream.
    ///
    /// See `install(_:progress:)`.
    public func install(from source: URL?, progress: (String) -> Void) throws {
        try install(WeightsSource.resolve(source), progress: progress)
    }

    /// Fetches every checkpoint from `source`, checks its size and SHA-256, converts it to
    /// safetensors and writes `manifest.json`; `progress` receives one line per step.
    ///
    /// All-or-nothing: every converted file is first written under a temporary name; only when
    /// all ten are ready are they renamed into place and the manifest written (atomically). On
    /// any error the temporary files are removed, an existing installation is left as it was,
    /// and a `ModelStoreError` naming the file is thrown.
    public func install(_ source: WeightsSource, progress: (String) -> Void) throws {
        if case .directory(let directory) = source {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ModelStoreError.sourceNotFound(directory: directory.path)
            }
        }
        let directory = modelDirectory
        let createdDirectory = !FileManager.default.fileExists(atPath: directory.path)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.writeFailed(path: directory.path, reason: FileErrorText.reason(for: error))
        }
        removeStaleTemporaryFiles()

        var staged: [(temporary: URL, final: URL)] = []
        do {
            var files: [String: ModelManifest.Entry] = [:]
            for checkpoint in checkpoints {
                let original = try source.fetch(checkpoint, progress: progress)
                try check(original, against: checkpoint)
                let (data, kept, dropped) = try convert(original, checkpoint)
                let final = convertedURL(of: checkpoint)
                staged.append((try AtomicFile.stage(data, for: final), final))
                files[checkpoint.convertedFileName] = ModelManifest.Entry(
                    source: checkpoint.sourceFileName, sourceSHA256: checkpoint.sha256,
                    sha256: SHA256.hex(of: data), bytes: data.count, tensors: kept)
                progress("\(checkpoint.sourceFileName): size and SHA-256 ok, \(kept) tensors converted"
                         + (dropped > 0 ? " (\(dropped) _aux tensors dropped)" : ""))
            }
            let manifest = ModelManifest(formatVersion: Self.formatVersion, model: Self.modelName, files: files)
            let manifestData = try manifest.encoded()
            while let next = staged.first {
                try AtomicFile.commit(next.temporary, to: next.final)
                staged.removeFirst()
            }
            try AtomicFile.write(manifestData, to: manifestURL)
            progress("installed \(checkpoints.count) model files in \(directory.path)")
        } catch {
            for file in staged { try? FileManager.default.removeItem(at: file.temporary) }
            if createdDirectory, (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.isEmpty == true {
                try? FileManager.default.removeItem(at: directory)
            }
            throw error
        }
    }

    /// Throws unless `bytes` has the checkpoint's pinned size and SHA-256.
    private func check(_ bytes: [UInt8], against checkpoint: ModelCheckpoint) throws {
        guard bytes.count == checkpoint.byteCount else {
            throw ModelStoreError.sizeMismatch(file: checkpoint.sourceFileName, expected: checkpoint.byteCount, actual: bytes.count)
        }
        let digest = SHA256.hex(of: bytes)
        guard digest == checkpoint.sha256 else {
            throw ModelStoreError.checksumMismatch(file: checkpoint.sourceFileName, expected: checkpoint.sha256, actual: digest)
        }
    }

    /// The safetensors bytes for a verified original, the number of tensors kept and dropped.
    private func convert(_ original: [UInt8], _ checkpoint: ModelCheckpoint) throws -> (Data, kept: Int, dropped: Int) {
        let tensors: [NamedTensor]
        do {
            tensors = try LegacyTorchCheckpoint.read(bytes: original, path: checkpoint.sourceFileName)
        } catch {
            throw ModelStoreError.unconvertible(file: checkpoint.sourceFileName, reason: "\(error)")
        }
        let kept = tensors.filter { !Self.isAuxiliary($0.name) }
        guard !kept.isEmpty else {
            throw ModelStoreError.unconvertible(file: checkpoint.sourceFileName, reason: "it holds no model tensors")
        }
        let metadata = [
            "atelier_format": "\(Self.formatVersion)",
            "model": Self.modelName,
            "checkpoint": checkpoint.name,
            "part": checkpoint.part.rawValue,
            "level": "\(checkpoint.level)",
            "source": checkpoint.upstreamPath,
            "source_sha256": checkpoint.sha256,
        ]
        do {
            return (try SafeTensors.encode(kept, metadata: metadata), kept.count, tensors.count - kept.count)
        } catch {
            throw ModelStoreError.unconvertible(file: checkpoint.sourceFileName, reason: "\(error)")
        }
    }

    /// Whether `name` belongs to an `_aux` distillation head (e.g. `conv31_aux.weight`).
    static func isAuxiliary(_ name: String) -> Bool {
        name.split(separator: ".").first?.hasSuffix("_aux") == true
    }

    /// Removes temporary files left in the model folder by installs that were killed (those
    /// whose process no longer runs).
    private func removeStaleTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: modelDirectory.path)) ?? []
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: AtomicFile.partialMarker, options: .backwards),
                  let pid = Int32(name[marker.upperBound...]) else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            try? FileManager.default.removeItem(at: modelDirectory.appendingPathComponent(name))
        }
    }
}
