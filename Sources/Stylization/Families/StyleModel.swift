import Imaging
import Runtime

/// A loaded model family: the one interface through which `Stylizer`, `TiledStylizer`, the
/// engine, recipes and the CLI reach a model. Everything family-specific (how styles become
/// network parameters, what alpha and colour preservation mean, how to tile) lives behind it.
///
/// Conventions every implementation follows:
/// - `settings` blends (`settings.styles`, each region's styles) index `styles` for a family
///   whose `family.styles` is `.images`, and the built-ins (0 ..< count) for `.builtin` (then
///   `styles` is empty). Settings are validated by `Stylizer` before a family sees them.
/// - `control` is checked often (at least every layer) and `StylizationError.cancelled` thrown
///   once it is set; progress goes to `control.report` in [0, 1].
/// - `cache` may keep anything derived from an image (encoder features, style vectors) under
///   a key built from `SourceImage.identity`; it must never change a result.
/// - Options the family does not list in `family.options` are ignored.
///
/// A new family is its own files (a type conforming to this protocol, its loader) plus one
/// line in `ModelCatalog.families`. Tiling is optional: the defaults render in one piece.
public protocol StyleModel: AnyObject, Sendable {
    /// What this family is and which settings mean something to it.
    var family: ModelFamily { get }

    /// Stylizes `content` in one piece.
    func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                 cache: FeatureCache?, control: RenderControl?, pool: WorkerPool) throws -> RGBImage

    /// The tile edge a render of a `width` x `height` photo should use under `options`, or nil
    /// to render in one piece. `options.tile`, when set, is asked for explicitly.
    func tileSize(width: Int, height: Int, styleSizes: [(width: Int, height: Int)], settings: StylizeSettings,
                  options: TilingOptions, pool: WorkerPool) throws -> Int?

    /// Stylizes in tiles of `options.tile` pixels, handing strips of whole rows to `rows` top
    /// to bottom (each with the index of its first row). The result equals `stylize`'s within
    /// float rounding.
    func stylizeTiled(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                      options: TilingOptions, cache: FeatureCache?, control: RenderControl?, pool: WorkerPool,
                      rows: @escaping (RGBImage, Int) throws -> Void) throws

    /// The least memory budget (bytes) that holds one `tile`-pixel tile plus its halo, for a
    /// render under `settings` with `regionCount` regions (masks need not be attached).
    func minimumBudget(tile: Int, settings: StylizeSettings, regionCount: Int, threads: Int) throws -> Int
}

extension StyleModel {
    /// Default: one piece unless a tile size is asked for.
    public func tileSize(width: Int, height: Int, styleSizes: [(width: Int, height: Int)], settings: StylizeSettings,
                         options: TilingOptions, pool: WorkerPool) throws -> Int? {
        if let tile = options.tile, tile < TilingOptions.minimumTile { throw TilingError.tileTooSmall(tile) }
        return options.tile
    }

    /// Default for families without a tiled path: the whole image, handed over as one strip.
    public func stylizeTiled(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                             options: TilingOptions, cache: FeatureCache?, control: RenderControl?, pool: WorkerPool,
                             rows: @escaping (RGBImage, Int) throws -> Void) throws {
        try rows(try stylize(content: content, styles: styles, settings: settings, cache: cache, control: control,
                             pool: pool), 0)
    }

    /// Default: no tile-dependent minimum.
    public func minimumBudget(tile: Int, settings: StylizeSettings, regionCount: Int, threads: Int) throws -> Int { 0 }
}
