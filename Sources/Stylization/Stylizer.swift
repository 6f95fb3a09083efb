import Imaging
import Runtime

/// Runs the UST-16x pipeline (encode, transform, decode per level) as the reference specifies.
public final class Stylizer: @unchecked Sendable {
    /// Creates a stylizer; implementation lands with the core.
    public init() {}

    /// Stylizes `content` with `styles` under `settings`; features come from / go to `cache`.
    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache? = nil, control: RenderControl? = nil) throws -> RGBImage {
        throw StylizationError.modelUnavailable("the stylizer is not built yet")
    }
}
