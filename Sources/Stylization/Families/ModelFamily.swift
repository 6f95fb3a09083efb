/// What kind of styles a model family takes.
public enum StyleKind: Equatable, Sendable {
    /// Any painting, given as an image (UST-16x, Magenta): blends index the render's style images.
    case images
    /// A fixed set of learned styles (CIN-26): blends index the built-ins, 0 ..< count.
    case builtin(count: Int)
}

/// A setting that only some families use. The CLI refuses a flag whose option the chosen family
/// does not list (a usage error); the workstation hides the row.
public enum FamilyOption: String, CaseIterable, Sendable {
    /// `--transform adain|wct` (UST-16x).
    case transform
    /// `--quality fast|full` (UST-16x).
    case quality
    /// `--style-size N`: style images are scaled before use (UST-16x).
    case styleSize
}

/// The description of a model family: its name, what styles it takes and which settings mean
/// something to it. Every value the catalog lists is one of these plus a loader.
public struct ModelFamily: Hashable, Sendable {
    /// The name used on the command line and in recipes, e.g. "ust16x".
    public let id: String
    /// The name shown to people, e.g. "UST-16x".
    public let title: String
    /// One line on what it does and where it comes from.
    public let summary: String
    /// Style images or built-in styles.
    public let styles: StyleKind
    /// The family-specific settings it uses.
    public let options: Set<FamilyOption>

    /// Creates a description.
    public init(id: String, title: String, summary: String, styles: StyleKind, options: Set<FamilyOption>) {
        self.id = id
        self.title = title
        self.summary = summary
        self.styles = styles
        self.options = options
    }

    /// How many styles a blend may refer to, given the render's style images.
    public func styleSlots(images: Int) -> Int {
        switch styles {
        case .images: return images
        case .builtin(let count): return count
        }
    }

    /// Whether the family takes built-in styles rather than images.
    public var usesBuiltinStyles: Bool {
        if case .builtin = styles { return true }
        return false
    }

    public static func == (a: ModelFamily, b: ModelFamily) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
