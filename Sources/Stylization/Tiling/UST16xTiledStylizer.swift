import Foundation
import Imaging
import Runtime

/// Runs the same pipeline as `UST16xStylizer`, tile by tile, for images of any size in a bounded
/// amount of memory, with the same result (up to float rounding).
///
/// Per level: every tile is encoded over its owned feature cells plus the encoder's halo, and
/// the statistics AdaIN or WCT need are accumulated over the whole image (weighted by the
/// regions, in double precision); the maps built from them are applied tile by tile, each tile
/// decoded over its cells plus the decoder's halo. Tiles start on the level's pooling grid and
/// only the true image border sees reflection padding, so every output pixel is computed from
/// the same inputs as in the untiled pass. Between levels the image lives in a buffer (in memory
/// or a spill file, as `TilePlan` decides); the last level's rows go to the caller top to bottom.
public final class UST16xTiledStylizer: @unchecked Sendable {
    /// The model.
    public let model: UST16xModel
    /// Tile size, memory budget and spill folder.
    public let options: TilingOptions
    /// The pool every op runs on.
    public let pool: WorkerPool

    /// Creates a tiled stylizer.
    public init(model: UST16xModel, options: TilingOptions, pool: WorkerPool = .shared) {
        self.model = model
        self.options = options
        self.pool = pool
    }

    /// The plan a render of a `width` x `height` photo with styles of `styleSizes` and
    /// `regionCount` regions at `quality` gets.
    public func plan(width: Int, height: Int, styleSizes: [(width: Int, height: Int)], regionCount: Int,
                     quality: Quality) throws -> TilePlan {
        try TilePlan.make(model: model, photoWidth: width, photoHeight: height, styleSizes: styleSizes,
                          regionCount: regionCount, quality: quality, options: options, threads: pool.threadCount)
    }

    /// Whether such a render should run in tiles: the padded image has more than
    /// `TilingOptions.untiledPixelLimit` pixels, or the untiled pipeline would not fit the budget.
    public func needsTiles(width: Int, height: Int, styleSizes: [(width: Int, height: Int)], regionCount: Int,
                           quality: Quality) throws -> Bool {
        let padded = (width + 15) / 16 * 16 * ((height + 15) / 16 * 16)
        if padded > TilingOptions.untiledPixelLimit { return true }
        return try TilePlan.untiledBytes(model: model, photoWidth: width, photoHeight: height, styleSizes: styleSizes,
                                         regionCount: regionCount, quality: quality, threads: pool.threadCount) > options.memory
    }

