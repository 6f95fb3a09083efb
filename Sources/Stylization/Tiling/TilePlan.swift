import Foundation

/// Everything a tiled render decides before it starts: the tile size, each level's tiles and
/// halos, and which large buffers live in memory, in spill files, or (for cheap encoders) are
/// recomputed. It depends only on the sizes involved, the model and the options, so the same
/// recipe always gets the same plan.
public struct TilePlan: Sendable {
    /// Tile edge in pixels (owned part; each tile's halo comes on top).
    public let tile: Int
    /// Padded image height (a multiple of 16).
    public let paddedHeight: Int
    /// Padded image width (a multiple of 16).
    public let paddedWidth: Int
    /// The levels, in the order they run.
    public let levels: [LevelTiling]
    /// Where the image between levels lives (nil for fast renders, which have one level).
    let imageStorage: BufferStorage?
    /// Where the region weights live (nil without regions).
    let maskStorage: BufferStorage?
    /// The memory the plan expects to use at its peak, in bytes.
    public let estimatedPeakBytes: Int
    /// The budget it was made for.
    public let budget: Int

    /// Whether any buffer goes to a spill file.
    public var spills: Bool {
        imageStorage?.isSpill == true || maskStorage?.isSpill == true || levels.contains { $0.features == .spill }
    }

    /// Memory the process needs besides the render's own data: code, model, runtime.
    static let baselineBytes = 112 << 20

    /// Levels whose encoder costs at least this many flops per byte of features they produce
    /// spill their features when memory is short; cheaper ones encode again instead (the disk
    /// is slower than the encoder there).
    static let spillFlopsPerByte = 1600.0

    /// Makes the plan for a `photoWidth` x `photoHeight` photo, styles of `styleSizes`,
    /// `regionCount` regions (0 for none), at `quality`, under `options`; `threads` is the
    /// worker pool's size. Throws when the budget cannot hold one tile plus halo.
    public static func make(model: UST16xModel, photoWidth: Int, photoHeight: Int,
                            styleSizes: [(width: Int, height: Int)], regionCount: Int,
                            quality: Quality, options: TilingOptions, threads: Int) throws -> TilePlan {
        if let tile = options.tile, tile < TilingOptions.minimumTile { throw TilingError.tileTooSmall(tile) }
        let geometry = try TileFootprint(model: model, quality: quality, regionCount: regionCount,
                                         paddedHeight: roundUp(photoHeight), paddedWidth: roundUp(photoWidth),
                                         threads: threads)
        let (hp, wp) = (geometry.paddedHeight, geometry.paddedWidth)
        let styleBytes = styleSizes.reduce(0) { $0 + 3 * 12 * roundUp($1.width) * roundUp($1.height) }
        let fixed = baselineBytes + 12 * photoWidth * photoHeight + styleBytes
        let largestEdge = roundUp(max(hp, wp))
        let smallest = min(TilingOptions.smallestAutomaticTile, largestEdge)
        if let tile = options.tile {
            let needed = baselineBytes + geometry.tileBytes(tile, band: false)
            guard needed <= options.memory else {
                throw TilingError.budgetTooSmall(budget: options.memory, tile: tile, needed: needed)
            }
        }
        var available = options.memory - fixed
        var held = 0
        let floor = geometry.tileBytes(options.tile ?? smallest, band: true)

        func place(_ bytes: Int) -> BufferStorage {
            guard bytes + floor <= available else { return .spill(options.spillDirectory) }
            available -= bytes
            held += bytes
            return .memory
        }
        let imageStorage = quality.levels.count > 1 ? place(12 * hp * wp) : nil
        let maskStorage = regionCount > 0 ? place(4 * (regionCount + 1) * hp * wp) : nil

        let tile = options.tile ?? chooseTile(geometry: geometry, share: available / 2, smallest: smallest, largest: largestEdge)
        let tileBytes = geometry.tileBytes(tile, band: true)
        available -= tileBytes

        var largestStore = 0
        let levels = geometry.levels.map { level -> LevelTiling in
            let bytes = 4 * level.channels * (hp / level.cellSize) * (wp / level.cellSize)
            let storage: FeatureStorage
            if bytes <= available {
                storage = .memory
                largestStore = max(largestStore, bytes)
            } else {
                storage = level.flopsPerFeatureByte >= spillFlopsPerByte ? .spill : .recompute
            }
            return LevelTiling(level: level.level, cellSize: level.cellSize, cellsHigh: hp / level.cellSize,
                               cellsWide: wp / level.cellSize, channels: level.channels,
                               encoderHalo: level.encoderHalo, decoderHalo: level.decoderHalo, features: storage,
                               bands: tileGrid(cellsHigh: hp / level.cellSize, cellsWide: wp / level.cellSize,
                                               cellSize: level.cellSize, tile: tile))
        }
        return TilePlan(tile: tile, paddedHeight: hp, paddedWidth: wp, levels: levels, imageStorage: imageStorage,
                        maskStorage: maskStorage, estimatedPeakBytes: fixed + held + tileBytes + largestStore,
                        budget: options.memory)
    }

