import Runtime

/// Upscales a photo with an upscaling network the way the reference does: reflect padding of
/// `pad` pixels, the network, a crop of the padding and a clamp to [0, 1]; optionally in core
/// tiles of `tile` input pixels, each run with `pad` pixels of context and cross-faded with its
/// neighbours over `blend` pixels on each side of every interior seam.
public struct PhotoUpscaler: Sendable {
    /// Context pixels around the image and around every tile.
    public static let pad = 10
    /// Half-width of the cross-fade at interior tile seams, in input pixels.
    public static let blend = 5
    /// Smallest accepted tile.
    public static let minimumTile = 32

    public let network: UpscalerNetwork

    public init(network: UpscalerNetwork) {
        self.network = network
    }

    /// Core tiles (y0, y1, x0, x1) of an h x w image, row by row; tile <= 0 or an image that
    /// fits one tile gives the whole image.
    public static func tiles(height h: Int, width w: Int, tile: Int) -> [(y0: Int, y1: Int, x0: Int, x1: Int)] {
        guard tile > 0 else { return [(0, h, 0, w)] }
        var result: [(Int, Int, Int, Int)] = []
        for y in stride(from: 0, to: h, by: tile) {
            for x in stride(from: 0, to: w, by: tile) { result.append((y, min(y + tile, h), x, min(x + tile, w))) }
        }
        return result
    }

    /// Blend weights along one axis for the core [lo, hi) of an axis of n input pixels: the first
    /// output index and the weight of each output pixel from there.
    static func ramp(_ lo: Int, _ hi: Int, _ n: Int, scale: Int) -> (start: Int, weights: [Float]) {
        let start = lo > 0 ? lo - blend : lo
        let stop = hi < n ? min(hi + blend, n) : hi
        let weights = ((scale * start)..<(scale * stop)).map { X -> Float in
            let u = (Double(X) + 0.5) / Double(scale)
            var w = 1.0
            if lo > 0 { w *= min(max((u - Double(lo - blend)) / Double(2 * blend), 0), 1) }
            if hi < n { w *= min(max((Double(hi + blend) - u) / Double(2 * blend), 0), 1) }
            return Float(w)
        }
        return (scale * start, weights)
    }

    /// `image` (3 x H x W, RGB in [0, 1]; H, W > pad) -> 3 x sH x sW in [0, 1]. `progress`
    /// receives (tiles done, tiles in all); `cancelled` is polled between layers.
    public func upscale(_ image: Tensor, tile: Int = 0, pool: WorkerPool = .shared,
                        progress: (Int, Int) -> Void = { _, _ in }, cancelled: () -> Bool = { false }) throws -> Tensor {
        let (h, w, p, s) = (image.height, image.width, Self.pad, network.scale)
        guard image.channels == 3, h > p, w > p else {
            throw UpscalerModelError.imageTooSmall(width: w, height: h, minimum: p + 1)
        }
        let tileSize = tile > 0 ? max(tile, Self.minimumTile) : 0
        let padded = image.reflectPaddedAllSides(p)
        var out = Tensor(channels: 3, height: s * h, width: s * w)
        let grid = Self.tiles(height: h, width: w, tile: tileSize)
        progress(0, grid.count)
        for (done, t) in grid.enumerated() {
            let piece = padded.window(y: t.y0, x: t.x0, height: t.y1 - t.y0 + 2 * p, width: t.x1 - t.x0 + 2 * p)
            let y = try network.run(piece, pool: pool, cancelled: cancelled)
            let (oy, wy) = Self.ramp(t.y0, t.y1, h, scale: s)
            let (ox, wx) = Self.ramp(t.x0, t.x1, w, scale: s)
            let (ry, rx) = (oy - s * (t.y0 - p), ox - s * (t.x0 - p))
            out.data.withUnsafeMutableBufferPointer { o in
                y.data.withUnsafeBufferPointer { src in
                    for c in 0..<3 {
                        for i in 0..<wy.count {
                            let dst = (c * s * h + oy + i) * s * w + ox
                            let from = (c * y.height + ry + i) * y.width + rx
                            for j in 0..<wx.count { o[dst + j] += wy[i] * wx[j] * src[from + j] }
                        }
                    }
                }
            }
            progress(done + 1, grid.count)
        }
        out.data.withUnsafeMutableBufferPointer { o in
            for i in o.indices { o[i] = min(max(o[i], 0), 1) }
        }
        return out
    }
}

extension Tensor {
    /// numpy 'reflect' padding by `pad` on every side (needs height, width > pad).
    func reflectPaddedAllSides(_ pad: Int) -> Tensor {
        let (h, w) = (height, width)
        func reflect(_ i: Int, _ n: Int) -> Int { i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i) }
        var out = Tensor(channels: channels, height: h + 2 * pad, width: w + 2 * pad)
        let ow = w + 2 * pad
        for c in 0..<channels {
            for y in 0..<(h + 2 * pad) {
                let sy = reflect(y - pad, h)
                for x in 0..<ow { out.data[(c * (h + 2 * pad) + y) * ow + x] = data[(c * h + sy) * w + reflect(x - pad, w)] }
            }
        }
        return out
    }

    /// The window of `height` x `width` pixels at (y, x), every channel.
    func window(y: Int, x: Int, height wh: Int, width ww: Int) -> Tensor {
        var out = [Float]()
        out.reserveCapacity(channels * wh * ww)
        for c in 0..<channels {
            for r in 0..<wh {
                let start = (c * height + y + r) * width + x
                out.append(contentsOf: data[start..<(start + ww)])
            }
        }
        return Tensor(channels: channels, height: wh, width: ww, data: out)
    }
}
