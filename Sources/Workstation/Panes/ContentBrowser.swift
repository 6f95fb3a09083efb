#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Imaging

/// The photo picker's model: the images, saved sessions and sub-folders of one folder, and a cursor.
public struct ContentBrowser: Sendable {
    /// One row of the listing.
    public struct Entry: Equatable, Sendable {
        /// What the row is.
        public enum Kind: Equatable, Sendable {
            /// The parent folder ("..").
            case parent
            /// A sub-folder.
            case folder
            /// An image file (by extension; it is decoded only when opened).
            case image
            /// A saved session (`*.atelier.json`, read only when opened).
            case session
            /// A video clip (by extension; probed only when opened).
            case video
        }

        /// The file or folder.
        public var url: URL
        /// Parent, folder or image.
        public var kind: Kind

        /// The name shown in the list.
        public var name: String {
            switch kind {
            case .parent: return ".."
            case .folder: return PathBytes.shown(url.lastPathComponent) + "/"
            case .image, .session, .video: return PathBytes.shown(url.lastPathComponent)
            }
        }
    }

    /// File extensions listed as images (every format Imaging decodes).
    public static let imageExtensions: Set<String> = ImageFormat.fileExtensions

    /// The folder shown.
    public private(set) var folder: URL
    /// Its rows: "..", sub-folders, then images, each by name.
    public private(set) var entries: [Entry] = []
    /// The row under the cursor.
    public var cursor = 0
    /// Why the folder could not be listed, if it could not.
    public private(set) var problem: String?

    /// A browser showing `folder`.
    public init(folder: URL) {
        self.folder = folder.standardizedFileURL
        open(folder: folder)
    }

    /// The row under the cursor, if any.
    public var selected: Entry? { entries.indices.contains(cursor) ? entries[cursor] : nil }

    /// Lists the folder again, keeping the cursor on the same name when it is still there.
    public mutating func reload() {
        let keep = selected?.url
        var listed: [Entry] = []
        problem = nil
        if folder.path != "/" {
            listed.append(Entry(url: folder.deletingLastPathComponent(), kind: .parent))
        }
        // Names as bytes (PathBytes): a name that is not UTF-8 is listed and opens like any other.
        if let names = PathBytes.names(in: folder.path)?.filter({ !$0.hasPrefix(".") }) {
            var folders: [Entry] = [], images: [Entry] = [], sessions: [Entry] = [], videos: [Entry] = []
            for name in names.sorted(by: { $0.localizedStandardCompare($1) == .orderedAscending }) {
                let url = folder.appendingPathComponent(name)
                var info = stat()
                guard stat(url.systemPath, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    folders.append(Entry(url: url, kind: .folder))
                } else if Self.imageExtensions.contains(url.pathExtension.lowercased()) && !Self.isExportMask(name) {
                    images.append(Entry(url: url, kind: .image))
                } else if VideoProbe.isVideoName(name) {
                    videos.append(Entry(url: url, kind: .video))
                } else if Self.isSessionFile(name) {
                    sessions.append(Entry(url: url, kind: .session))
                }
            }
            listed += folders + images + videos + sessions
        } else {
            problem = "cannot list \(PathBytes.shown(folder.path)): permission denied or not a folder"
        }
        entries = listed
        cursor = keep.flatMap { url in entries.firstIndex { $0.url == url } } ?? min(cursor, max(0, entries.count - 1))
    }

    /// Shows `folder`; the cursor goes to `select` when listed, else to the first image.
    public mutating func open(folder: URL, select: URL? = nil) {
        self.folder = folder.standardizedFileURL
        cursor = 0
        entries = []
        reload()
        if let select, let i = entries.firstIndex(where: { $0.url.standardizedFileURL == select.standardizedFileURL }) {
            cursor = i
        } else if let i = entries.firstIndex(where: { $0.kind == .image }) {
            cursor = i
        }
    }

    /// Goes to the parent folder with the cursor on the folder just left.
    public mutating func goUp() {
        guard folder.path != "/" else { return }
        let left = folder
        open(folder: folder.deletingLastPathComponent(), select: left)
    }

    /// Moves the cursor by `delta` rows, staying in the list.
    public mutating func move(by delta: Int) {
        guard !entries.isEmpty else { return }
        cursor = min(max(cursor + delta, 0), entries.count - 1)
    }

    /// Whether `name` is a saved session (`s` suggests `<photo>.atelier.json`).
    public static func isSessionFile(_ name: String) -> Bool { name.lowercased().hasSuffix(".atelier.json") }

    /// Whether `name` is the mask an export writes beside its picture (`<photo>-atelier.png.mask.png`):
    /// not a photo to open.
    static func isExportMask(_ name: String) -> Bool { name.lowercased().hasSuffix(".png.mask.png") }
}
