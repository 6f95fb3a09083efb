/// Where a level's encoder features wait between the statistics pass and the decoding pass.
public enum FeatureStorage: String, Equatable, Sendable {
    /// In memory.
    case memory
    /// In a spill file (levels whose encoder costs much more than writing its features).
    case spill
    /// Not kept: each decoding tile encodes its own (larger) window again.
    case recompute
}

/// One level's tiles: owned rectangles of feature cells, the halos that make them exact, and
/// where the features are kept.
///
/// A feature cell is `cellSize` x `cellSize` pixels of the padded image (2 to the number of
/// pools of the level's encoder), so tiles drawn on cells start on the pooling grid.
public struct LevelTiling: Sendable {
    /// Model level 1...5.
    public let level: Int
    /// Pixels per feature cell along each axis.
    public let cellSize: Int
    /// Feature map height in cells.
    public let cellsHigh: Int
    /// Feature map width in cells.
    public let cellsWide: Int
    /// Feature channels.
    public let channels: Int
    /// Cells of encoder output a tile edge inside the image can spoil, so encoder windows
    /// extend that far past the cells they must deliver.
    public let encoderHalo: Int
    /// Cells of decoder input a tile's output needs around it.
    public let decoderHalo: Int
    /// Where the features are kept between the two passes.
    public let features: FeatureStorage
    /// The owned tiles, band by band (a band is a row of tiles).
    let bands: [[CellRect]]

    /// Number of tiles.
    public var tileCount: Int { bands.reduce(0) { $0 + $1.count } }

    /// The tile edge actually used, in pixels: the largest owned span.
    public var largestTile: Int {
        bands.flatMap { $0 }.map { max($0.height, $0.width) * cellSize }.max() ?? 0
    }

    /// The feature cells a decoding tile reads for its owned cells.
    func decoderWindow(_ owned: CellRect) -> CellRect {
        owned.expanded(by: decoderHalo, height: cellsHigh, width: cellsWide)
    }

    /// The padded-image pixels an encoder pass reads to deliver `cells` exactly.
    func encoderWindow(_ cells: CellRect) -> CellRect {
        cells.expanded(by: encoderHalo, height: cellsHigh, width: cellsWide).scaled(by: cellSize)
    }

    /// Pixel rows of the padded image an encoder reads for the decoding tiles of `band`
    /// (recompute mode), or the owned rows' first row when the features are stored.
    func firstInputRow(ofBand band: Int) -> Int {
        guard let owned = bands[band].first else { return 0 }
        if features == .recompute { return encoderWindow(decoderWindow(owned)).y0 }
        return owned.y0 * cellSize
    }
}
