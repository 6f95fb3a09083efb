/// Dense motion between two small grey frames, by coarse-to-fine block matching: for every
/// pixel of `from`, the displacement (dx, dy) to where its 5x5 neighbourhood is best found in
/// `to` (sum of absolute differences), searched +-3 pixels on the coarsest level of a
/// half-size pyramid and +-1 around the doubled estimate on each finer level, refined to a
/// fraction of a pixel by a parabola through the costs on the finest level. Standing still is
/// preferred there: the zero displacement wins unless the match found costs `stillBias` less (sensor noise
/// and flat regions otherwise give still pixels small random motion, and warping a stylized
/// frame by it makes it shimmer), and a pixel found still gets no sub-pixel offset.
public struct MotionField: Sendable {
    /// How much less (sum of absolute grey differences over the 5x5 block, grey 0-1) a moving
    /// match must cost to beat standing still: 0.01 per pixel.
    public static let stillBias: Float = 0.25

    /// Grid size (the small frames').
    public let width: Int
    /// Grid size.
    public let height: Int
    /// Horizontal displacement per pixel, row by row.
    public var dx: [Float]
    /// Vertical displacement per pixel.
    public var dy: [Float]

    /// The motion from `from` to `to` (same size).
    public init(from: GrayImage, to: GrayImage) {
        self.init(from: from, to: to, windowed: true)
    }

    /// The motion from `from` to `to`; `windowed: false` works out every candidate's cost on its
    /// own (the same bits, slower: what the tests compare the windowed search with).
    init(from: GrayImage, to: GrayImage, windowed: Bool) {
        precondition(from.width == to.width && from.height == to.height, "motion needs frames of one size")
        var pyramidA = [from], pyramidB = [to]
        while let last = pyramidA.last, min(last.width, last.height) >= 32 {
            pyramidA.append(Self.half(last))
            pyramidB.append(Self.half(pyramidB.last!))
        }
        var field = MotionField(width: pyramidA.last!.width, height: pyramidA.last!.height)
        for level in stride(from: pyramidA.count - 1, through: 0, by: -1) {
            let a = pyramidA[level], b = pyramidB[level]
            if level < pyramidA.count - 1 { field = field.doubled(width: a.width, height: a.height) }
            field.match(a, b, radius: level == pyramidA.count - 1 ? 3 : 1, subpixel: level == 0, windowed: windowed)
        }
        self = field
    }

    private init(width: Int, height: Int) {
        self.width = width
        self.height = height
        dx = [Float](repeating: 0, count: width * height)
        dy = dx
    }

    /// The displacement at a fractional grid position (bilinear, clamped at the edges).
    @inlinable
    public func sample(x: Float, y: Float) -> (Float, Float) {
        (Self.bilinear(dx, width, height, x, y), Self.bilinear(dy, width, height, x, y))
    }

    /// Bilinear sample of a row-major plane at (x, y), clamped at the edges.
    @inlinable
    public static func bilinear(_ plane: [Float], _ width: Int, _ height: Int, _ x: Float, _ y: Float) -> Float {
        let cx = min(max(x, 0), Float(width - 1)), cy = min(max(y, 0), Float(height - 1))
        let x0 = Int(cx), y0 = Int(cy)
        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let fx = cx - Float(x0), fy = cy - Float(y0)
        let top = plane[y0 * width + x0] * (1 - fx) + plane[y0 * width + x1] * fx
        let bottom = plane[y1 * width + x0] * (1 - fx) + plane[y1 * width + x1] * fx
        return top * (1 - fy) + bottom * fy
    }

    /// A grey image at half the size (2x2 means).
    static func half(_ image: GrayImage) -> GrayImage {
        let w = max(image.width / 2, 1), h = max(image.height / 2, 1)
        var out = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let x0 = min(2 * x, image.width - 1), x1 = min(2 * x + 1, image.width - 1)
                let y0 = min(2 * y, image.height - 1), y1 = min(2 * y + 1, image.height - 1)
                out[y * w + x] = (image[x0, y0] + image[x1, y0] + image[x0, y1] + image[x1, y1]) / 4
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }

