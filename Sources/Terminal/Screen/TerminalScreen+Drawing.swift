import CNcursesw

/// Drawing primitives. Everything is clipped to the screen; coordinates are 0-based cells.
/// Draw a whole frame (`clear`, panes), let `PreviewWriter.show` place the pictures, `refresh`,
/// then `PreviewWriter.flush`.
extension TerminalScreen {
    /// Blanks the whole screen in the theme's background (takes effect on `refresh`).
    public func clear() {
        werase(stdscr)
    }

    /// Sends the frame to the terminal (only the cells that changed).
    public func refresh() {
        wrefresh(stdscr)
    }

    /// Makes the next `refresh` rewrite every cell of `rect`'s rows, e.g. to wipe a preview
    /// picture that ncurses does not know about.
    public func repaint(_ rect: CellRect) {
        let clipped = rect.intersection(bounds)
        guard !clipped.isEmpty else { return }
        wredrawln(stdscr, Int32(clipped.row), Int32(clipped.rows))
    }

    /// The whole screen as a rectangle.
    public var bounds: CellRect { CellRect(row: 0, column: 0, columns: size.columns, rows: size.rows) }

    /// Draws `string` from (`row`, `column`) in `style`, stopping before the screen edge or after
    /// `maxWidth` columns (a wide character that does not fit whole is left out). Returns the
    /// number of columns drawn. Control characters are skipped; without a UTF-8 locale non-ASCII
    /// characters show as '?'.
    @discardableResult
    public func text(_ string: String, row: Int, column: Int, style: CellStyle = .text, maxWidth: Int? = nil) -> Int {
        guard row >= 0, row < size.rows else { return 0 }
        let limit = min(size.columns, maxWidth.map { column + max(0, $0) } ?? size.columns)
        let (attrs, pair) = attributes(style)
        var col = column
        for character in string {
            let shown: Character = unicode || character.isASCII ? character : "?"
            let width = TerminalText.width(shown)
            if width == 0 { continue }
            if col + width > limit { break }
            if col >= 0 { put(shown, row: row, column: col, attrs: attrs, pair: pair) }
            col += width
        }
        return max(0, col - max(column, 0))
    }

    /// Fills `rect` with `character` in `style` (spaces: a coloured area).
    public func fill(_ rect: CellRect, style: CellStyle = .text, character: Character = " ") {
        let clipped = rect.intersection(bounds)
        guard !clipped.isEmpty else { return }
        let (attrs, pair) = attributes(style)
        let width = max(1, TerminalText.width(character))
        for r in clipped.row..<(clipped.row + clipped.rows) {
            var c = clipped.column
            while c + width <= clipped.column + clipped.columns {
                put(character, row: r, column: c, attrs: attrs, pair: pair)
                c += width
            }
        }
    }

    /// A horizontal line of `width` cells ("─", or "-" without UTF-8).
    public func horizontalLine(row: Int, column: Int, width: Int, style: CellStyle = .border) {
        fill(CellRect(row: row, column: column, columns: width, rows: 1), style: style, character: unicode ? "─" : "-")
    }

    /// A box with rounded corners around `rect` (the border takes its outermost cells) with an
    /// optional `title` on the top edge. A focused box uses the focused-border colour and an
    /// accent title. The interior is `rect.inset(by: 1)`; it is not cleared.
    public func box(_ rect: CellRect, title: String? = nil, focused: Bool = false) {
        guard rect.columns >= 2, rect.rows >= 2 else { return }
        let style: CellStyle = focused ? .focusedBorder : .border
        let glyphs: [Character] = unicode ? ["╭", "╮", "╰", "╯", "─", "│"] : ["+", "+", "+", "+", "-", "|"]
        let top = rect.row, bottom = rect.row + rect.rows - 1
        let left = rect.column, right = rect.column + rect.columns - 1
        fill(CellRect(row: top, column: left + 1, columns: rect.columns - 2, rows: 1), style: style, character: glyphs[4])
        fill(CellRect(row: bottom, column: left + 1, columns: rect.columns - 2, rows: 1), style: style, character: glyphs[4])
        fill(CellRect(row: top + 1, column: left, columns: 1, rows: rect.rows - 2), style: style, character: glyphs[5])
        fill(CellRect(row: top + 1, column: right, columns: 1, rows: rect.rows - 2), style: style, character: glyphs[5])
        text(String(glyphs[0]), row: top, column: left, style: style)
        text(String(glyphs[1]), row: top, column: right, style: style)
        text(String(glyphs[2]), row: bottom, column: left, style: style)
        text(String(glyphs[3]), row: bottom, column: right, style: style)
        if let title, !title.isEmpty, rect.columns > 6 {
            let shown = " " + TerminalText.truncated(title, toWidth: rect.columns - 6) + " "
            text(shown, row: top, column: left + 2, style: focused ? CellStyle(.accent, bold: true) : .title,
                 maxWidth: rect.columns - 4)
        }
    }