    /// The least budget that holds one `tile`-pixel tile plus its halo (and the program
    /// itself), whatever the image: what `--memory` must at least be.
    public static func minimumBudget(model: UST16xModel, quality: Quality, tile: Int, regionCount: Int,
                                     threads: Int) throws -> Int {
        let unbounded = 1 << 20
        let geometry = try TileFootprint(model: model, quality: quality, regionCount: regionCount,
                                         paddedHeight: unbounded, paddedWidth: unbounded, threads: threads)
        return baselineBytes + geometry.tileBytes(tile, band: false)
    }

    /// About the most memory the untiled `UST16xStylizer` holds for such a render: the photo and its
    /// padded copy, the styles, the region weights, and one "tile" the size of the image.
    public static func untiledBytes(model: UST16xModel, photoWidth: Int, photoHeight: Int,
                                    styleSizes: [(width: Int, height: Int)], regionCount: Int,
                                    quality: Quality, threads: Int) throws -> Int {
        let (hp, wp) = (roundUp(photoHeight), roundUp(photoWidth))
        let geometry = try TileFootprint(model: model, quality: quality, regionCount: regionCount,
                                         paddedHeight: hp, paddedWidth: wp, threads: threads)
        let styleBytes = styleSizes.reduce(0) { $0 + 3 * 12 * roundUp($1.width) * roundUp($1.height) }
        let masks = regionCount > 0 ? 2 * 4 * (regionCount + 1) * hp * wp : 0
        return baselineBytes + 12 * photoWidth * photoHeight + 12 * hp * wp + styleBytes + masks
            + geometry.tileBytes(max(hp, wp), band: false)
    }

    /// The largest tile (a multiple of 16 between `smallest` and `largest`) whose working set
    /// fits in `share` bytes; `smallest` if none does.
    private static func chooseTile(geometry: TileFootprint, share: Int, smallest: Int, largest: Int) -> Int {
        var best = smallest
        var candidate = smallest
        while candidate <= largest {
            if geometry.tileBytes(candidate, band: true) <= share { best = candidate }
            candidate += 16
        }
        return best
    }

    private static func roundUp(_ n: Int) -> Int { (n + paddingMultiple - 1) / paddingMultiple * paddingMultiple }

    /// One line for logs: tile size, tiles per level, where the buffers live.
    public var summary: String {
        let perLevel = levels.map { "L\($0.level): \($0.tileCount) tiles, features \($0.features.rawValue)" }
        let image = imageStorage.map { $0.isSpill ? ", image between levels spilled" : ", image between levels in memory" } ?? ""
        return "tile \(tile) px\(image); " + perLevel.joined(separator: "; ")
    }
}
