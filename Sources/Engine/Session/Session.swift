import Stylization

/// One style painting chosen for the session: where it is, how much it counts, whether it is used.
public struct StyleChoice: Codable, Equatable, Sendable {
    /// Path of the image file.
    public var path: String
    /// Relative weight in the blend (>= 0; weights are normalised when rendering).
    public var weight: Float
    /// Whether the style takes part in renders; inactive styles keep their place and weight.
    public var active: Bool

    /// The path prefix of a built-in style (a family such as CIN-26 has them): "builtin:N".
    public static let builtinPrefix = "builtin:"

    /// The choice of built-in style `index` of the session's family.
    public static func builtin(_ index: Int, weight: Float = 1, active: Bool = true) -> StyleChoice {
        StyleChoice(path: builtinPrefix + String(index), weight: weight, active: active)
    }

    /// The built-in style's number when this choice is one, else nil (a style image).
    public var builtinIndex: Int? {
        guard path.hasPrefix(Self.builtinPrefix) else { return nil }
        return Int(path.dropFirst(Self.builtinPrefix.count))
    }

    /// Creates a style choice.
    public init(path: String, weight: Float = 1, active: Bool = true) {
        self.path = path
        self.weight = weight
        self.active = active
    }

    /// Decodes a style choice; `weight` defaults to 1 (negative reads as 0) and `active` to true.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        weight = max(0, try c.decodeIfPresent(Float.self, forKey: .weight) ?? 1)
        active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? true
    }
}

/// The size of the preview pane in pixels; the preview is fitted inside it, keeping the photo's aspect.
/// A display setting given to `Studio.setPreviewBox`, not part of the session.
public struct PreviewSize: Codable, Equatable, Sendable {
    /// Pane width in pixels.
    public var width: Int
    /// Pane height in pixels.
    public var height: Int

    /// Creates a pane size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The largest pane size accepted (per side).
    public static let maximumSide = 4096
}

/// Which region of a mask set-up a blend belongs to.
public enum RegionSide: String, Codable, CaseIterable, Sendable {
    /// Where the mask is 1 (left, top, inside the ellipse, white in a mask image).
    case inside
    /// Where the mask is 0.
    case outside
}

/// Where a session's photo came from when it is a frame of a video clip: the clip and the
/// frame's index. The photo file itself is a temporary grab; a resumed or reopened session grabs
/// the frame again from the clip.
public struct ClipFrame: Codable, Equatable, Sendable {
    /// Path of the clip.
    public var clip: String
    /// The frame's 0-based index.
    public var index: Int

    /// The frame `index` of `clip`.
    public init(clip: String, index: Int) {
        self.clip = clip
        self.index = index
    }
}

/// The whole state of an interactive session: everything needed to reproduce what the person sees.
///
/// Changed only through `apply(_:)` with a `SessionCommand`, so every change can be undone.
public struct Session: Codable, Equatable, Sendable {
    /// The model family's id (see `ModelCatalog`); nil means the default, UST-16x.
    public var model: String?
    /// Path of the content photo, if one is chosen.
    public var contentPath: String?
    /// The clip and frame the content photo was grabbed from, when it is a video frame.
    public var frame: ClipFrame?
    /// The chosen style paintings and built-in styles, in order; blends refer to them by index.
    /// A render uses those of the kind its family takes (images, or built-ins "builtin:N"); the
    /// others stay, so switching family and back keeps them.
    public var styles: [StyleChoice]
    /// Content-style trade-off in [0, 1].
    public var alpha: Float
    /// AdaIN or WCT.
    public var transform: FeatureTransform
    /// Fast (one level) or full (five levels).
    public var quality: Quality
    /// Colour preservation mode.
    public var color: ColorPreservation
    /// How the photo is split into regions.
    public var mask: MaskSetup
    /// The blend inside the mask; empty means "the active styles with their weights".
    public var insideBlend: [WeightedStyle]
    /// The blend outside the mask; empty means "the active styles with their weights".
    public var outsideBlend: [WeightedStyle]

