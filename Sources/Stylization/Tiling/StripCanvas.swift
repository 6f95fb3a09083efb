import Imaging

/// Gathers the strips of rows a streaming stylization hands out (each with the index of its
/// first row) into one image, for callers that hold the whole result anyway.
final class StripCanvas {
    private let width: Int
    private let height: Int
    private var pixels: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [Float](repeating: 0, count: 3 * width * height)
    }

    /// Copies `strip` (full rows, planar RGB) into place, starting at row `top`.
    func place(_ strip: RGBImage, top: Int) {
        let n = strip.width * strip.height
        for c in 0..<3 {
            let target = c * width * height + top * width
            pixels.replaceSubrange(target..<(target + n), with: strip.pixels[(c * n)..<((c + 1) * n)])
        }
    }

    /// The image gathered so far.
    var image: RGBImage { RGBImage(width: width, height: height, pixels: pixels) }
}
