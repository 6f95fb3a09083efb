import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#endif

/// `manifest.json` in the model folder: what each converted file was made from and its digest.
///
/// Written last, atomically, by a successful install; `verify()` and `loadWeights` trust a
/// converted file only when its SHA-256 matches the manifest.
struct ModelManifest: Codable, Equatable {
    /// One converted file.
    struct Entry: Codable, Equatable {
        /// The original file name, e.g. `"se1.pth"`.
        var source: String
        /// The original file's SHA-256.
        var sourceSHA256: String
        /// The converted file's SHA-256.
        var sha256: String
        /// The converted file's size in bytes.
        var bytes: Int
        /// The number of tensors kept.
        var tensors: Int
    }

    /// The converted-file format; bumped whenever conversion changes the files' bytes.
    var formatVersion: Int
    /// The model's name.
    var model: String
    /// Converted file name (e.g. `"se1.safetensors"`) -> entry.
    var files: [String: Entry]

    /// Reads the manifest at `url`, or nil when it is absent or unreadable.
    static func read(_ url: URL) -> ModelManifest? {
        guard let data = (try? RegularFile.bytes(url.path, limit: 1 << 20)).map({ Data($0) }) else { return nil }
        return try? JSONDecoder().decode(ModelManifest.self, from: data)
    }

    /// Installs `files` (name -> bytes) and then this manifest into `directory`, all or
    /// nothing: every file is staged under a temporary name first, then each is renamed into
    /// place and the manifest written last. On failure the temporaries are removed (and the
    /// folder, when this call created it and it is empty) and a `ModelStoreError` is thrown.
    func install(_ files: [(name: String, data: Data)], in directory: URL) throws {
        let fm = FileManager.default
        let created = !fm.fileExists(atPath: directory.path)
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.writeFailed(path: directory.path, reason: FileErrorText.reason(for: error))
        }
        var staged: [(temporary: URL, final: URL)] = []
        do {
            for file in files {
                let final = directory.appendingPathComponent(file.name)
                staged.append((try AtomicFile.stage(file.data, for: final), final))
            }
            let manifest = try encoded()
            while let next = staged.first {
                try AtomicFile.commit(next.temporary, to: next.final)
                staged.removeFirst()
            }
            try AtomicFile.write(manifest, to: directory.appendingPathComponent("manifest.json"))
        } catch {
            for file in staged { try? fm.removeItem(at: file.temporary) }
            if created, (try? fm.contentsOfDirectory(atPath: directory.path))?.isEmpty == true {
                try? fm.removeItem(at: directory)
            }
            throw error
        }
    }

    /// The manifest's JSON (sorted keys, pretty-printed).
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Writes files so that readers see either the old file or the whole new one, never a part.
enum AtomicFile {
    /// The temporary name used while writing `url`: hidden, in the same folder, tagged with the process id.
    static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent)\(partialMarker)\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// What every temporary name contains, so stale ones can be swept up.
    static let partialMarker = ".partial-"

    /// Writes `data` to a temporary file beside `url` (which stays until `commit`). Returns the temporary URL.
    static func stage(_ data: Data, for url: URL) throws -> URL {
        let temporary = temporaryURL(for: url)
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ModelStoreError.writeFailed(path: url.path, reason: FileErrorText.reason(for: error))
        }
        return temporary
    }

    /// Renames a staged file over `url` in one step.
    static func commit(_ temporary: URL, to url: URL) throws {
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ModelStoreError.writeFailed(path: url.path, reason: reason)
        }
    }

    /// Stages and commits `data` to `url`.
    static func write(_ data: Data, to url: URL) throws {
        try commit(try stage(data, for: url), to: url)
    }
}
