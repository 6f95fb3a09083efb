import Imaging
import Runtime

/// Runs the UST-16x pipeline exactly as `ust_reference.py` specifies: per level, encode the
/// current image and the styles, move the content features to each region's style blend,
/// mix with alpha, decode; with the pad-to-16 rule and colour preservation around it.
/// (UST-16x's whole-image path behind `StyleModel`; callers use `Stylizer`.)
final class UST16xStylizer: @unchecked Sendable {
    /// The model.
    let model: UST16xModel
    /// The pool every op runs on.
    let pool: WorkerPool

    /// Creates a stylizer over `model`.
    init(model: UST16xModel, pool: WorkerPool = .shared) {
        self.model = model
        self.pool = pool
    }

    /// Stylizes `content` with `styles` under `settings`.
    ///
    /// Encoder outputs of the photo (first level only: later levels see the previous level's
    /// output) and of every style (every level) are looked up in and stored to `cache`, keyed by
    /// the images' identities. `control` is checked at every layer boundary.
    func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache? = nil, control: RenderControl? = nil) throws -> RGBImage {
        try StylizeSettingsValidation.validate(settings, styleCount: styles.count, content: content.image)
        let photo = content.image
        var styleSources = styles
        if settings.color == .match {
            styleSources = try styles.map {
                SourceImage(image: try ColorPreservation.matchColors(style: $0.image, content: photo),
                            identity: "\($0.identity)|colors-of:\(content.identity)")
            }
        }
        var x = Tensor(photo).paddedToMultiple(pool: pool)
        let regions = RegionMasks.plan(settings: settings, width: photo.width, height: photo.height,
                                       paddedWidth: x.width, paddedHeight: x.height)
        let used = Set(regions.flatMap { $0.styles.filter { $0.weight > 0 }.map(\.index) })
        let paddedStyles = Dictionary(uniqueKeysWithValues: used.map { index in
            (index, Tensor(styleSources[index].image).paddedToMultiple(pool: pool))
        })
        let levels = settings.quality.levels
        let progress = ProgressPlan(levels: levels, styleCount: used.count, model: model, control: control)

        for (step, level) in levels.enumerated() {
            let contentKey = step == 0 ? FeatureKey(identity: content.identity, level: level) : nil
            let fc = try features(of: x, key: contentKey, level: level, cache: cache, progress: progress)
            var styleFeatures: [Int: Tensor] = [:]
            for index in used.sorted() {
                styleFeatures[index] = try features(of: paddedStyles[index]!,
                                                    key: FeatureKey(identity: styleSources[index].identity, level: level),
                                                    level: level, cache: cache, progress: progress)
            }
            try control?.checkCancelled()
            var out: Tensor?
            for (r, region) in regions.enumerated() {
                let weights = region.weights.map {
                    RegionMasks.average($0, width: x.width, height: x.height, featureWidth: fc.width, featureHeight: fc.height)
                }
                if let weights, weights.reduce(0, +) <= 0 { continue }
                let total = region.styles.reduce(0.0) { $0 + Double($1.weight) }
                var contentStatistics = settings.transform.statistics(of: fc, mask: weights, pool: pool)
                if let clip = settings.clip {
                    contentStatistics = contentStatistics.smoothed(by: clip, key: "ust16x/\(settings.transform.rawValue)/\(step)/\(r)")
                }
                var blend = ChannelAffineMap.zero(channels: fc.channels)
                for style in region.styles where style.weight > 0 {
                    let styleStatistics = try statistics(ofStyle: style.index, level: level, features: styleFeatures[style.index]!,
                                                         identity: styleSources[style.index].identity, settings: settings)
                    let map = try settings.transform.map(content: contentStatistics, style: styleStatistics)
                    blend.add(map, weight: Double(style.weight) / total)
                }
                let transformed = blend.apply(to: fc, pool: pool)
                if weights == nil, out == nil {
                    out = transformed   // one region covering everything: no accumulator needed
                } else {
                    if out == nil { out = Tensor(channels: fc.channels, height: fc.height, width: fc.width) }
                    out!.accumulate(transformed, mask: weights, pool: pool)
                }
            }
            let stylized = out ?? Tensor(channels: fc.channels, height: fc.height, width: fc.width)
            let target = settings.alpha == 1 ? stylized : stylized.mixed(with: fc, alpha: settings.alpha)
            x = try model.decode(target, level: level, pool: pool) { _ in try progress.layerDone() }
        }
        var result = RGBImage(clamping: x, height: photo.height, width: photo.width)
        if settings.color == .luminance {
            result = ColorPreservation.keepLuminance(stylized: result, content: photo)
        }
        control?.report(1)
        return result
    }

    /// The transform's statistics of a style's features: once per clip when rendering one
    /// (`settings.clip`, unless `.match` recolours the style to each frame), else every time.
    private func statistics(ofStyle index: Int, level: Int, features: Tensor, identity: String,
                            settings: StylizeSettings) throws -> FeatureStatistics {
        guard let clip = settings.clip, settings.color != .match else {
            return settings.transform.statistics(of: features, mask: nil, pool: pool)
        }
        return clip.style("ust16x/\(settings.transform.rawValue)/\(level)/\(identity)") {
            settings.transform.statistics(of: features, mask: nil, pool: pool)
        }
    }

    /// Encoder features of `image` at `level`, from the cache when `key` is given and present.
    private func features(of image: Tensor, key: FeatureKey?, level: Int, cache: FeatureCache?,
                          progress: ProgressPlan) throws -> Tensor {
        if let key, let cached = cache?.features(for: key) {
            progress.skip(encoderOf: level)
            return cached
        }
        let f = try model.encode(image, level: level, pool: pool) { _ in try progress.layerDone() }
        if let key { cache?.store(f, for: key) }
        return f
    }
}

/// Counts layers so progress moves evenly over a render, and checks for cancellation.
final class ProgressPlan {
    private let control: RenderControl?
    private let model: UST16xModel
    private let total: Double
    private var done = 0.0

    init(levels: [Int], styleCount: Int, model: UST16xModel, control: RenderControl?) {
        self.control = control
        self.model = model
        total = levels.reduce(0.0) { sum, level in
            sum + Double((model.encoders[level]?.layers.count ?? 0) * (1 + styleCount)
                         + (model.decoders[level]?.layers.count ?? 0))
        }
    }

    /// Called before each layer: checks cancellation, advances progress.
    func layerDone() throws {
        try control?.checkCancelled()
        done += 1
        control?.report(done / max(total, 1))
    }

    /// Counts an encoder pass served from the cache as done.
    func skip(encoderOf level: Int) {
        done += Double(model.encoders[level]?.layers.count ?? 0)
        control?.report(done / max(total, 1))
    }
}
