import Foundation

/// The themes a user can choose from: the built-in ones (dark, light, high-contrast, frost) and
/// every `*.toml` in the given directories (the user's theme directory by default). A file with
/// a built-in's id replaces it. Files that fail to load are kept as `problems`, never fatal.
public struct ThemeCatalog: Sendable {
    /// A loaded theme and where it came from.
    public struct Entry: Equatable, Sendable {
        /// The theme.
        public let theme: Theme
        /// Its file, nil for a built-in theme.
        public let file: URL?
    }

    /// The id of the default theme.
    public static let defaultThemeID = "dark"

    /// Loaded themes in cycling order: built-ins first, then files by name.
    public private(set) var entries: [Entry]
    /// Theme files that could not be loaded, one error each.
    public private(set) var problems: [ThemeError]

    /// The built-in themes, parsed.
    static let builtin: [Entry] = builtinSources.compactMap { source in
        (try? Theme.parse(source.toml, id: source.id, file: "built-in \(source.id).toml")).map { Entry(theme: $0, file: nil) }
    }

    /// A catalog of the built-in themes (when `includeBuiltins`) and the `*.toml` files in
    /// `directories` (missing directories are skipped quietly).
    public init(directories: [URL], includeBuiltins: Bool = true) {
        var entries = includeBuiltins ? Self.builtin : []
        var problems: [ThemeError] = []
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names.sorted() where name.hasSuffix(".toml") {
                let url = directory.appendingPathComponent(name)
                do {
                    let theme = try Theme.load(url)
                    let entry = Entry(theme: theme, file: url)
                    if let i = entries.firstIndex(where: { $0.theme.id == theme.id }) {
                        entries[i] = entry
                    } else {
                        entries.append(entry)
                    }
                } catch let error as ThemeError {
                    problems.append(error)
                } catch {
                    problems.append(.unreadable(file: url.path, reason: "\(error)"))
                }
            }
        }
        self.entries = entries
        self.problems = problems
    }

    /// The user's theme directory: `$XDG_CONFIG_HOME/atelier/themes`, else `~/.config/atelier/themes`.
    public static func userDirectory(environment: [String: String]) -> URL? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            return URL(fileURLWithPath: config).appendingPathComponent("atelier/themes")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent(".config/atelier/themes")
        }
        return nil
    }

    /// Built-ins plus the user's theme directory.
    public static func standard(environment: [String: String]) -> ThemeCatalog {
        ThemeCatalog(directories: userDirectory(environment: environment).map { [$0] } ?? [])
    }

    /// The ids in cycling order.
    public var ids: [String] { entries.map(\.theme.id) }

    /// The theme with this id, if loaded.
    public func theme(id: String) -> Theme? {
        entries.first { $0.theme.id == id }?.theme
    }

    /// The theme to use for a requested id (nil: the default). When it is missing or its file
    /// was broken, the default theme is returned together with the reason.
    public func resolve(_ id: String?) -> (theme: Theme, problem: ThemeError?) {
        let fallback = theme(id: Self.defaultThemeID) ?? entries.first?.theme ?? Theme.fallback
        guard let id else { return (fallback, nil) }
        if let found = theme(id: id) { return (found, nil) }
        if let broken = problems.first(where: { Self.file(of: $0).map { Self.id(ofFile: $0) } == id }) {
            return (fallback, broken)
        }
        return (fallback, .notFound(id: id, available: ids))
    }

    /// The theme after the one with `id` (wrapping around), for a "cycle theme" key.
    public func next(after id: String) -> Theme {
        step(from: id, by: 1)
    }

    /// The theme before the one with `id` (wrapping around).
    public func previous(before id: String) -> Theme {
        step(from: id, by: -1)
    }

    private func step(from id: String, by delta: Int) -> Theme {
        guard !entries.isEmpty else { return Theme.fallback }
        guard let i = entries.firstIndex(where: { $0.theme.id == id }) else { return entries[0].theme }
        return entries[((i + delta) % entries.count + entries.count) % entries.count].theme
    }

    private static func file(of error: ThemeError) -> String? {
        switch error {
        case let .unreadable(file, _), let .syntax(file, _, _, _), let .missingRole(file, _),
             let .badColor(file, _, _), let .unknownKey(file, _), let .badStructure(file, _):
            return file
        case .notFound:
            return nil
        }
    }

    private static func id(ofFile path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}