    /// Creates a session; the defaults are an empty session with a full-strength fast AdaIN look.
    public init(contentPath: String? = nil, styles: [StyleChoice] = [], alpha: Float = 1,
                transform: FeatureTransform = .adain, quality: Quality = .fast,
                color: ColorPreservation = .off, mask: MaskSetup = .none,
                insideBlend: [WeightedStyle] = [], outsideBlend: [WeightedStyle] = []) {
        self.contentPath = contentPath
        self.styles = styles
        self.alpha = alpha
        self.transform = transform
        self.quality = quality
        self.color = color
        self.mask = mask
        self.insideBlend = insideBlend
        self.outsideBlend = outsideBlend
    }

    /// The model family's id ("ust16x" when none is chosen).
    public var family: String { model ?? ModelCatalog.defaultFamilyID }

    /// Whether style `index` is of the kind the session's family takes.
    public func styleFits(_ index: Int) -> Bool {
        guard styles.indices.contains(index) else { return false }
        let builtin = ModelCatalog.entry(family)?.family.usesBuiltinStyles ?? false
        return (styles[index].builtinIndex != nil) == builtin
    }

    /// The blend for one side of the mask (stored, possibly empty).
    public func blend(for side: RegionSide) -> [WeightedStyle] {
        side == .inside ? insideBlend : outsideBlend
    }

    /// The active styles (of the family's kind) with their weights, as a blend over `styles` indices.
    public var activeBlend: [WeightedStyle] {
        styles.indices.filter { styles[$0].active && styleFits($0) }.map { WeightedStyle(index: $0, weight: styles[$0].weight) }
    }

    private enum CodingKeys: String, CodingKey {
        case model, contentPath = "content", frame, styles, alpha, transform, quality, color, mask
        case insideBlend = "inside", outsideBlend = "outside"
    }

    /// Decodes a session; every field is optional and falls back to the default of `init()`;
    /// alpha and weights are clamped to their ranges. Fields of older files that are display
    /// settings now (`preview`, `theme`) are ignored like any unknown field.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Session()
        model = try c.decodeIfPresent(String.self, forKey: .model)
        contentPath = try c.decodeIfPresent(String.self, forKey: .contentPath)
        frame = try c.decodeIfPresent(ClipFrame.self, forKey: .frame)
        if let index = frame?.index, index < 0 { frame?.index = 0 }
        styles = try c.decodeIfPresent([StyleChoice].self, forKey: .styles) ?? defaults.styles
        alpha = min(max(try c.decodeIfPresent(Float.self, forKey: .alpha) ?? defaults.alpha, 0), 1)
        transform = try c.decodeIfPresent(FeatureTransform.self, forKey: .transform) ?? defaults.transform
        quality = try c.decodeIfPresent(Quality.self, forKey: .quality) ?? defaults.quality
        color = try c.decodeIfPresent(ColorPreservation.self, forKey: .color) ?? defaults.color
        mask = try c.decodeIfPresent(MaskSetup.self, forKey: .mask) ?? defaults.mask
        func nonNegative(_ blend: [WeightedStyle]) -> [WeightedStyle] {
            blend.map { WeightedStyle(index: $0.index, weight: max(0, $0.weight)) }
        }
        insideBlend = nonNegative(try c.decodeIfPresent([WeightedStyle].self, forKey: .insideBlend) ?? [])
        outsideBlend = nonNegative(try c.decodeIfPresent([WeightedStyle].self, forKey: .outsideBlend) ?? [])
    }

    /// Encodes every field (absent optionals are written as null so the file shows all fields).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encode(contentPath, forKey: .contentPath)
        try c.encodeIfPresent(frame, forKey: .frame)
        try c.encode(styles, forKey: .styles)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(transform, forKey: .transform)
        try c.encode(quality, forKey: .quality)
        try c.encode(color, forKey: .color)
        try c.encode(mask, forKey: .mask)
        try c.encode(insideBlend, forKey: .insideBlend)
        try c.encode(outsideBlend, forKey: .outsideBlend)
    }
}
