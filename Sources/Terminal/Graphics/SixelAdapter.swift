import Imaging

/// Draws previews as DEC sixel graphics with a palette chosen for each image (median cut) and
/// Floyd-Steinberg dithering. The image starts at the corner of the cell holding its letterboxed
/// top-left pixel (at most one cell's pixels left of and above the exact centre), so every pixel of
/// the sixel is painted: xterm copies an opaque picture to the window in one request, but draws one
/// with transparent pixels line by line, a request per run of one colour (measured: about twice the
/// terminal's CPU time for a pane-sized dithered photo).
public struct SixelAdapter: PreviewAdapter {
    /// `.sixel`.
    public var kind: PreviewAdapterKind { .sixel }
    /// Encoding costs about as much for the quick picture as for the full one: show the full one only.
    public var policy: PreviewPolicy { PreviewPolicy(showsQuickPasses: false, usesPalette: false) }
    /// Screen pixels.
    public func samplesPerCell(_ cellPixels: CellPixelSize) -> (x: Int, y: Int) { (cellPixels.width, cellPixels.height) }
    /// At most this many colour registers (the terminal's XTSMGRAPHICS answer, else 256).
    public var maxColors: Int
    /// How colours outside the palette are approximated.
    public var dithering: Dithering

    /// A sixel adapter using at most `maxColors` (2-256) registers.
    public init(maxColors: Int = 256, dithering: Dithering = .floydSteinberg) {
        self.maxColors = min(256, max(2, maxColors))
        self.dithering = dithering
    }

    /// Cursor to the cell holding the image's top-left pixel, then the sixel image from that cell's corner.
    public func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8] {
        guard let fit = fit(image.width, image.height, in: rect, cellPixels) else { return [] }
        let raster = Raster(resampling: image, width: fit.width, height: fit.height)
        var out = Escape.moveTo(row: rect.row + fit.y / cellPixels.height,
                                column: rect.column + fit.x / cellPixels.width)
        out += SixelEncoder(maxColors: maxColors, dithering: dithering).encode(raster)
        return out
    }

    /// The cells from the corner cell `draw` starts at, as many as the picture's pixels reach.
    public func footprint(width: Int, height: Int, in rect: CellRect, cellPixels: CellPixelSize) -> CellRect {
        guard let fit = fit(width, height, in: rect, cellPixels) else {
            return CellRect(row: rect.row, column: rect.column, columns: 0, rows: 0)
        }
        let top = fit.y / cellPixels.height, left = fit.x / cellPixels.width
        return CellRect(row: rect.row + top, column: rect.column + left,
                        columns: (fit.width + cellPixels.width - 1) / cellPixels.width,
                        rows: min(rect.rows - top, (fit.height + cellPixels.height - 1) / cellPixels.height))
    }

    private func fit(_ width: Int, _ height: Int, in rect: CellRect, _ cellPixels: CellPixelSize) -> ImageFit? {
        ImageFit.fitting(imageWidth: width, imageHeight: height, columns: rect.columns, rows: rect.rows,
                         cellPixels: cellPixels, samplesPerCell: samplesPerCell(cellPixels))
    }

}
