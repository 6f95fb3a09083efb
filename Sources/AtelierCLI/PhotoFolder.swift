import Foundation
import Imaging

/// The photos (and videos) of a folder, as `atelier render DIR -o OUTDIR` renders them: the regular,
/// non-hidden files directly in it (not in sub-folders) named like an image (`.jpg`, `.png`,
/// ...) or a video (`.mp4`, `.mov`, ...: rendered to `.mp4`) or whose first bytes are an image format's, in byte order of their names. A file named
/// like an image that is not one is listed (and fails with its reason); other files (recipes,
/// notes) are not.
struct PhotoFolder {
    /// A photo and the name of its render.
    struct Photo: Equatable {
        /// The file's name in the folder.
        var name: String
        /// The file.
        var url: URL
        /// The render's name: the photo's name with `.png` for its extension, or its whole name
        /// plus `.png` when two photos share a stem (`a.jpg`, `a.png` -> `a.jpg.png`, `a.png.png`).
        var outputName: String
    }

    /// The folder.
    let url: URL

    /// The folder at `path`, or nil when `path` is not a folder.
    init?(path: String) {
        var isDirectory: ObjCBool = false
        guard path != "-", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        url = URL(fileURLWithPath: path).standardizedFileURL
    }

    /// The photos, sorted by name.
    func photos() throws -> [Photo] {
        guard let names = PathBytes.names(in: url.path) else {
            throw CLIFailure.runtime("cannot list \(PathBytes.shown(url.path)): \(String(cString: strerror(errno)))")
        }
        let photos = names.filter { !$0.hasPrefix(".") && isPhoto($0) }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let outputs = Self.outputNames(for: photos)
        return zip(photos, outputs).map { Photo(name: $0, url: url.appendingPathComponent($0), outputName: $1) }
    }

    /// The render's name for each photo name (see `Photo.outputName`).
    static func outputNames(for names: [String]) -> [String] {
        func stem(_ name: String) -> String {
            let base = (name as NSString).deletingPathExtension
            return base.isEmpty ? name : base
        }
        var counts: [String: Int] = [:]
        for name in names { counts[stem(name), default: 0] += 1 }
        return names.map { name in
            let kind = VideoProbe.isVideoName(name) ? "mp4" : "png"  // a video renders to a video
            return counts[stem(name)]! > 1 ? "\(name).\(kind)" : "\(stem(name)).\(kind)"
        }
    }

    /// Whether the file `name` is a regular file named like an image, or starting like one.
    private func isPhoto(_ name: String) -> Bool {
        let path = url.appendingPathComponent(name).path
        var info = stat()
        guard stat(PathBytes.cString(path), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        if ImageFormat.fileExtensions.contains((name as NSString).pathExtension.lowercased()) || VideoProbe.isVideoName(name) {
            return true
        }
        let fd = open(PathBytes.cString(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 64)
        let count = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return count > 0 && ImageFormat.detect(head[0..<count]) != nil
    }
}
