import Imaging

/// The feature transform that moves content features towards a style's statistics.
public enum FeatureTransform: String, Codable, CaseIterable, Sendable {
    /// Adaptive instance normalisation: match per-channel mean and standard deviation.
    case adain
    /// Whitening and colouring: match the full channel covariance.
    case wct
}

/// How many encoder/decoder levels a render runs through.
public enum Quality: String, Codable, CaseIterable, Sendable {
    /// Level 4 only: one encode, one transform, one decode.
    case fast
    /// Levels 5, 4, 3, 2, 1 in turn, each stylizing the previous level's output.
    case full

    /// The model levels, in the order they run.
    public var levels: [Int] {
        switch self {
        case .fast: return [4]
        case .full: return [5, 4, 3, 2, 1]
        }
    }
}

/// Whether and how the photo keeps its own colours.
public enum ColorPreservation: String, Codable, CaseIterable, Sendable {
    /// The style's colours take over.
    case off
    /// Style images are recoloured to the photo's RGB mean and covariance before stylizing.
    case match
    /// The result keeps only its luminance; chroma comes from the photo (BT.601 YCbCr).
    case luminance
}

/// One style's share in a blend: an index into the render's style list and a non-negative weight.
public struct WeightedStyle: Codable, Equatable, Sendable {
    /// Index into the list of style images passed to the render.
    public var index: Int
    /// Relative weight; weights of a blend are normalised to sum to 1.
    public var weight: Float

    /// Creates a weighted reference to style `index`.
    public init(index: Int, weight: Float) {
        self.index = index
        self.weight = weight
    }
}

/// A spatial region: a soft mask over the photo (1 = inside) and the blend of styles it gets.
public struct Region: Equatable, Sendable {
    /// The mask, at any resolution; it is resampled to the photo's size.
    public var mask: GrayImage
    /// The styles (and their weights) applied inside the mask.
    public var styles: [WeightedStyle]

    /// Creates a region.
    public init(mask: GrayImage, styles: [WeightedStyle]) {
        self.mask = mask
        self.styles = styles
    }
}

/// Everything about a render except the images themselves.
public struct StylizeSettings: Equatable, Sendable {
    /// AdaIN or WCT.
    public var transform: FeatureTransform
    /// Fast (level 4) or full (levels 5 to 1).
    public var quality: Quality
    /// Content-style trade-off in [0, 1]: 0 reproduces the photo, 1 applies the style fully.
    public var alpha: Float
    /// Colour preservation mode.
    public var color: ColorPreservation
    /// The blend used wherever no region applies: one entry per style used there.
    public var styles: [WeightedStyle]
    /// Optional spatial regions. Pixels covered by no region (mask sum below 1) use `styles`.
    public var regions: [Region]
    /// A clip's memory between frames (style statistics once, content statistics smoothed over
    /// time); nil for a photo. Families without a whole-image path ignore it when tiling.
    public var clip: ClipStatistics? = nil

    /// Creates settings; defaults are a fast, full-strength AdaIN render of style 0.
    public init(transform: FeatureTransform = .adain, quality: Quality = .fast, alpha: Float = 1,
                color: ColorPreservation = .off, styles: [WeightedStyle] = [WeightedStyle(index: 0, weight: 1)],
                regions: [Region] = []) {
        self.transform = transform
        self.quality = quality
        self.alpha = alpha
        self.color = color
        self.styles = styles
        self.regions = regions
    }
}

/// An image handed to the stylizer together with a stable identity for caching.
///
/// The identity must change whenever the pixels change; callers use the source file's SHA-256
/// plus the size it was resampled to, so caches are keyed by content, not by file name.
public struct SourceImage: Sendable {
    /// The pixels.
    public let image: RGBImage
    /// A content-derived key, e.g. `"<sha256>@512x384"`.
    public let identity: String

    /// Pairs an image with its identity.
    public init(image: RGBImage, identity: String) {
        self.image = image
        self.identity = identity
    }
}
