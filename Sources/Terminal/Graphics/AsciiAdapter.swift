import Imaging

/// Draws previews as characters from a brightness ramp, one sample per cell, in the terminal's
/// default colours: the last resort for terminals with neither graphics nor 256 colours.
public struct AsciiAdapter: PreviewAdapter {
    /// Dark to bright as seen on a dark background.
    public static let ramp: [UInt8] = Array(" .:-=+*#%@".utf8)
    /// `.ascii`.
    public var kind: PreviewAdapterKind { .ascii }
    /// Quick passes are cheap to show; the default colours leave the palette alone.
    public var policy: PreviewPolicy { PreviewPolicy(showsQuickPasses: true, usesPalette: false) }
    /// One sample per cell.
    public func samplesPerCell(_ cellPixels: CellPixelSize) -> (x: Int, y: Int) { (1, 1) }
    /// True when the terminal's background is dark (bright pixels get dense characters);
    /// false reverses the ramp for light backgrounds.
    public var darkBackground: Bool

    /// An ascii adapter for a dark (default) or light terminal background.
    public init(darkBackground: Bool = true) {
        self.darkBackground = darkBackground
    }

    /// One `CSI row;col H` per row, then one ramp character per cell.
    public func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8] {
        guard let fit = ImageFit.fitting(imageWidth: image.width, imageHeight: image.height,
                                         columns: rect.columns, rows: rect.rows, cellPixels: cellPixels,
                                         samplesPerCell: (1, 1)) else { return [] }
        let raster = Raster(resampling: image, width: fit.width, height: fit.height)
        var out = Escape.reset
        for y in 0..<fit.height {
            out += Escape.moveTo(row: rect.row + fit.y + y, column: rect.column + fit.x)
            for x in 0..<fit.width {
                let (r, g, b) = raster.pixel(x, y)
                out.append(Self.character(TrueColor(red: r, green: g, blue: b).brightness, darkBackground: darkBackground))
            }
        }
        return out
    }


    /// The ramp character for `brightness` in [0, 1].
    public static func character(_ brightness: Double, darkBackground: Bool = true) -> UInt8 {
        let level = min(max(darkBackground ? brightness : 1 - brightness, 0), 1)
        return ramp[min(ramp.count - 1, Int(level * Double(ramp.count)))]
    }
}
