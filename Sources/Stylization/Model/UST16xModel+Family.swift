import Foundation
import Imaging
import Runtime

/// UST-16x behind the family interface: the whole-image path is `UST16xStylizer`, the tiled
/// one `UST16xTiledStylizer` with its `TilePlan`.
extension UST16xModel: StyleModel {
    /// UST-16x's description.
    public static let family = ModelFamily(
        id: "ust16x", title: "UST-16x",
        summary: "Wang et al. 2020, collaborative distillation: any painting, AdaIN or WCT, fast or full (MIT)",
        styles: .images, options: [.transform, .quality, .styleSize])

    /// The catalog line: installed by `ModelStore` under `<home>/models/ust16x`.
    public static let catalogEntry = CatalogEntry(
        family: family,
        isInstalled: { ModelStore(home: $0).isInstalled },
        load: { home in
            let store = ModelStore(home: home)
            return LoadedFamily(model: try UST16xModel.load(from: store), fileDigests: store.modelFileDigests())
        })

    public var family: ModelFamily { Self.family }

    public func stylize(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                        cache: FeatureCache?, control: RenderControl?, pool: WorkerPool) throws -> RGBImage {
        try UST16xStylizer(model: self, pool: pool).stylize(content: content, styles: styles, settings: settings,
                                                            cache: cache, control: control)
    }

    /// The tile size asked for; else one piece unless the padded image is above
    /// `TilingOptions.untiledPixelLimit` or the untiled pipeline would not fit the budget, in
    /// which case the size follows from the budget (`TilePlan`).
    public func tileSize(width: Int, height: Int, styleSizes: [(width: Int, height: Int)], settings: StylizeSettings,
                         options: TilingOptions, pool: WorkerPool) throws -> Int? {
        if let tile = options.tile { return tile }
        let tiled = UST16xTiledStylizer(model: self, options: options, pool: pool)
        guard try tiled.needsTiles(width: width, height: height, styleSizes: styleSizes,
                                   regionCount: settings.regions.count, quality: settings.quality) else { return nil }
        return try tiled.plan(width: width, height: height, styleSizes: styleSizes,
                              regionCount: settings.regions.count, quality: settings.quality).tile
    }

    public func stylizeTiled(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                             options: TilingOptions, cache: FeatureCache?, control: RenderControl?, pool: WorkerPool,
                             rows: @escaping (RGBImage, Int) throws -> Void) throws {
        try UST16xTiledStylizer(model: self, options: options, pool: pool)
            .stylize(content: content, styles: styles, settings: settings, cache: cache, control: control, rows: rows)
    }

    public func minimumBudget(tile: Int, settings: StylizeSettings, regionCount: Int, threads: Int) throws -> Int {
        try TilePlan.minimumBudget(model: self, quality: settings.quality, tile: tile, regionCount: regionCount,
                                   threads: threads)
    }
}
