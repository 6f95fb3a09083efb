/// The gallery of procedural paintings Atelier ships in `Styles/`.
public enum StyleCatalog {
    /// Every painting, in gallery order.
    public static let all: [any StylePainting] = [
        StainedGlass(),
        Pointillism(),
        InkHatching(),
        Watercolour(),
        Impasto(),
        OpArt(),
        Mosaic(),
        Woodcut(),
        Marbling(),
        NeonSign(),
        CubistFacets(),
    ]

    /// The seed the committed gallery is generated with.
    public static let defaultSeed: UInt64 = 1

    /// The edge length, in pixels, of the committed gallery images.
    public static let defaultSize = 768

    /// The painting with machine name `name`, or nil if there is none.
    public static func painting(named name: String) -> (any StylePainting)? {
        all.first { $0.name == name }
    }

    /// The paintings with machine names `names`, in the order given.
    public static func paintings(named names: [String]) throws -> [any StylePainting] {
        try names.map { name in
            guard let painting = painting(named: name) else { throw StyleGalleryError.unknownPainting(name) }
            return painting
        }
    }

    /// Every machine name, in gallery order.
    public static var names: [String] { all.map(\.name) }
}
