import Engine
import Foundation
import Stylization

/// The style gallery's model: every style painting found in the style folders (the repository's
/// Styles/, the user's styles folder, `--styles DIR`), plus any style the session uses from
/// elsewhere, and a cursor. The session's style list holds only styles that were ever turned on.
/// For a model family with built-in styles (CIN-26) it lists those instead ("builtin:N").
public struct StyleGallery: Sendable {
    /// A painting (or built-in style) in the gallery.
    public struct Item: Equatable, Sendable {
        /// The image file, or "builtin:N".
        public var path: String
        /// Shown name: the file name without extension, or "style N".
        public var name: String { StyleName.of(path) }
    }

    /// The paintings, folder by folder, each folder by name; or the family's built-in styles.
    public var items: [Item] {
        guard let builtinCount else { return paintings }
        return (0..<builtinCount).map { Item(path: StyleChoice.builtin($0).path) }
    }
    /// The paintings found (kept while built-ins are shown).
    private var paintings: [Item]
    /// The number of built-in styles shown instead of the paintings, if the family has them.
    public private(set) var builtinCount: Int?
    /// The painting cursor while built-ins are shown (restored when the paintings return).
    private var paintingCursor = 0
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
        self.paintings = items
    }

    /// Shows the built-in styles of the session's family, or the paintings for a family that
    /// takes images; each list keeps its own cursor.
    public mutating func follow(_ session: Session) {
        var count: Int?
        if case .builtin(let n) = ModelCatalog.entry(session.family)?.family.styles { count = n }
        guard count != builtinCount else { return }
        if builtinCount == nil { paintingCursor = cursor }
        builtinCount = count
        cursor = count == nil ? paintingCursor : 0
        cursor = min(cursor, max(items.count - 1, 0))
    }

    /// Adds the session's styles that are not in the gallery yet (e.g. from a resumed session).
    public mutating func include(_ session: Session) {
        for style in session.styles where style.builtinIndex == nil
            && !paintings.contains(where: { $0.path == Self.normalised(style.path) }) {
            paintings.append(Item(path: Self.normalised(style.path)))
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
        if StyleChoice(path: path).builtinIndex != nil { return path }
        return URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
    }
}
