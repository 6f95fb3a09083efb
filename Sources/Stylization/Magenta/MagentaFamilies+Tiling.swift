import Foundation
import Imaging
import Runtime

/// The tiled path of the two CIN families: the network runs layer by layer in strips of whole
/// rows (`CINStripRender`), each layer's instance-norm statistics gathered over every strip
/// before any strip is normalised, whole maps in memory while the budget allows and in spill
/// files beyond. `options.tile` is the strip height in rows of the padded photo.
extension ArbitraryStyleModel {
    /// The strip height asked for; else one piece unless the padded photo is above
    /// `TilingOptions.untiledPixelLimit` or the one-piece run would not fit the budget.
    public func tileSize(width: Int, height: Int, styleSizes: [(width: Int, height: Int)], settings: StylizeSettings,
                         options: TilingOptions, pool: WorkerPool) throws -> Int? {
        try CINStripPlan.tileSize(network: transformer, width: width, height: height,
                                  regionCount: settings.regions.count, options: options, threads: pool.threadCount)
    }

    public func stylizeTiled(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                             options: TilingOptions, cache: FeatureCache?, control: RenderControl?, pool: WorkerPool,
                             rows: @escaping (RGBImage, Int) throws -> Void) throws {
        let (base, regions) = try parameters(content: content, styles: styles, settings: settings, cache: cache,
                                             control: control, pool: pool)
        let render = try stylizeInStrips(content: content.image, vector: base, regions: regions, options: options,
                                         control: control, pool: pool)
        try render.forEachStrip { stylized, photo, top in
            try rows(settings.color == .luminance ? ColorPreservation.keepLuminance(stylized: stylized, content: photo)
                     : stylized, top)
        }
        control?.report(1)
    }

    public func minimumBudget(tile: Int, settings: StylizeSettings, regionCount: Int, threads: Int) throws -> Int {
        CINStripPlan.baselineBytes
    }
}

extension CIN26Model {
    /// As for the arbitrary family.
    public func tileSize(width: Int, height: Int, styleSizes: [(width: Int, height: Int)], settings: StylizeSettings,
                         options: TilingOptions, pool: WorkerPool) throws -> Int? {
        try CINStripPlan.tileSize(network: network, width: width, height: height,
                                  regionCount: settings.regions.count, options: options, threads: pool.threadCount)
    }

    /// Colour matching needs the whole output's RGB mean and covariance: the result is read
    /// twice (statistics, then pixels); strength is a pixel blend, strip by strip.
    public func stylizeTiled(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                             options: TilingOptions, cache: FeatureCache?, control: RenderControl?, pool: WorkerPool,
                             rows: @escaping (RGBImage, Int) throws -> Void) throws {
        let (base, regions) = try parameters(content: content, settings: settings)
        let render = try stylizeInStrips(content: content.image, weights: base, regions: regions, options: options,
                                         control: control, pool: pool)
        var colourMap: ChannelAffineMap?
        if settings.color == .match {
            var moments = FeatureMoments(channels: 3, transform: .wct)
            try render.forEachStrip { stylized, _, _ in moments.add(Tensor(stylized), mask: nil, pool: pool) }
            let photoColours = UST16xTiledStylizer.colourStatistics(of: PaddedPhoto(content.image), pool: pool)
            guard case .meanAndCovariance(let sm, let sc)? = moments.statistics,
                  case .meanAndCovariance(let cm, let cc) = photoColours else {
                preconditionFailure("colour statistics need the covariance")
            }
            colourMap = try ColorPreservation.colourMap(styleMean: sm, styleCovariance: sc, contentMean: cm,
                                                        contentCovariance: cc)
        }
        try render.forEachStrip { stylized, photo, top in
            var out = stylized
            switch settings.color {
            case .match: out = RGBImage(clamping: colourMap!.apply(to: Tensor(out), pool: pool))
            case .luminance: out = ColorPreservation.keepLuminance(stylized: out, content: photo)
            case .off: break
            }
            if settings.alpha != 1 {
                out = RGBImage(width: out.width, height: out.height,
                               pixels: Tensor(out).mixed(with: Tensor(photo), alpha: settings.alpha).data)
            }
            try rows(out, top)
        }
        control?.report(1)
    }

    public func minimumBudget(tile: Int, settings: StylizeSettings, regionCount: Int, threads: Int) throws -> Int {
        CINStripPlan.baselineBytes
    }
}

extension CINStripPlan {
    /// The strip height for a render of a `width` x `height` photo, or nil for one piece (see
    /// `ArbitraryStyleModel.tileSize`).
    static func tileSize(network: CINNetwork, width: Int, height: Int, regionCount: Int, options: TilingOptions,
                         threads: Int) throws -> Int? {
        if let tile = options.tile {
            guard tile >= TilingOptions.minimumTile else { throw TilingError.tileTooSmall(tile) }
            return tile
        }
        let m = multiple
        let padded = (width + m - 1) / m * m * ((height + m - 1) / m * m)
        guard padded > TilingOptions.untiledPixelLimit
                || untiledBytes(network: network, width: width, height: height, regionCount: regionCount) > options.memory
        else { return nil }
        return try make(network: network, width: width, height: height, regionCount: regionCount, options: options,
                        threads: threads).rows
    }
}
