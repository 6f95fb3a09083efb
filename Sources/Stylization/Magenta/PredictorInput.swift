import Imaging
import Runtime

/// The style predictor's input, as the specification's `predictor_input` (core.py): the image's
/// 8-bit pixels (round(255 x)), the centred square crop (side min(w, h), left (w - side) / 2,
/// top (h - side) / 2), Pillow's LANCZOS to 256 x 256, then / 255.
public enum PredictorInput {
    /// The predictor's input side.
    public static let side = 256

    /// A 3 x 256 x 256 tensor in [0, 1] for `image`.
    public static func tensor(for image: RGBImage) -> Tensor {
        let (w, h) = (image.width, image.height)
        let square = min(w, h)
        let left = (w - square) / 2, top = (h - square) / 2
        var bytes = [UInt8](repeating: 0, count: 3 * square * square)
        let n = w * h
        for c in 0..<3 {
            for y in 0..<square {
                for x in 0..<square {
                    let v = image.pixels[c * n + (top + y) * w + left + x] * 255
                    bytes[(c * square + y) * square + x] = UInt8(min(max(v.rounded(.toNearestOrEven), 0), 255))
                }
            }
        }
        let resized = PillowLanczos.resize(bytes, width: square, height: square, newWidth: side, newHeight: side)
        return Tensor(channels: 3, height: side, width: side, data: resized.map { Float($0) / 255 })
    }
}
