/// The shape of a preset mask.
public enum PresetShape: String, Codable, CaseIterable, Hashable, Sendable {
    /// Inside is the left part, up to the split position (a fraction of the width).
    case leftRight
    /// Inside is the top part, down to the split position (a fraction of the height).
    case topBottom
    /// Inside is a centred ellipse; the split position is its size (1 touches the image's sides).
    case centreEllipse
}

/// A generated mask: a shape, where its boundary sits, and how soft the boundary is.
public struct PresetMask: Codable, Hashable, Sendable {
    /// The shape.
    public var shape: PresetShape
    /// Boundary position in [0, 1]: a fraction of the width or height, or the ellipse's size.
    public var split: Float
    /// Width of the soft transition band in [0, `maximumFeather`], as a fraction of the image side.
    public var feather: Float

    /// The widest feather band accepted.
    public static let maximumFeather: Float = 0.5

    /// Creates a preset mask; values are clamped to their ranges.
    public init(shape: PresetShape, split: Float = 0.5, feather: Float = 0.05) {
        self.shape = shape
        self.split = PresetMask.clampSplit(split)
        self.feather = PresetMask.clampFeather(feather)
    }

    /// Decodes a preset; `split` defaults to 0.5 and `feather` to 0.05, both clamped.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(shape: try c.decode(PresetShape.self, forKey: .shape),
                  split: try c.decodeIfPresent(Float.self, forKey: .split) ?? 0.5,
                  feather: try c.decodeIfPresent(Float.self, forKey: .feather) ?? 0.05)
    }

    static func clampSplit(_ value: Float) -> Float { value.isNaN ? 0.5 : min(max(value, 0), 1) }
    static func clampFeather(_ value: Float) -> Float { value.isNaN ? 0 : min(max(value, 0), maximumFeather) }
}

/// How the photo is divided into an inside and an outside region, each with its own blend.
public enum MaskSetup: Codable, Equatable, Sendable {
    /// One region: the whole photo gets the active styles.
    case none
    /// A generated mask.
    case preset(PresetMask)
    /// A greyscale mask image from disk (white = inside), resampled to the photo's size.
    case image(path: String)

    /// The preset, if this is one.
    public var preset: PresetMask? {
        if case .preset(let preset) = self { return preset }
        return nil
    }

    /// Whether there are two regions (inside and outside).
    public var hasRegions: Bool {
        if case .none = self { return false }
        return true
    }

    private enum CodingKeys: String, CodingKey {
        case kind, shape, split, feather, path
    }

    private enum Kind: String, Codable {
        case none, preset, image
    }

    /// Decodes `{"kind": "none"}`, `{"kind": "preset", "shape": ..., "split": ..., "feather": ...}`
    /// or `{"kind": "image", "path": ...}`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .none: self = .none
        case .preset: self = .preset(try PresetMask(from: decoder))
        case .image: self = .image(path: try c.decode(String.self, forKey: .path))
        }
    }

    /// Encodes in the flat form `init(from:)` reads.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .none:
            try c.encode(Kind.none, forKey: .kind)
        case .preset(let preset):
            try c.encode(Kind.preset, forKey: .kind)
            try c.encode(preset.shape, forKey: .shape)
            try c.encode(preset.split, forKey: .split)
            try c.encode(preset.feather, forKey: .feather)
        case .image(let path):
            try c.encode(Kind.image, forKey: .kind)
            try c.encode(path, forKey: .path)
        }
    }
}
