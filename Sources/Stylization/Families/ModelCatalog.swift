import Foundation

/// A loaded family together with the SHA-256 of each file it was built from (by file name), as
/// render recipes record them.
public struct LoadedFamily: Sendable {
    /// The model.
    public var model: any StyleModel
    /// File name to lowercase hex SHA-256.
    public var fileDigests: [String: String]

    /// Pairs a model with its files' digests.
    public init(model: any StyleModel, fileDigests: [String: String]) {
        self.model = model
        self.fileDigests = fileDigests
    }
}

/// One line of the catalog: a family's description and how to load it from Atelier's data folder.
public struct CatalogEntry: Sendable {
    /// What the family is.
    public let family: ModelFamily
    /// Whether the family's files are installed under `home` (cheap: no hashing, no loading).
    public let isInstalled: @Sendable (_ home: URL) -> Bool
    /// Loads the family from `home`; throws a one-line, user-facing error (e.g. "... not
    /// installed: run `atelier models install`").
    public let load: @Sendable (_ home: URL) throws -> LoadedFamily

    /// Creates an entry.
    public init(family: ModelFamily, isInstalled: @escaping @Sendable (URL) -> Bool,
                load: @escaping @Sendable (URL) throws -> LoadedFamily) {
        self.family = family
        self.isInstalled = isInstalled
        self.load = load
    }
}

/// Every model family Atelier knows. Adding a family: its own files (a `StyleModel` and a
/// `CatalogEntry`) plus one line in `entries`.
public enum ModelCatalog {
    /// The families, in the order they are offered.
    public static let entries: [CatalogEntry] = [
        UST16xModel.catalogEntry,
        ArbitraryStyleModel.catalogEntry,
        CIN26Model.catalogEntry,
    ]

    /// The family used when none is named.
    public static let defaultFamilyID = "ust16x"

    /// The entry named `id` ("ust16x", ...), if any.
    public static func entry(_ id: String) -> CatalogEntry? {
        entries.first { $0.family.id == id }
    }

    /// The ids, for messages ("ust16x, magenta, cin26").
    public static var ids: [String] { entries.map(\.family.id) }

    /// Loads family `id` from `home`.
    public static func load(_ id: String, home: URL = ModelStore.defaultHome) throws -> LoadedFamily {
        guard let entry = entry(id) else {
            throw StylizationError.modelUnavailable("unknown model '\(id)' (known: \(ids.joined(separator: ", ")))")
        }
        return try entry.load(home)
    }
}
