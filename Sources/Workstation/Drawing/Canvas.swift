import Terminal

/// What the workstation draws its panes on: the ncurses screen, or a grid of cells in memory
/// (tests, snapshots). The signatures are `TerminalScreen`'s drawing primitives.
public protocol Canvas: AnyObject {
    /// The size in cells.
    var size: CellSize { get }
    /// Whether box-drawing and block characters can be shown.
    var unicode: Bool { get }
    /// Blanks everything.
    func clear()
    /// Draws `string` from (`row`, `column`) in `style`, at most `maxWidth` columns; returns the columns drawn.
    @discardableResult
    func text(_ string: String, row: Int, column: Int, style: CellStyle, maxWidth: Int?) -> Int
    /// Fills `rect` with `character` in `style`.
    func fill(_ rect: CellRect, style: CellStyle, character: Character)
    /// A box around `rect` with a title on the top edge.
    func box(_ rect: CellRect, title: String?, focused: Bool)
    /// A horizontal gauge showing `fraction`.
    func gauge(row: Int, column: Int, width: Int, fraction: Double)
    /// Cells of colour (a style swatch): each cell an upper and a lower colour.
    func colorCells(_ cells: [(upper: TrueColor, lower: TrueColor)], row: Int, column: Int)
}

extension TerminalScreen: Canvas {}

/// A canvas in memory: a grid of characters with their styles. Used by tests to check what a
/// frame shows without a terminal, and by `--snapshot`-style tools.
public final class CellGrid: Canvas {
    /// The size in cells.
    public let size: CellSize
    /// Whether box-drawing characters are used.
    public let unicode: Bool
    /// The characters, row by row.
    public private(set) var cells: [[Character]]
    /// The style of each cell.
    public private(set) var styles: [[CellStyle]]
    /// The colours of cells drawn with `colorCells`, by "row,column".
    public private(set) var colors: [String: (upper: TrueColor, lower: TrueColor)] = [:]

    /// A blank grid of `size`.
    public init(size: CellSize, unicode: Bool = true) {
        self.size = size
        self.unicode = unicode
        cells = Array(repeating: Array(repeating: " ", count: size.columns), count: size.rows)
        styles = Array(repeating: Array(repeating: .text, count: size.columns), count: size.rows)
    }

    /// Row `row` as a string (trailing spaces kept).
    public func line(_ row: Int) -> String { String(cells[row]) }

    /// Every row joined by newlines.
    public var text: String { (0..<size.rows).map(line).joined(separator: "\n") }

    /// See `Canvas`.
    public func clear() {
        colors = [:]
        fill(CellRect(row: 0, column: 0, columns: size.columns, rows: size.rows), style: .text, character: " ")
    }

    /// See `Canvas`.
    @discardableResult
    public func text(_ string: String, row: Int, column: Int, style: CellStyle, maxWidth: Int?) -> Int {
        guard row >= 0, row < size.rows else { return 0 }
        let limit = min(size.columns, maxWidth.map { column + max(0, $0) } ?? size.columns)
        var col = column
        for character in string {
            let width = TerminalText.width(character)
            if width == 0 { continue }
            if col + width > limit { break }
            if col >= 0 {
                cells[row][col] = character
                styles[row][col] = style
                if width == 2 && col + 1 < size.columns { cells[row][col + 1] = " " }
            }
            col += width
        }
        return max(0, col - max(column, 0))
    }

    /// See `Canvas`.
    public func fill(_ rect: CellRect, style: CellStyle, character: Character) {
        let clipped = rect.intersection(CellRect(row: 0, column: 0, columns: size.columns, rows: size.rows))
        guard !clipped.isEmpty else { return }
        for r in clipped.row..<(clipped.row + clipped.rows) {
            for c in clipped.column..<(clipped.column + clipped.columns) {
                cells[r][c] = character
                styles[r][c] = style
            }
        }
    }

    /// See `Canvas`.
    public func box(_ rect: CellRect, title: String?, focused: Bool) {
        guard rect.columns >= 2, rect.rows >= 2 else { return }
        let style: CellStyle = focused ? .focusedBorder : .border
        let g: [Character] = unicode ? ["╭", "╮", "╰", "╯", "─", "│"] : ["+", "+", "+", "+", "-", "|"]
        let right = rect.column + rect.columns - 1, bottom = rect.row + rect.rows - 1
        fill(CellRect(row: rect.row, column: rect.column + 1, columns: rect.columns - 2, rows: 1), style: style, character: g[4])
        fill(CellRect(row: bottom, column: rect.column + 1, columns: rect.columns - 2, rows: 1), style: style, character: g[4])
        fill(CellRect(row: rect.row + 1, column: rect.column, columns: 1, rows: rect.rows - 2), style: style, character: g[5])
        fill(CellRect(row: rect.row + 1, column: right, columns: 1, rows: rect.rows - 2), style: style, character: g[5])
        text(String(g[0]), row: rect.row, column: rect.column, style: style, maxWidth: nil)
        text(String(g[1]), row: rect.row, column: right, style: style, maxWidth: nil)
        text(String(g[2]), row: bottom, column: rect.column, style: style, maxWidth: nil)
        text(String(g[3]), row: bottom, column: right, style: style, maxWidth: nil)
        if let title, !title.isEmpty, rect.columns > 6 {
            let shown = " " + TerminalText.truncated(title, toWidth: rect.columns - 6) + " "
            text(shown, row: rect.row, column: rect.column + 2, style: .title, maxWidth: rect.columns - 4)
        }
    }

    /// See `Canvas`.
    public func colorCells(_ cells: [(upper: TrueColor, lower: TrueColor)], row: Int, column: Int) {
        for (i, cell) in cells.enumerated() where text("\u{2580}", row: row, column: column + i, style: .text, maxWidth: 1) == 1 {
            colors["\(row),\(column + i)"] = cell
        }
    }

    /// See `Canvas`.
    public func gauge(row: Int, column: Int, width: Int, fraction: Double) {
        let cells = Gauge.cells(fraction: fraction, width: width, unicode: unicode)
        text(String(cells), row: row, column: column, style: .gauge, maxWidth: width)
    }
}
