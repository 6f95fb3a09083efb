import Imaging
import Runtime

/// Stylizes a photo in one piece with any model family: checks the settings against the
/// family (blend indices, weights, alpha, masks) and hands the render to it.
public final class Stylizer: @unchecked Sendable {
    /// The model family.
    public let model: any StyleModel
    /// The pool every op runs on.
    public let pool: WorkerPool

    /// Creates a stylizer over `model`.
    public init(model: any StyleModel, pool: WorkerPool = .shared) {
        self.model = model
        self.pool = pool
    }

    /// Stylizes `content` with `styles` under `settings` (see `StyleModel` for what the blends'
    /// indices refer to). `cache` keeps what the family derives from images; `control` cancels
    /// and observes.
    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache? = nil, control: RenderControl? = nil) throws -> RGBImage {
        try StylizeSettingsValidation.validate(settings, family: model.family, styleImages: styles.count,
                                               content: content.image)
        return try model.stylize(content: content, styles: styles, settings: settings, cache: cache,
                                 control: control, pool: pool)
    }
}
