import CChafa
import Imaging

/// Draws previews with libchafa's symbol mode: each cell gets the block, border or space symbol
/// (and the two colours) that best match its 8x8 patch of the picture, so edges that half
/// blocks smear stay sharp. Colours are 24-bit, the 240 non-system entries of the 256-colour
/// palette, or the 16 ANSI colours (where half blocks and their palette fall back to grey ASCII).
/// Symbols are limited to `block+border+space`: fonts commonly lack the rest.
public struct SymbolAdapter: PreviewAdapter {
    /// `.symbols`.
    public var kind: PreviewAdapterKind { .symbols }
    /// The colours written.
    public var colorDepth: ColorDepth

    /// A symbol adapter writing colours of `colorDepth`.
    public init(colorDepth: ColorDepth = .trueColor) {
        self.colorDepth = colorDepth
    }

    /// Quick passes are cheap to show; palette colours (256, 16) must keep their meaning.
    public var policy: PreviewPolicy { PreviewPolicy(showsQuickPasses: true, usesPalette: colorDepth < .trueColor) }
    /// "symbols truecolor", "symbols 256 colours", "symbols 16 colours".
    public var name: String { "symbols " + colorDepth.description }
    /// Pictures are fitted like half blocks (one column by two rows of samples per cell); chafa
    /// then looks at 8x8 pixels of each cell.
    public func samplesPerCell(_ cellPixels: CellPixelSize) -> (x: Int, y: Int) { (1, 2) }

    /// The whole cells the picture covers (as half blocks would).
    public func footprint(width: Int, height: Int, in rect: CellRect, cellPixels: CellPixelSize) -> CellRect {
        HalfBlockAdapter().footprint(width: width, height: height, in: rect, cellPixels: cellPixels)
    }

    /// One cell of the result: the symbol and its colours (nil: the terminal's default colour).
    public struct Cell: Equatable, Sendable {
        /// The symbol.
        public var character: Character
        /// Foreground (the symbol's ink).
        public var foreground: TrueColor?
        /// Background (the rest of the cell).
        public var background: TrueColor?
        /// chafa's raw colours: packed RGB in truecolor, palette indices otherwise; -1 for default.
        var raw: (foreground: Int32, background: Int32) = (-1, -1)

        public static func == (a: Cell, b: Cell) -> Bool {
            a.character == b.character && a.foreground == b.foreground && a.background == b.background
        }
    }

