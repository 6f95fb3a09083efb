import Engine
import Foundation

/// The style gallery's model: every style painting found in the style folders (the repository's
/// Styles/, the user's styles folder, `--styles DIR`), plus any style the session uses from
/// elsewhere, and a cursor. The session's style list holds only styles that were ever turned on.
public struct StyleGallery: Sendable {
    /// A painting in the gallery.
    public struct Item: Equatable, Sendable {
        /// The image file.
        public var path: String
        /// Shown name: the file name without extension.
        public var name: String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension }
    }

    /// The paintings, folder by folder, each folder by name.
    public private(set) var items: [Item]
    /// The row under the cursor.
    public var cursor = 0
    /// Folders that were searched.
    public let folders: [URL]

    /// A gallery of the images in `folders` (missing folders are skipped).
    public init(folders: [URL]) {
        self.folders = folders
        var seen = Set<String>()
        var items: [Item] = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names.sorted(by: { $0.localizedStandardCompare($1) == .orderedAscending })
            where ContentBrowser.imageExtensions.contains((name as NSString).pathExtension.lowercased()) && !name.hasPrefix(".") {
                let path = folder.appendingPathComponent(name).standardizedFileURL.path
                if seen.insert(path).inserted { items.append(Item(path: path)) }
            }
        }
        self.items = items
    }

    /// Adds the session's styles that are not in the gallery yet (e.g. from a resumed session).
    public mutating func include(_ session: Session) {
        for style in session.styles where !items.contains(where: { $0.path == Self.normalised(style.path) }) {
            items.append(Item(path: Self.normalised(style.path)))
        }
    }

    /// The index in `session.styles` of gallery item `item`, if the session has it.
    public func sessionIndex(of item: Int, in session: Session) -> Int? {
        guard items.indices.contains(item) else { return nil }
        return session.styles.firstIndex { Self.normalised($0.path) == items[item].path }
    }

    /// The gallery item showing session style `index`.
    public func item(forSessionStyle index: Int, in session: Session) -> Int? {
        guard session.styles.indices.contains(index) else { return nil }
        let path = Self.normalised(session.styles[index].path)
        return items.firstIndex { $0.path == path }
    }

    /// The command that turns gallery item `item` on or off: a style the session has is toggled,
    /// a new one is added (on, weight 1). Nil when there is no such item.
    public func toggleCommand(item: Int, in session: Session) -> SessionCommand? {
        guard items.indices.contains(item) else { return nil }
        if let index = sessionIndex(of: item, in: session) { return .toggleActive(index: index) }
        return .addStyle(path: items[item].path, weight: 1)
    }

    /// Moves the cursor by `delta` rows, staying in the list.
    public mutating func move(by delta: Int) {
        guard !items.isEmpty else { return }
        cursor = min(max(cursor + delta, 0), items.count - 1)
    }

    /// An absolute, standardised path.
    static func normalised(_ path: String) -> String {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
    }
}
