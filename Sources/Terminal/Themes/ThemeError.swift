/// Why a theme could not be used. Each description is one line naming the file and what to do.
public enum ThemeError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid TOML.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// `[colors]` lacks a role.
    case missingRole(file: String, role: ThemeRole)
    /// A role's value is not a "#rrggbb" string.
    case badColor(file: String, role: ThemeRole, value: String)
    /// A key that is not a role (likely a typo).
    case unknownKey(file: String, key: String)
    /// A top-level entry is missing or has the wrong type (`name` string, `[colors]` table).
    case badStructure(file: String, problem: String)
    /// No theme with this id in the catalog.
    case notFound(id: String, available: [String])

    /// One line for the status bar or stderr.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read theme (\(reason)); check the path and permissions"
        case let .syntax(file, line, column, message):
            return "\(file):\(line):\(column): not valid TOML: \(message)"
        case let .missingRole(file, role):
            return "\(file): [colors] has no '\(role.rawValue)'; add \(role.rawValue) = \"#rrggbb\""
        case let .badColor(file, role, value):
            return "\(file): '\(role.rawValue)' is \(value), not a colour; write it as \"#rrggbb\""
        case let .unknownKey(file, key):
            let roles = ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): unknown colour '\(key)'; the roles are \(roles)"
        case let .badStructure(file, problem):
            return "\(file): \(problem)"
        case let .notFound(id, available):
            return "no theme '\(id)'; available: \(available.joined(separator: ", "))"
        }
    }
}