    /// The cells chafa chooses for `image` at `columns` x `rows`, row by row. Palette colours
    /// are reported as the colour the palette entry shows.
    public func cells(_ image: RGBImage, columns: Int, rows: Int) -> [[Cell]] {
        guard columns > 0, rows > 0 else { return [] }
        let raster = Raster(resampling: image, width: columns * 8, height: rows * 16)
        let map = chafa_symbol_map_new()
        defer { chafa_symbol_map_unref(map) }
        let tags = CHAFA_SYMBOL_TAG_BLOCK.rawValue | CHAFA_SYMBOL_TAG_BORDER.rawValue | CHAFA_SYMBOL_TAG_SPACE.rawValue
        chafa_symbol_map_add_by_tags(map, ChafaSymbolTags(rawValue: tags))
        let config = chafa_canvas_config_new()
        defer { chafa_canvas_config_unref(config) }
        chafa_canvas_config_set_geometry(config, Int32(columns), Int32(rows))
        chafa_canvas_config_set_cell_geometry(config, 8, 16)
        chafa_canvas_config_set_symbol_map(config, map)
        chafa_canvas_config_set_pixel_mode(config, CHAFA_PIXEL_MODE_SYMBOLS)
        chafa_canvas_config_set_canvas_mode(config, canvasMode)
        let canvas = chafa_canvas_new(config)
        defer { chafa_canvas_unref(canvas) }
        raster.bytes.withUnsafeBufferPointer {
            chafa_canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGB8, $0.baseAddress, Int32(raster.width), Int32(raster.height),
                                         Int32(raster.width * 3))
        }
        var out: [[Cell]] = []
        out.reserveCapacity(rows)
        for y in 0..<rows {
            var line: [Cell] = []
            line.reserveCapacity(columns)
            for x in 0..<columns {
                let code = chafa_canvas_get_char_at(canvas, Int32(x), Int32(y))
                var fg: Int32 = -1, bg: Int32 = -1
                chafa_canvas_get_raw_colors_at(canvas, Int32(x), Int32(y), &fg, &bg)
                let character = Unicode.Scalar(code).map(Character.init) ?? " "
                line.append(Cell(character: character, foreground: color(fg), background: color(bg), raw: (fg, bg)))
            }
            out.append(line)
        }
        return out
    }

    /// One `CSI row;col H` per cell row, then the symbols with colour changes only where needed.
    public func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8] {
        let area = footprint(width: image.width, height: image.height, in: rect, cellPixels: cellPixels)
        guard !area.isEmpty else { return [] }
        var out = Escape.reset
        out.reserveCapacity(area.columns * area.rows * 20)
        for (r, line) in cells(image, columns: area.columns, rows: area.rows).enumerated() {
            out += Escape.moveTo(row: area.row + r, column: area.column)
            var foreground: Int32?, background: Int32?
            for cell in line {
                if background != cell.raw.background {
                    appendSGR(background: true, cell.raw.background, to: &out)
                    background = cell.raw.background
                }
                if cell.character != " ", foreground != cell.raw.foreground {
                    appendSGR(background: false, cell.raw.foreground, to: &out)
                    foreground = cell.raw.foreground
                }
                out += Array(String(cell.character).utf8)
            }
            out += Escape.reset
        }
        return out
    }

    /// The share of each of a cell's 8x8 pixels that `character` inks, row by row, as a terminal
    /// font draws it: exact for space and the block elements (halves, eighths, quadrants); for
    /// box-drawing lines, their area spread over the cell (a thin line seen from a viewing
    /// distance). Nil for other characters. Used to paint cells back to pixels.
    public static func coverage(of character: Character) -> [Float]? {
        guard let scalar = character.unicodeScalars.first else { return nil }
        func cells(_ ink: (Int, Int) -> Bool) -> [Float] {
            (0..<64).map { ink($0 % 8, $0 / 8) ? 1 : 0 }
        }
        let v = scalar.value
        switch v {
        case 0x20: return Array(repeating: 0, count: 64)
        case 0x2580: return cells { _, y in y < 4 }
        case 0x2581...0x2588: return cells { _, y in y >= 8 - Int(v - 0x2580) }
        case 0x2589...0x258F: return cells { x, _ in x < 8 - Int(v - 0x2588) }
        case 0x2590: return cells { x, _ in x >= 4 }
        case 0x2594: return cells { _, y in y < 1 }
        case 0x2595: return cells { x, _ in x >= 7 }
        case 0x2596...0x259F:
            // Quadrants: bits for upper-left, upper-right, lower-left, lower-right.
            let masks: [UInt8] = [0b0010, 0b0001, 0b1000, 0b1011, 0b1001, 0b1110, 0b1101, 0b0100, 0b0110, 0b0111]
            let m = masks[Int(v - 0x2596)]
            return cells { x, y in m & (1 << (3 - ((y < 4 ? 0 : 2) + (x < 4 ? 0 : 1)))) != 0 }
        case 0x2500...0x257F:
            // Lines: light 1 px, heavy and double 2 px, over half a cell per arm.
            let name = scalar.properties.name ?? ""
            let arms = ["UP", "DOWN", "LEFT", "RIGHT"].filter { name.contains($0) }.count
                + (name.contains("VERTICAL") ? 2 : 0) + (name.contains("HORIZONTAL") ? 2 : 0)
                + (name.contains("DIAGONAL") ? 2 : 0)
            let width: Float = name.contains("HEAVY") || name.contains("DOUBLE") ? 2 : 1
            let share = min(1, Float(max(arms, 1)) * 4 * width / 64)
            return Array(repeating: share, count: 64)
        default: return nil
        }
    }

    private var canvasMode: ChafaCanvasMode {
        switch colorDepth {
        case .trueColor: return CHAFA_CANVAS_MODE_TRUECOLOR
        case .xterm256: return CHAFA_CANVAS_MODE_INDEXED_240
        case .basic: return CHAFA_CANVAS_MODE_INDEXED_16
        }
    }

    /// A raw chafa colour as RGB: packed 0xRRGGBB in truecolor, else a palette index.
    private func color(_ raw: Int32) -> TrueColor? {
        guard raw >= 0 else { return nil }
        if colorDepth == .trueColor {
            return TrueColor(red: UInt8(raw >> 16 & 0xFF), green: UInt8(raw >> 8 & 0xFF), blue: UInt8(raw & 0xFF))
        }
        return XtermPalette.color(at: Int(raw))
    }

    private func appendSGR(background: Bool, _ raw: Int32, to out: inout [UInt8]) {
        guard raw >= 0 else {
            out += Array((background ? "\u{1B}[49m" : "\u{1B}[39m").utf8)
            return
        }
        switch colorDepth {
        case .trueColor:
            out += Array((background ? "\u{1B}[48;2" : "\u{1B}[38;2").utf8)
            for v in [raw >> 16 & 0xFF, raw >> 8 & 0xFF, raw & 0xFF] { out.append(UInt8(ascii: ";")); Escape.appendNumber(Int(v), to: &out) }
        case .xterm256:
            out += Array((background ? "\u{1B}[48;5;" : "\u{1B}[38;5;").utf8)
            Escape.appendNumber(Int(raw), to: &out)
        case .basic:
            let i = Int(raw) & 15
            out += Array("\u{1B}[".utf8)
            Escape.appendNumber((i < 8 ? (background ? 40 : 30) : (background ? 100 : 90)) + i % 8, to: &out)
        }
        out.append(UInt8(ascii: "m"))
    }
}
