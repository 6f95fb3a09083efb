/// Where an image goes inside a rectangle of cells: the image keeps its aspect ratio, is made
/// as large as the rectangle allows (up or down) and is centred, leaving letterbox bars.
///
/// Sizes are counted in *samples* of the adapter's grid: a sixel or kitty image has one sample
/// per screen pixel (`cellPixels.width` x `cellPixels.height` per cell), half-block has 1x2 samples
/// per cell and ascii 1x1. The aspect ratio is kept in screen pixels, so the non-square samples of
/// half-block and ascii still give an undistorted picture.
public struct ImageFit: Equatable, Sendable, CustomStringConvertible {
    /// Width of the resized image, in samples.
    public var width: Int
    /// Height of the resized image, in samples.
    public var height: Int
    /// Offset of the image from the rectangle's left edge, in samples.
    public var x: Int
    /// Offset of the image from the rectangle's top edge, in samples.
    public var y: Int
    /// Width of the whole rectangle, in samples.
    public var canvasWidth: Int
    /// Height of the whole rectangle, in samples.
    public var canvasHeight: Int

    /// A placement given directly (mostly for tests).
    public init(width: Int, height: Int, x: Int, y: Int, canvasWidth: Int, canvasHeight: Int) {
        self.width = width
        self.height = height
        self.x = x
        self.y = y
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
    }

    /// Fits an `imageWidth` x `imageHeight` pixel image into `columns` x `rows` cells whose screen
    /// size is `cellPixels`, on a grid of `samplesPerCell` samples per cell.
    /// Returns nil when the image or the rectangle is empty.
    public static func fitting(imageWidth: Int, imageHeight: Int, columns: Int, rows: Int,
                               cellPixels: CellPixelSize,
                               samplesPerCell: (x: Int, y: Int)) -> ImageFit? {
        guard imageWidth > 0, imageHeight > 0, columns > 0, rows > 0,
              samplesPerCell.x > 0, samplesPerCell.y > 0 else { return nil }
        let canvasWidth = columns * samplesPerCell.x
        let canvasHeight = rows * samplesPerCell.y
        // Screen size of the rectangle and of one sample, in pixels.
        let screenWidth = Double(columns * cellPixels.width)
        let screenHeight = Double(rows * cellPixels.height)
        let sampleWidth = Double(cellPixels.width) / Double(samplesPerCell.x)
        let sampleHeight = Double(cellPixels.height) / Double(samplesPerCell.y)
        let scale = min(screenWidth / Double(imageWidth), screenHeight / Double(imageHeight))
        let width = min(canvasWidth, max(1, Int((Double(imageWidth) * scale / sampleWidth).rounded())))
        let height = min(canvasHeight, max(1, Int((Double(imageHeight) * scale / sampleHeight).rounded())))
        return ImageFit(width: width, height: height,
                        x: (canvasWidth - width) / 2, y: (canvasHeight - height) / 2,
                        canvasWidth: canvasWidth, canvasHeight: canvasHeight)
    }

    /// "WxH at (x, y) in CWxCH".
    public var description: String {
        "\(width)x\(height) at (\(x), \(y)) in \(canvasWidth)x\(canvasHeight)"
    }
}
