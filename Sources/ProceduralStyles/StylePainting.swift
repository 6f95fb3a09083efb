import Imaging

/// A procedural painting: a small, deterministic generator of one style image.
///
/// Every painting is pure Swift and depends only on its seed, so the gallery in `Styles/` can be
/// rebuilt bit for bit with `atelier styles generate`. Sizes are free: features are laid out
/// relative to the shorter side, so a 512 px and a 1024 px painting show the same composition.
public protocol StylePainting: Sendable {
    /// Short machine name, used for file names and `--only` (for example `stained-glass`).
    static var name: String { get }
    /// Human title shown in the gallery (for example `Stained Glass`).
    static var title: String { get }
    /// One line on what the painting looks like, for the gallery and credits.
    static var summary: String { get }
    /// Paints a `width` x `height` image (both positive); the same seed always gives the same
    /// pixels, on every platform.
    func paint(width: Int, height: Int, seed: UInt64) -> RGBImage
}

extension StylePainting {
    /// The painting's machine name, reachable from an instance.
    public var name: String { Self.name }
    /// The painting's human title, reachable from an instance.
    public var title: String { Self.title }
    /// The painting's one-line description, reachable from an instance.
    public var summary: String { Self.summary }
}
