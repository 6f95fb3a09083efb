/// The memory one tile's work holds at its peak, level by level: what the tile size is chosen
/// by and what a memory budget is checked against.
struct TileFootprint {
    /// What the footprint needs to know of one level.
    struct Level {
        let level: Int
        let cellSize: Int
        let channels: Int
        let encoderHalo: Int
        let decoderHalo: Int
        let encoder: Network
        let decoder: Network
        /// Encoder flops per byte of the features it produces.
        let flopsPerFeatureByte: Double
    }

    let levels: [Level]
    let paddedHeight: Int
    let paddedWidth: Int
    let regionChannels: Int
    let threads: Int

    init(model: UST16xModel, quality: Quality, regionCount: Int, paddedHeight: Int, paddedWidth: Int,
         threads: Int) throws {
        levels = try quality.levels.map { level in
            guard let encoder = model.encoders[level], let decoder = model.decoders[level] else {
                throw ModelError.badLevel(level)
            }
            let cellSize = 1 << encoder.poolCount
            let channels = encoder.outputChannels
            let flops = encoder.layerCosts(height: cellSize * 64, width: cellSize * 64).reduce(0, +)
            return Level(level: level, cellSize: cellSize, channels: channels,
                         encoderHalo: encoder.interiorEdgeReach, decoderHalo: decoder.haloCells,
                         encoder: encoder, decoder: decoder,
                         flopsPerFeatureByte: flops / Double(4 * channels * 64 * 64))
        }
        self.paddedHeight = paddedHeight
        self.paddedWidth = paddedWidth
        regionChannels = regionCount > 0 ? regionCount + 1 : 0
        self.threads = threads
    }

    /// Bytes one tile of edge `tile` holds at its peak over all levels; with `band`, plus the
    /// row band of output a tile row assembles (which depends on the image's width).
    func tileBytes(_ tile: Int, band: Bool) -> Int {
        let perLevel = levels.map { bytes(tile: tile, level: $0) }.max() ?? 0
        guard band else { return perLevel }
        let rows = min(tile + 16, paddedHeight)
        let haloRows = levels.map { ($0.encoderHalo + $0.decoderHalo) * $0.cellSize }.max() ?? 0
        return perLevel + 4 * 3 * paddedWidth * (rows + haloRows + 2 * 128)
    }

    /// The peak of one level's tile: the statistics pass, or the decoding pass (with the
    /// encoder run again when the features might not be kept).
    private func bytes(tile: Int, level: Level) -> Int {
        let f = level.cellSize
        let (hp, wp) = (paddedHeight, paddedWidth)
        let (ownedH, ownedW) = (min(tile + f, hp), min(tile + f, wp))
        let ownedCells = (ownedH / f) * (ownedW / f)
        let masks = regionChannels * (ownedH * ownedW + ownedCells)

        let encoderH = min(ownedH + 2 * level.encoderHalo * f, hp), encoderW = min(ownedW + 2 * level.encoderHalo * f, wp)
        let statistics = level.encoder.peakBytes(channels: 3, height: encoderH, width: encoderW, threads: threads)
            + 4 * (level.channels * ownedCells + masks)

        let cellsH = min(ownedH / f + 2 * level.decoderHalo, hp / f), cellsW = min(ownedW / f + 2 * level.decoderHalo, wp / f)
        let window = cellsH * cellsW
        let windowMasks = regionChannels * (window * f * f + window)
        let transform = 4 * (3 * level.channels * window + windowMasks)
        let decode = level.decoder.peakBytes(channels: level.channels, height: cellsH, width: cellsW, threads: threads)
            + 4 * (level.channels * window + 3 * ownedH * ownedW)
        var decoding = max(transform, decode)
        if level.flopsPerFeatureByte < TilePlan.spillFlopsPerByte {
            let againH = min((cellsH + 2 * level.encoderHalo) * f, hp), againW = min((cellsW + 2 * level.encoderHalo) * f, wp)
            let encodeAgain = level.encoder.peakBytes(channels: 3, height: againH, width: againW, threads: threads)
                + 4 * level.channels * window
            decoding = max(decoding, encodeAgain)
        }
        return max(statistics, decoding)
    }
}
