import Engine
import Terminal

/// The pixel size previews are rendered at for a pane: the pane's shape on screen, with as many
/// pixels as the adapter can show there (its `samplesPerCell`), kept within `range` on the longer side so small panes
/// still get a clean downscale and huge ones do not cost seconds per slider step.
public enum PreviewSizing {
    /// The longer side's bounds.
    public static let defaultRange = 256...1024

    /// The render box for a pane interior of `cells` drawn by `adapter` with `cellPixels` cells.
    public static func box(cells: CellRect, cellPixels: CellPixelSize, adapter: any PreviewAdapter,
                           range: ClosedRange<Int> = defaultRange) -> PreviewSize {
        let screenWidth = max(1, cells.columns * cellPixels.width)
        let screenHeight = max(1, cells.rows * cellPixels.height)
        let perCell = adapter.samplesPerCell(cellPixels)
        let samples = (cells.columns * perCell.x, cells.rows * perCell.y)
        let longerScreen = max(screenWidth, screenHeight)
        let longerSamples = screenWidth >= screenHeight ? samples.0 : samples.1
        let longer = min(max(longerSamples, range.lowerBound), range.upperBound)
        let width = max(1, Int((Double(screenWidth) * Double(longer) / Double(longerScreen)).rounded()))
        let height = max(1, Int((Double(screenHeight) * Double(longer) / Double(longerScreen)).rounded()))
        return PreviewSize(width: min(width, PreviewSize.maximumSide), height: min(height, PreviewSize.maximumSide))
    }
}
