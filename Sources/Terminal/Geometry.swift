/// A size in terminal cells (character columns and rows).
public struct CellSize: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Number of columns.
    public var columns: Int
    /// Number of rows.
    public var rows: Int

    /// A size of `columns` x `rows` cells.
    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// True when both dimensions are at least those of `minimum`.
    public func contains(_ minimum: CellSize) -> Bool {
        columns >= minimum.columns && rows >= minimum.rows
    }

    /// "80x24".
    public var description: String { "\(columns)x\(rows)" }
}

/// A rectangle of terminal cells; row and column 0 are the top-left corner of the screen.
public struct CellRect: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Top row.
    public var row: Int
    /// Left column.
    public var column: Int
    /// Width in columns.
    public var columns: Int
    /// Height in rows.
    public var rows: Int

    /// The rectangle whose top-left cell is (`row`, `column`).
    public init(row: Int, column: Int, columns: Int, rows: Int) {
        self.row = row
        self.column = column
        self.columns = columns
        self.rows = rows
    }

    /// True when the rectangle covers no cell.
    public var isEmpty: Bool { columns <= 0 || rows <= 0 }

    /// The size of the rectangle.
    public var size: CellSize { CellSize(columns: columns, rows: rows) }

    /// The rectangle shrunk by `amount` cells on every side (a box's interior for 1); may be empty.
    public func inset(by amount: Int) -> CellRect {
        CellRect(row: row + amount, column: column + amount,
                 columns: max(0, columns - 2 * amount), rows: max(0, rows - 2 * amount))
    }

    /// The part of the rectangle that also lies inside `other` (empty when they do not overlap).
    public func intersection(_ other: CellRect) -> CellRect {
        let top = max(row, other.row), left = max(column, other.column)
        let bottom = min(row + rows, other.row + other.rows)
        let right = min(column + columns, other.column + other.columns)
        return CellRect(row: top, column: left, columns: max(0, right - left), rows: max(0, bottom - top))
    }

    /// "cols x rows at (row, col)".
    public var description: String { "\(columns)x\(rows) at (\(row), \(column))" }
}

/// The size of one terminal cell in screen pixels, used to keep images' aspect ratio.
public struct CellPixelSize: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Width of a cell in pixels.
    public var width: Int
    /// Height of a cell in pixels.
    public var height: Int

    /// A cell of `width` x `height` pixels (each clamped to at least 1).
    public init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
    }

    /// The assumed cell size when the terminal does not tell: 10x20 pixels.
    public static let fallback = CellPixelSize(width: 10, height: 20)

    /// "10x20px".
    public var description: String { "\(width)x\(height)px" }
}
