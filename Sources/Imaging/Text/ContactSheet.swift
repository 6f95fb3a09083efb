import Foundation

/// A contact sheet: pictures in a grid of equal boxes on a dark canvas, each with a one-line
/// label below it. Pictures are centred in their boxes (never scaled here: render them at the
/// box's size); labels too wide for the box are cut.
public struct ContactSheet: Sendable {
    /// Where a cell's picture landed on the sheet, in pixels.
    public struct Frame: Codable, Equatable, Sendable {
        public var x: Int
        public var y: Int
        public var width: Int
        public var height: Int
    }

    /// The side of each picture's box in pixels.
    public let box: Int
    /// Boxes per row.
    public let columns: Int
    /// The label font.
    public let font: BitmapFont

    /// Space around and between boxes, in pixels.
    public static let margin = 12
    static let background: (Float, Float, Float) = (0.11, 0.11, 0.12)
    static let ink: (Float, Float, Float) = (0.93, 0.93, 0.90)

    /// A sheet of `box`-pixel boxes, `columns` to a row.
    public init(box: Int, columns: Int, font: BitmapFont) {
        self.box = box
        self.columns = max(columns, 1)
        self.font = font
    }

    /// The number of columns that makes `count` boxes roughly square.
    public static func columns(for count: Int) -> Int {
        max(Int(Double(count).squareRoot().rounded(.up)), 1)
    }

    /// Height of a box plus its label band.
    private var rowHeight: Int { box + font.height + 6 }

    /// The canvas size for `count` cells.
    public func size(cells count: Int) -> (width: Int, height: Int) {
        let rows = (count + columns - 1) / columns
        let cols = min(count, columns)
        return (Self.margin + cols * (box + Self.margin), Self.margin + rows * (rowHeight + Self.margin))
    }

    /// The frame of a picture of `width x height` in cell `n`.
    public func frame(cell n: Int, width: Int, height: Int) -> Frame {
        let left = Self.margin + (n % columns) * (box + Self.margin)
        let top = Self.margin + (n / columns) * (rowHeight + Self.margin)
        return Frame(x: left + (box - width) / 2, y: top + (box - height) / 2, width: width, height: height)
    }

    /// Draws the sheet: `pictures[n]` (at most `box` on each side) labelled `labels[n]`.
    public func compose(_ pictures: [RGBImage], labels: [String]) -> (image: RGBImage, frames: [Frame]) {
        precondition(pictures.count == labels.count && !pictures.isEmpty)
        let (width, height) = size(cells: pictures.count)
        var sheet = RGBImage(width: width, height: height, red: Self.background.0, green: Self.background.1, blue: Self.background.2)
        var frames: [Frame] = []
        for (n, picture) in pictures.enumerated() {
            let frame = self.frame(cell: n, width: min(picture.width, box), height: min(picture.height, box))
            for c in 0..<3 {
                for y in 0..<frame.height {
                    let from = c * picture.planeSize + y * picture.width
                    let to = c * sheet.planeSize + (frame.y + y) * width + frame.x
                    sheet.pixels.replaceSubrange(to..<(to + frame.width), with: picture.pixels[from..<(from + frame.width)])
                }
            }
            let label = font.fitting(labels[n], in: box)
            let left = Self.margin + (n % columns) * (box + Self.margin)
            let top = Self.margin + (n / columns) * (rowHeight + Self.margin)
            sheet.draw(label, font: font, x: left + (box - font.width(of: label)) / 2, y: top + box + 4, rgb: Self.ink)
            frames.append(frame)
        }
        return (sheet, frames)
    }
}
