import Imaging

/// Draws previews as DEC sixel graphics with a palette chosen for each image (median cut) and
/// Floyd-Steinberg dithering. The image is placed with pixel precision: the letterbox offset
/// inside the first cell is left transparent.
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

    /// Cursor to the cell holding the image's top-left pixel, then the sixel image.
    public func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8] {
        guard let fit = ImageFit.fitting(imageWidth: image.width, imageHeight: image.height,
                                         columns: rect.columns, rows: rect.rows, cellPixels: cellPixels,
                                         samplesPerCell: (cellPixels.width, cellPixels.height)) else { return [] }
        let raster = Raster(resampling: image, width: fit.width, height: fit.height)
        var out = Escape.moveTo(row: rect.row + fit.y / cellPixels.height,
                                column: rect.column + fit.x / cellPixels.width)
        out += SixelEncoder(maxColors: maxColors, dithering: dithering)
            .encode(raster, x: fit.x % cellPixels.width, y: fit.y % cellPixels.height)
        return out
    }

}
