/// A rectangle of a grid: rows `y0..<y1`, columns `x0..<x1` (pixels or feature cells).
struct CellRect: Equatable, Sendable {
    var y0: Int
    var y1: Int
    var x0: Int
    var x1: Int

    var height: Int { y1 - y0 }
    var width: Int { x1 - x0 }
    var area: Int { height * width }

    /// Grown by `margin` on every side, then clipped to a `height` x `width` grid.
    func expanded(by margin: Int, height: Int, width: Int) -> CellRect {
        CellRect(y0: max(0, y0 - margin), y1: min(height, y1 + margin),
                 x0: max(0, x0 - margin), x1: min(width, x1 + margin))
    }

    /// Every coordinate multiplied by `factor` (feature cells to pixels).
    func scaled(by factor: Int) -> CellRect {
        CellRect(y0: y0 * factor, y1: y1 * factor, x0: x0 * factor, x1: x1 * factor)
    }

    /// This rectangle in the coordinates of `outer` (which must contain it).
    func relative(to outer: CellRect) -> CellRect {
        CellRect(y0: y0 - outer.y0, y1: y1 - outer.y0, x0: x0 - outer.x0, x1: x1 - outer.x0)
    }
}

/// Splits an extent of `cells` feature cells, each `cellSize` pixels, into spans of at most
/// about `tile` pixels whose boundaries fall on cell boundaries: the pooling grid of the level
/// (multiples of `cellSize` in padded-image pixels), whatever the tile size.
///
/// With n = ceil(cells * cellSize / tile) spans, boundary k is floor(k * cells / n) cells, so
/// spans differ by at most one cell and none exceeds `tile + cellSize` pixels.
func tileSpans(cells: Int, cellSize: Int, tile: Int) -> [Range<Int>] {
    precondition(cells > 0 && cellSize > 0 && tile >= cellSize, "bad tiling of \(cells) cells")
    let n = max(1, min(cells, (cells * cellSize + tile - 1) / tile))
    return (0..<n).map { k in (k * cells / n)..<((k + 1) * cells / n) }
}

/// The tiles of a `cellsHigh` x `cellsWide` grid, row by row (a row of tiles is a band).
func tileGrid(cellsHigh: Int, cellsWide: Int, cellSize: Int, tile: Int) -> [[CellRect]] {
    let columns = tileSpans(cells: cellsWide, cellSize: cellSize, tile: tile)
    return tileSpans(cells: cellsHigh, cellSize: cellSize, tile: tile).map { rows in
        columns.map { CellRect(y0: rows.lowerBound, y1: rows.upperBound, x0: $0.lowerBound, x1: $0.upperBound) }
    }
}
