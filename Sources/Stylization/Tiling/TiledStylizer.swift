import Foundation
import Imaging
import Runtime

/// Stylizes a photo of any size with any model family under a memory budget: decides whether
/// it runs in tiles (and how large), and streams the result's rows to the caller. The family
/// does the tiling (see `StyleModel.stylizeTiled`); the result equals `Stylizer`'s within
/// float rounding.
public final class TiledStylizer: @unchecked Sendable {
    /// The model family.
    public let model: any StyleModel
    /// Tile size, memory budget and spill folder.
    public let options: TilingOptions
    /// The pool every op runs on.
    public let pool: WorkerPool

    /// Creates a tiled stylizer.
    public init(model: any StyleModel, options: TilingOptions, pool: WorkerPool = .shared) {
        self.model = model
        self.options = options
        self.pool = pool
    }

    /// The tile edge such a render gets, or nil when it runs in one piece.
    public func tileSize(width: Int, height: Int, styleSizes: [(width: Int, height: Int)],
                         settings: StylizeSettings) throws -> Int? {
        try model.tileSize(width: width, height: height, styleSizes: styleSizes, settings: settings,
                           options: options, pool: pool)
    }

    /// Stylizes `content` and hands the result to `rows` in strips of whole rows, top to bottom
    /// (each strip with the index of its first row), in tiles of `options.tile` pixels (when
    /// nil, the size `tileSize` picks; a render that fits in one piece arrives as one strip).
    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache? = nil, control: RenderControl? = nil,
                        rows: @escaping (RGBImage, Int) throws -> Void) throws {
        try StylizeSettingsValidation.validate(settings, family: model.family, styleImages: styles.count,
                                               content: content.image)
        var options = self.options
        if options.tile == nil {
            options.tile = try tileSize(width: content.image.width, height: content.image.height,
                                        styleSizes: styles.map { ($0.image.width, $0.image.height) }, settings: settings)
        }
        guard options.tile != nil else {
            try rows(try model.stylize(content: content, styles: styles, settings: settings, cache: cache,
                                       control: control, pool: pool), 0)
            return
        }
        try model.stylizeTiled(content: content, styles: styles, settings: settings, options: options, cache: cache,
                               control: control, pool: pool, rows: rows)
    }

    /// Stylizes `content` into one image (for callers that hold the result anyway).
    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache? = nil, control: RenderControl? = nil) throws -> RGBImage {
        let canvas = StripCanvas(width: content.image.width, height: content.image.height)
        try stylize(content: content, styles: styles, settings: settings, cache: cache, control: control) { strip, top in
            canvas.place(strip, top: top)
        }
        return canvas.image
    }
}
