import Foundation
import TOMLKit

/// A colour theme: one 24-bit colour for each `ThemeRole`, loaded from a TOML file:
///
///     name = "Dark"
///     [colors]
///     background = "#1c1c1c"
///     text = "#d0d0d0"
///     ...every role...
///
/// `TerminalScreen` shows each colour as the nearest entry of the terminal's palette.
public struct Theme: Equatable, Sendable {
    /// Identifier: the file name without ".toml" ("dark", "high-contrast").
    public let id: String
    /// Display name from the file's `name` (the id when absent).
    public let name: String
    private let colors: [TrueColor]  // indexed like ThemeRole.allCases

    /// The colour of `role`.
    public subscript(role: ThemeRole) -> TrueColor {
        colors[ThemeRole.allCases.firstIndex(of: role) ?? 0]
    }

    /// True when the background is dark (used e.g. to pick the ascii preview's ramp direction).
    public var isDark: Bool { self[.background].brightness < 0.5 }

    /// A theme with every role given in `colors`; nil when a role is missing.
    public init?(id: String, name: String, colors: [ThemeRole: TrueColor]) {
        var list: [TrueColor] = []
        for role in ThemeRole.allCases {
            guard let c = colors[role] else { return nil }
            list.append(c)
        }
        self.id = id
        self.name = name
        self.colors = list
    }

    /// Loads the theme in `url`; its id is the file name without extension.
    /// Throws `ThemeError` naming the file and the problem.
    public static func load(_ url: URL) throws -> Theme {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ThemeError.unreadable(file: url.path, reason: Self.reason(error))
        }
        return try parse(text, id: url.deletingPathExtension().lastPathComponent, file: url.path)
    }

    /// Parses theme TOML `text`; `file` names the source in errors.
    public static func parse(_ text: String, id: String, file: String) throws -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError.syntax(file: file, line: error.source.begin.line, column: error.source.begin.column,
                                    message: error.description)
        }
        for key in table.keys where key != "name" && key != "colors" {
            throw ThemeError.badStructure(file: file, problem: "unexpected top-level key '\(key)'; only name and [colors] belong here")
        }
        var name = id
        if let value = table["name"] {
            guard let string = value.string else {
                throw ThemeError.badStructure(file: file, problem: "name must be a string like \"My theme\"")
            }
            name = string
        }
        guard let colorsValue = table["colors"] else {
            throw ThemeError.badStructure(file: file, problem: "no [colors] table; add one with a \"#rrggbb\" value per role")
        }
        guard let colorTable = colorsValue.table else {
            throw ThemeError.badStructure(file: file, problem: "colors must be a table: write [colors] on its own line")
        }
        for key in colorTable.keys where ThemeRole(rawValue: key) == nil {
            throw ThemeError.unknownKey(file: file, key: key)
        }
        var colors: [ThemeRole: TrueColor] = [:]
        for role in ThemeRole.allCases {
            guard let value = colorTable[role.rawValue] else { throw ThemeError.missingRole(file: file, role: role) }
            guard let string = value.string, let color = TrueColor(hex: string) else {
                let shown = value.string.map { "\"\($0)\"" } ?? value.tomlValue.debugDescription
                throw ThemeError.badColor(file: file, role: role, value: shown)
            }
            colors[role] = color
        }
        guard let theme = Theme(id: id, name: name, colors: colors) else {
            throw ThemeError.badStructure(file: file, problem: "incomplete colours")  // unreachable: every role checked
        }
        return theme
    }

    /// The default theme ("dark"), built in.
    public static var standard: Theme { ThemeCatalog.builtin.first?.theme ?? fallback }

    /// Hard-wired grey-on-black used only if the built-in TOML were broken (a test forbids that).
    static let fallback: Theme = {
        var colors: [ThemeRole: TrueColor] = [:]
        for role in ThemeRole.allCases {
            colors[role] = role == .background || role == .statusBar || role == .sliderEmpty
                ? TrueColor(red: 0, green: 0, blue: 0) : TrueColor(red: 208, green: 208, blue: 208)
        }
        colors[.selection] = TrueColor(red: 0, green: 95, blue: 135)
        return Theme(id: "fallback", name: "Fallback", colors: colors)!
    }()

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoSuchFileError { return "no such file" }
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadInapplicableStringEncodingError { return "not UTF-8 text" }
        return ns.localizedDescription
    }
}