    /// A horizontal gauge of `width` cells showing `fraction` (0...1) with 1/8-cell precision:
    /// the slider-fill colour on the slider-empty track.
    public func gauge(row: Int, column: Int, width: Int, fraction: Double) {
        var col = column
        let (attrs, pair) = attributes(.gauge)
        let (solidAttrs, _) = attributes(CellStyle(.sliderFill, on: .sliderEmpty, reverse: true))
        for character in Gauge.cells(fraction: fraction, width: width, unicode: unicode) {
            if row >= 0, row < size.rows, col >= 0, col < size.columns {
                // Full cells as reversed spaces: solid in every font (some draw gaps around █).
                if character == Gauge.eighths[7] {
                    put(" ", row: row, column: col, attrs: solidAttrs, pair: pair)
                } else {
                    put(character, row: row, column: col, attrs: attrs, pair: pair)
                }
            }
            col += 1
        }
    }

    /// When the screen is smaller than `minimum`, clears it and draws a centred notice asking for
    /// a larger window, and returns true (draw nothing else then). Returns false otherwise.
    @discardableResult
    public func drawTooSmallNotice(minimum: CellSize) -> Bool {
        guard !size.contains(minimum) else { return false }
        clear()
        let lines = TooSmallNotice.lines(size: size, minimum: minimum)
        let top = max(0, (size.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let shown = TerminalText.truncated(line.text, toWidth: size.columns)
            text(shown, row: top + i, column: max(0, (size.columns - TerminalText.width(shown)) / 2), style: line.style)
        }
        return true
    }

    /// Shows the terminal cursor at a cell (for text entry), or hides it with nil.
    public func setCursor(row: Int, column: Int) {
        leaveok(stdscr, false)
        curs_set(1)
        wmove(stdscr, Int32(row), Int32(column))
    }

    /// Hides the cursor again.
    public func hideCursor() {
        curs_set(0)
        leaveok(stdscr, true)
    }

    /// Cells of colour from (`row`, `column`), each showing two colours: its upper half ("▀" in
    /// the upper colour) on its lower half, as the nearest palette entries. Nothing is drawn
    /// without colours or Unicode.
    public func colorCells(_ cells: [(upper: TrueColor, lower: TrueColor)], row: Int, column: Int) {
        guard unicode, row >= 0, row < size.rows else { return }
        for (i, cell) in cells.enumerated() where column + i >= 0 && column + i < size.columns {
            guard let pair = palettePair(cell.upper, on: cell.lower) else { return }
            put("\u{2580}", row: row, column: column + i, attrs: 0, pair: pair)
        }
    }

    /// One character cell (a wide character takes two).
    private func put(_ character: Character, row: Int, column: Int, attrs: attr_t, pair: Int16) {
        var chars: [wchar_t] = []
        for scalar in character.unicodeScalars.prefix(5) { chars.append(wchar_t(bitPattern: scalar.value)) }
        chars.append(0)
        var cell = cchar_t()
        setcchar(&cell, chars, attrs, pair, nil)
        mvwadd_wch(stdscr, Int32(row), Int32(column), &cell)
    }
}

/// The text of the "terminal too small" notice.
public enum TooSmallNotice {
    /// The notice's lines and their styles for a screen of `size` needing `minimum`.
    public static func lines(size: CellSize, minimum: CellSize) -> [(text: String, style: CellStyle)] {
        [
            ("Terminal too small", CellStyle.warning.emphasised),
            ("\(size) now, \(minimum) needed", CellStyle.text),
            ("Enlarge the window (or make the font smaller)", CellStyle.dim),
        ]
    }
}

/// The preview writer repaints text and refreshes through the screen.
extension TerminalScreen: PreviewSurface {}
