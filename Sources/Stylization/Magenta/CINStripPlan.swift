import Foundation

/// How a CIN network (Magenta transformer, CIN-26) renders a photo under a memory budget:
/// the strip height, and how much is left for whole feature maps (`StripBudget`; the rest
/// spill). Strips are whole rows, so a strip's memory grows with the image's width.
struct CINStripPlan {
    /// Memory the process needs besides the render's own data (code, the small model, runtime).
    static let baselineBytes = 64 << 20
    /// The content is reflect-padded at the bottom/right to a multiple of this.
    static let multiple = 4

    /// Strip height in rows of the padded photo; a layer at 1/2 or 1/4 of that size uses
    /// 1/2 or 1/4 as many rows (at least one).
    let rows: Int
    let paddedHeight: Int, paddedWidth: Int
    /// Every convolution's shape, in order.
    let shapes: [CINLayerShape]
    /// Bytes whole maps may hold in memory.
    let mapBytes: Int

    /// Rows per strip of a layer whose output is `height` rows high.
    func stripRows(height: Int) -> Int { max(1, rows * height / paddedHeight) }

    /// The plan for a `width` x `height` photo with `regionCount` regions under `options`
    /// (`options.tile`, when set, is the strip height). Throws when the budget cannot hold the
    /// photo and one strip of the thinnest kind.
    static func make(network: CINNetwork, width: Int, height: Int, regionCount: Int, options: TilingOptions,
                     threads: Int) throws -> CINStripPlan {
        let (hp, wp) = (roundUp(height), roundUp(width))
        let shapes = network.layerShapes(height: hp, width: wp)
        let fixed = fixedBytes(width: width, height: height, regionCount: regionCount)
        func strip(_ rows: Int) -> Int { stripBytes(shapes: shapes, rows: rows, paddedHeight: hp, threads: threads) }
        let rows: Int
        if let tile = options.tile {
            guard tile >= TilingOptions.minimumTile else { throw TilingError.tileTooSmall(tile) }
            rows = min(tile, hp)
        } else {
            let share = (options.memory - fixed) / 3
            var best = min(TilingOptions.minimumTile, hp)
            var candidate = best
            while candidate <= hp {
                if strip(candidate) <= share { best = candidate }
                candidate += multiple
            }
            rows = best
        }
        let needed = fixed + strip(rows)
        guard needed <= options.memory else {
            throw TilingError.budgetTooSmall(budget: options.memory, tile: rows, needed: needed)
        }
        return CINStripPlan(rows: rows, paddedHeight: hp, paddedWidth: wp, shapes: shapes,
                            mapBytes: options.memory - needed)
    }

    /// About the most memory the one-piece `CINNetwork.run` holds for such a render: the photo
    /// and its padded copy, region maps, and at the worst layer its input, the padded (or
    /// upsampled) input, its output, the normalised output and a residual.
    static func untiledBytes(network: CINNetwork, width: Int, height: Int, regionCount: Int) -> Int {
        let (hp, wp) = (roundUp(height), roundUp(width))
        let worst = network.layerShapes(height: hp, width: wp).map { s -> Int in
            let (hu, wu) = s.upsample ? (2 * s.inHeight, 2 * s.inWidth) : (s.inHeight, s.inWidth)
            return s.inChannels * (s.inHeight * s.inWidth + (hu + 2 * s.pad) * (wu + 2 * s.pad))
                + 3 * s.outChannels * s.outHeight * s.outWidth
        }.max() ?? 0
        return fixedBytes(width: width, height: height, regionCount: regionCount) + 12 * hp * wp + 4 * worst
    }

    /// The photo, region masks and their padded weight maps, and the baseline.
    private static func fixedBytes(width: Int, height: Int, regionCount: Int) -> Int {
        let regions = regionCount > 0 ? 4 * (2 * regionCount + 1) * roundUp(height) * roundUp(width) : 0
        return baselineBytes + 12 * width * height + regions
    }

    /// Working memory of one strip of `rows` padded-photo rows at its most demanding layer:
    /// the input rows with halo as stored, normalised and with the residual, upsampled or
    /// gathered, column-padded, the output, and the convolution's per-thread scratch.
    static func stripBytes(shapes: [CINLayerShape], rows: Int, paddedHeight: Int, threads: Int) -> Int {
        let floats = shapes.map { s -> Int in
            let r = max(1, rows * s.outHeight / paddedHeight)
            let rowsU = (r + 1) * s.stride + s.kernel
            let rowsX = s.upsample ? rowsU / 2 + 2 : rowsU
            let wu = s.upsample ? 2 * s.inWidth : s.inWidth
            return 3 * s.inChannels * rowsX * s.inWidth + (s.upsample ? 2 : 1) * s.inChannels * rowsU * wu
                + s.inChannels * rowsU * (wu + 2 * s.pad) + 2 * s.outChannels * (r + 2) * s.outWidth
        }.max() ?? 0
        return 4 * floats + threads * (4 << 20)
    }

    private static func roundUp(_ n: Int) -> Int { (n + multiple - 1) / multiple * multiple }
}
