import Imaging
import Runtime

/// The photo pre-step of a render: enlarge the photo 2x or 4x with an upscaler before it is
/// stylized (never after: the upscalers turn painted texture into mosaic). Recorded in recipes.
public struct PhotoUpscale: Codable, Equatable, Sendable {
    /// 2 or 4. 2 runs the x4 network and then averages each 2x2 block (area reduction).
    public var factor: Int
    /// `x4plus` or `fast` (see `UpscalerModel`).
    public var upscaler: String
    /// Core tile of the upscaler in input pixels, 0 for the photo in one piece; nil until a
    /// render chooses it from its memory budget (then recorded, so a replay tiles the same way).
    public var tile: Int?

    public init(factor: Int, upscaler: String, tile: Int? = nil) {
        self.factor = factor
        self.upscaler = upscaler
        self.tile = tile
    }

    /// The accepted factors.
    public static let factors = [2, 4]

    /// Floats one padded input pixel of a tile keeps alive at the peak (x4plus: ~600 channels
    /// at input size, three 64-channel maps at 16x the pixels; animevideov3 less). Measured
    /// from the graphs, rounded up.
    static let floatsPerTilePixel = 4096

    /// The tile for an h x w photo within `memory` bytes: the whole photo (0) when it fits a
    /// quarter of the budget (the rest is for the enlarged photo and the stylizer), else the
    /// largest tile that does, at least `PhotoUpscaler.minimumTile`.
    public static func tile(width w: Int, height h: Int, memory: Int) -> Int {
        let pad = 2 * PhotoUpscaler.pad, perPixel = floatsPerTilePixel * 4
        let allowed = max(memory / 4, 0) / perPixel
        if (h + pad) * (w + pad) <= allowed { return 0 }
        var side = Int(Double(allowed).squareRoot()) - pad
        side = max(side, PhotoUpscaler.minimumTile)
        return side
    }

    /// `image` enlarged by `factor` with `network`, in tiles of `tile`, values rounded to 8 bits
    /// as the reference's result (then 2x2 averaged for factor 2). Progress goes to `control`
    /// over [progressStart, progressEnd]; cancelling it stops between layers.
    public static func apply(_ image: RGBImage, factor: Int, network: UpscalerNetwork, tile: Int,
                             control: RenderControl?, progressStart: Double = 0, progressEnd: Double = 1,
                             pool: WorkerPool = .shared) throws -> RGBImage {
        precondition(factors.contains(factor), "upscale factor must be 2 or 4")
        let upscaler = PhotoUpscaler(network: network)
        let input = Tensor(channels: 3, height: image.height, width: image.width, data: image.pixels)
        let out: Tensor
        do {
            out = try upscaler.upscale(input, tile: tile, pool: pool, progress: { done, all in
                control?.report(progressStart + (progressEnd - progressStart) * Double(done) / Double(max(all, 1)))
            }, cancelled: { control?.isCancelled ?? false })
        } catch is CancellationError {
            throw StylizationError.cancelled
        }
        var pixels = out.data
        for i in pixels.indices { pixels[i] = (255 * pixels[i] + 0.5).rounded(.down) / 255 }
        let (bw, bh) = (out.width, out.height)
        if factor == 4 { return RGBImage(width: bw, height: bh, pixels: pixels) }
        let (w, h) = (bw / 2, bh / 2)
        var reduced = [Float](repeating: 0, count: 3 * w * h)
        for c in 0..<3 {
            for y in 0..<h {
                let r0 = (c * bh + 2 * y) * bw, r1 = r0 + bw, o = (c * h + y) * w
                for x in 0..<w {
                    reduced[o + x] = (pixels[r0 + 2 * x] + pixels[r0 + 2 * x + 1] + pixels[r1 + 2 * x] + pixels[r1 + 2 * x + 1]) / 4
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: reduced)
    }
}