    /// This field on a grid of `width` x `height` (about twice as large), displacements doubled.
    private func doubled(width: Int, height: Int) -> MotionField {
        var out = MotionField(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let sx = min(x / 2, self.width - 1), sy = min(y / 2, self.height - 1)
                out.dx[y * width + x] = 2 * dx[sy * self.width + sx]
                out.dy[y * width + x] = 2 * dy[sy * self.width + sx]
            }
        }
        return out
    }

    /// Searches +-`radius` whole pixels around each current estimate (rounded); `windowed`: on
    /// edge-replicated copies of the frames (`margin` pixels a side, so a block reaching past an
    /// edge reads what clamping would, with no clamping), the candidates around the estimate at
    /// once (`CostWindow`) wherever their blocks lie within the margins.
    private mutating func match(_ a: GrayImage, _ b: GrayImage, radius: Int, subpixel: Bool, windowed: Bool) {
        let w = width, h = height
        let m = Self.margin, pw = w + 2 * m
        // A window's last vector load reads up to 5 floats past its block: 8 spare floats at the end.
        let paddedA = windowed ? Self.replicated(a, margin: m) : [], paddedB = windowed ? Self.replicated(b, margin: m) : []
        var window = CostWindow(radius: radius)
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
            paddedA.withUnsafeBufferPointer { qa in
            paddedB.withUnsafeBufferPointer { qb in
                @inline(__always) func within(_ x: Int, _ y: Int) -> Bool { x >= 2 - m && y >= 2 - m && x + 2 < w + m && y + 2 < h + m }
                @inline(__always) func cost(_ x: Int, _ y: Int, _ ox: Int, _ oy: Int) -> Float {
                    var sum: Float = 0
                    if windowed, within(x + ox, y + oy) {
                        // On the replicated copies: the clamped reads without clamping (the same sums in the same order).
                        var ia = (y + m - 2) * pw + x + m - 2, ib = (y + oy + m - 2) * pw + x + ox + m - 2
                        for _ in 0..<5 {
                            for i in 0..<5 { sum += abs(qa[ia + i] - qb[ib + i]) }
                            ia += pw
                            ib += pw
                        }
                        return sum
                    }
                    if x >= 2, y >= 2, x + 2 < w, y + 2 < h, x + ox >= 2, y + oy >= 2, x + ox + 2 < w, y + oy + 2 < h {
                        // Both blocks inside: no clamping (the same sums in the same order).
                        var ia = (y - 2) * w + x - 2, ib = (y + oy - 2) * w + x + ox - 2
                        for _ in 0..<5 {
                            for i in 0..<5 { sum += abs(pa[ia + i] - pb[ib + i]) }
                            ia += w
                            ib += w
                        }
                        return sum
                    }
                    for j in -2...2 {
                        let ya = min(max(y + j, 0), h - 1), yb = min(max(y + j + oy, 0), h - 1)
                        for i in -2...2 {
                            let xa = min(max(x + i, 0), w - 1), xb = min(max(x + i + ox, 0), w - 1)
                            sum += abs(pa[ya * w + xa] - pb[yb * w + xb])
                        }
                    }
                    return sum
                }
                for y in 0..<h {
                    for x in 0..<w {
                        let index = y * w + x
                        let cx = Int(dx[index].rounded()), cy = Int(dy[index].rounded())
                        // Every candidate block within the margins: the window's costs at once.
                        let inside = windowed && within(x + cx - radius, y + cy - radius) && within(x + cx + radius, y + cy + radius)
                        if inside { window.fill(qa.baseAddress!, qb.baseAddress!, width: pw, x: x + m, y: y + m, cx: cx, cy: cy) }
                        @inline(__always) func costAt(_ ox: Int, _ oy: Int) -> Float {
                            if inside, abs(ox - cx) <= radius, abs(oy - cy) <= radius { return window.cost(ox - cx, oy - cy) }
                            return cost(x, y, ox, oy)
                        }
                        var best = (costAt(cx, cy) - 1e-4, cx, cy)  // ties keep the estimate
                        for oy in (cy - radius)...(cy + radius) {
                            for ox in (cx - radius)...(cx + radius) where ox != cx || oy != cy {
                                let c = costAt(ox, oy)
                                if c < best.0 { best = (c, ox, oy) }
                            }
                        }
                        // The left and upper neighbours' matches (found this pass) as candidates too.
                        for k in 0..<2 {
                            let neighbour = k == 0 ? (x > 0 ? index - 1 : -1) : (y > 0 ? index - w : -1)
                            guard neighbour >= 0 else { continue }
                            let ox = Int(dx[neighbour].rounded()), oy = Int(dy[neighbour].rounded())
                            guard abs(ox - cx) > radius || abs(oy - cy) > radius else { continue }
                            let c = cost(x, y, ox, oy)
                            if c < best.0 { best = (c, ox, oy) }
                        }
                        if subpixel, best.1 != 0 || best.2 != 0, costAt(0, 0) - Self.stillBias <= best.0 {
                            dx[index] = 0
                            dy[index] = 0
                            continue
                        }
                        var fx = Float(best.1), fy = Float(best.2)
                        if subpixel, best.1 != 0 || best.2 != 0 {
                            fx += Self.vertex(costAt(best.1 - 1, best.2), best.0, costAt(best.1 + 1, best.2))
                            fy += Self.vertex(costAt(best.1, best.2 - 1), best.0, costAt(best.1, best.2 + 1))
                        }
                        dx[index] = fx
                        dy[index] = fy
                    }
                }
            }
            }
            }
        }
    }

    /// Pixels of replicated edge around the frames the windowed search reads.
    static let margin = 16

    /// `image` with its edge pixels repeated `margin` pixels out on every side (what clamped
    /// reads see), row by row `width + 2 margin` wide, and 8 spare zeros at the end.
    static func replicated(_ image: GrayImage, margin m: Int) -> [Float] {
        let w = image.width, h = image.height, pw = w + 2 * m
        var out = [Float](repeating: 0, count: pw * (h + 2 * m) + 8)
        for y in 0..<(h + 2 * m) {
            let source = min(max(y - m, 0), h - 1) * w
            for x in 0..<pw { out[y * pw + x] = image.pixels[source + min(max(x - m, 0), w - 1)] }
        }
        return out
    }

    /// The offset (-0.5...0.5) of the minimum of the parabola through three costs.
    private static func vertex(_ left: Float, _ middle: Float, _ right: Float) -> Float {
        let curvature = left - 2 * middle + right
        guard curvature > 1e-6 else { return 0 }
        return min(max(0.5 * (left - right) / curvature, -0.5), 0.5)
    }
}
