import Imaging

/// Draws previews with Unicode upper half blocks (U+2580 "▀"): each cell shows two pixels, the
/// upper as the foreground colour, the lower as the background. Cells whose two pixels match are
/// written as a space in the background colour. Colours are 24-bit (`SGR 38;2;r;g;b` /
/// `48;2;r;g;b`) or the nearest xterm 256-colour cube/grey entry (`SGR 38;5;n` / `48;5;n`).
public struct HalfBlockAdapter: PreviewAdapter {
    /// `.halfBlock`.
    public var kind: PreviewAdapterKind { .halfBlock }
    /// Quick passes are cheap to show; 256 colours use the palette.
    public var policy: PreviewPolicy { PreviewPolicy(showsQuickPasses: true, usesPalette: colorDepth < .trueColor) }
    /// "half-block truecolor" or "half-block 256 colours".
    public var name: String { colorDepth >= .trueColor ? "half-block truecolor" : "half-block 256 colours" }
    /// One column by two rows per cell.
    public func samplesPerCell(_ cellPixels: CellPixelSize) -> (x: Int, y: Int) { (1, 2) }
    /// `.trueColor` or `.xterm256` (`.basic` is treated as `.xterm256`).
    public var colorDepth: ColorDepth

    /// A half-block adapter writing colours of `colorDepth`.
    public init(colorDepth: ColorDepth = .trueColor) {
        self.colorDepth = colorDepth
    }

    /// Where the image goes: 1x2 samples per cell, whole cells only (even height and offset), so no
    /// cell is half image, half letterbox.
    public static func fit(imageWidth: Int, imageHeight: Int, in rect: CellRect,
                           cellPixels: CellPixelSize) -> ImageFit? {
        guard var fit = ImageFit.fitting(imageWidth: imageWidth, imageHeight: imageHeight,
                                         columns: rect.columns, rows: rect.rows, cellPixels: cellPixels,
                                         samplesPerCell: (1, 2)) else { return nil }
        fit.height = max(2, fit.height & ~1)
        fit.y = (fit.canvasHeight - fit.height) / 2 & ~1
        return fit
    }

    /// The whole cells `fit` covers.
    public func footprint(width: Int, height: Int, in rect: CellRect, cellPixels: CellPixelSize) -> CellRect {
        guard let fit = Self.fit(imageWidth: width, imageHeight: height, in: rect, cellPixels: cellPixels) else {
            return CellRect(row: rect.row, column: rect.column, columns: 0, rows: 0)
        }
        return CellRect(row: rect.row + fit.y / 2, column: rect.column + fit.x, columns: fit.width, rows: fit.height / 2)
    }

    /// One `CSI row;col H` per cell row, then the cells with colour changes only where needed.
    public func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8] {
        guard let fit = Self.fit(imageWidth: image.width, imageHeight: image.height, in: rect,
                                 cellPixels: cellPixels) else { return [] }
        let raster = Raster(resampling: image, width: fit.width, height: fit.height)
        let upperHalf: [UInt8] = Array("\u{2580}".utf8)
        var out = Escape.reset
        out.reserveCapacity(fit.width * fit.height * 12)
        for cellRow in 0..<(fit.height / 2) {
            out += Escape.moveTo(row: rect.row + fit.y / 2 + cellRow, column: rect.column + fit.x)
            var foreground: TrueColor?, background: TrueColor?
            for x in 0..<fit.width {
                let top = quantised(raster.pixel(x, 2 * cellRow))
                let bottom = quantised(raster.pixel(x, 2 * cellRow + 1))
                if background != bottom { appendSGR(background: true, bottom, to: &out); background = bottom }
                if top == bottom {
                    out.append(0x20)
                } else {
                    if foreground != top { appendSGR(background: false, top, to: &out); foreground = top }
                    out += upperHalf
                }
            }
            out += Escape.reset
        }
        return out
    }


    /// The colour as it will be shown: itself in truecolor, its palette entry in 256 colours.
    private func quantised(_ p: (UInt8, UInt8, UInt8)) -> TrueColor {
        let c = TrueColor(red: p.0, green: p.1, blue: p.2)
        return colorDepth >= .trueColor ? c : XtermPalette.color(at: XtermPalette.nearest256(c))
    }

    private func appendSGR(background: Bool, _ c: TrueColor, to out: inout [UInt8]) {
        out += Array(background ? "\u{1B}[48;".utf8 : "\u{1B}[38;".utf8)
        if colorDepth >= .trueColor {
            out.append(UInt8(ascii: "2"))
            for v in [c.red, c.green, c.blue] { out.append(UInt8(ascii: ";")); Escape.appendNumber(Int(v), to: &out) }
        } else {
            out += Array("5;".utf8)
            Escape.appendNumber(XtermPalette.nearest256(c), to: &out)
        }
        out.append(UInt8(ascii: "m"))
    }
}