    /// Stylizes `content` and hands the result to `rows` in strips of whole rows, top to bottom
    /// (each strip with the index of its first row). Returns the plan it followed.
    ///
    /// Style features at every level are looked up in and stored to `cache` when a style is
    /// encoded in one piece. `control` is checked before every layer of every tile and told
    /// the fraction done after every layer.
    @discardableResult
    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache? = nil, control: RenderControl? = nil,
                        rows: @escaping (RGBImage, Int) throws -> Void) throws -> TilePlan {
        try StylizeSettingsValidation.validate(settings, styleCount: styles.count, content: content.image)
        let photo = PaddedPhoto(content.image)
        var styleSources = styles
        if settings.color == .match {
            let colours = Self.colourStatistics(of: photo, pool: pool)
            styleSources = try styles.map {
                SourceImage(image: try Self.matchColors(style: $0.image, contentColours: colours),
                            identity: "\($0.identity)|colors-of:\(content.identity)")
            }
        }
        let plan = try self.plan(width: content.image.width, height: content.image.height,
                                 styleSizes: styleSources.map { ($0.image.width, $0.image.height) },
                                 regionCount: settings.regions.count, quality: settings.quality)
        let styleImages = styleSources.map { PaddedPhoto($0.image) }
        let regions = try plan.maskStorage.map {
            try TiledRegionWeights(settings: settings, width: content.image.width, height: content.image.height,
                                   paddedWidth: plan.paddedWidth, paddedHeight: plan.paddedHeight,
                                   storage: $0, control: control)
        }
        let used = Set((regions?.blends ?? [settings.styles]).joined().filter { $0.weight > 0 }.map(\.index))
        let progress = TileProgress(total: try cost(of: plan, styles: styleImages, using: used), control: control)
        var between: PlaneBuffer?
        for (step, tiling) in plan.levels.enumerated() {
            guard let encoder = model.encoders[tiling.level], let decoder = model.decoders[tiling.level] else {
                throw ModelError.badLevel(tiling.level)
            }
            let level = TiledLevel(tiling: tiling, encoder: encoder, decoder: decoder, settings: settings,
                                   pool: pool, progress: progress)
            var styleStatistics: [Int: FeatureStatistics] = [:]
            for index in used.sorted() {
                let key = FeatureKey(identity: styleSources[index].identity, level: tiling.level)
                styleStatistics[index] = try self.styleStatistics(styleImages[index], level: level, plan: plan, key: key,
                                                                  cache: cache, progress: progress)
            }
            // Level 5 reads the photo; later levels read and overwrite the image between levels.
            let input: PlaneSource = between ?? photo
            let output: LevelOutput
            if step == plan.levels.count - 1 {
                output = .rows(FinalRows(photo: photo, color: settings.color, sink: rows))
            } else {
                let buffer = try between ?? PlaneBuffer(plan.imageStorage ?? .memory, channels: 3,
                                                        height: plan.paddedHeight, width: plan.paddedWidth)
                between = buffer
                output = .buffer(buffer)
            }
            try level.run(input: input, output: output, styles: styleStatistics, regions: regions,
                          spillDirectory: options.spillDirectory)
        }
        control?.report(1)
        return plan
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

    /// A style's statistics at a level: encoded in one piece when it fits in a tile (through
    /// the cache), else tile by tile like the photo.
    private func styleStatistics(_ style: PaddedPhoto, level: TiledLevel, plan: TilePlan, key: FeatureKey,
                                 cache: FeatureCache?, progress: TileProgress) throws -> FeatureStatistics {
        let transform = level.settings.transform
        let geometry = Self.styleTiling(style, like: level.tiling, tile: plan.tile)
        if geometry.tileCount == 1 {
            if let cached = cache?.features(for: key) {
                progress.skip(level.encoder.layerCosts(height: style.height, width: style.width).reduce(0, +))
                return transform.statistics(of: cached, mask: nil, pool: pool)
            }
            let features = try level.encode(style, cells: CellRect(y0: 0, y1: geometry.cellsHigh, x0: 0, x1: geometry.cellsWide),
                                             geometry: geometry)
            cache?.store(features, for: key)
            return transform.statistics(of: features, mask: nil, pool: pool)
        }
        var moments = FeatureMoments(channels: geometry.channels, transform: transform)
        for owned in geometry.bands.joined() {
            try progress.checkCancelled()
            moments.add(try level.encode(style, cells: owned, geometry: geometry), mask: nil, pool: pool)
        }
        guard let statistics = moments.statistics else { throw StylizationError.invalidSettings("a style image is empty") }
        return statistics
    }

    /// The tiling of a style image at the level of `tiling`.
    private static func styleTiling(_ style: PaddedPhoto, like tiling: LevelTiling, tile: Int) -> LevelTiling {
        let f = tiling.cellSize
        let (high, wide) = (style.height / f, style.width / f)
        return LevelTiling(level: tiling.level, cellSize: f, cellsHigh: high, cellsWide: wide, channels: tiling.channels,
                           encoderHalo: tiling.encoderHalo, decoderHalo: 0, features: .recompute,
                           bands: tileGrid(cellsHigh: high, cellsWide: wide, cellSize: f, tile: max(tile, f)))
    }

    /// Progress units (flops) of the whole render.
    private func cost(of plan: TilePlan, styles: [PaddedPhoto], using used: Set<Int>) throws -> Double {
        var total = 0.0
        for tiling in plan.levels {
            guard let encoder = model.encoders[tiling.level], let decoder = model.decoders[tiling.level] else {
                throw ModelError.badLevel(tiling.level)
            }
            total += TiledLevel.cost(of: tiling, encoder: encoder, decoder: decoder)
            for index in used {
                let geometry = Self.styleTiling(styles[index], like: tiling, tile: plan.tile)
                for owned in geometry.bands.joined() {
                    let pixels = geometry.encoderWindow(owned)
                    total += encoder.layerCosts(height: pixels.height, width: pixels.width).reduce(0, +)
                }
            }
        }
        return total
    }
}
