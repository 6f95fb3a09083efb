import Foundation
import Imaging

/// A mutable painting surface: three float planes like `RGBImage`, plus the few drawing
/// operations the paintings share (per-pixel shading, soft discs, blending, box blur).
struct Canvas {
    /// Width in pixels.
    let width: Int
    /// Height in pixels.
    let height: Int
    /// Red, green and blue planes, each `width * height` values, row by row.
    var pixels: [Float]

    /// A canvas filled with one colour.
    init(width: Int, height: Int, fill: PaintColor) {
        self.width = width
        self.height = height
        let n = width * height
        pixels = [Float](repeating: fill.r, count: 3 * n)
        for i in n..<(2 * n) { pixels[i] = fill.g }
        for i in (2 * n)..<(3 * n) { pixels[i] = fill.b }
    }

    /// A canvas whose every pixel is `shader(x, y)`.
    init(width: Int, height: Int, shader: (Int, Int) -> PaintColor) {
        self.width = width
        self.height = height
        let n = width * height
        var planes = [Float](repeating: 0, count: 3 * n)
        planes.withUnsafeMutableBufferPointer { p in
            for y in 0..<height {
                for x in 0..<width {
                    let c = shader(x, y)
                    let i = y * width + x
                    p[i] = c.r
                    p[n + i] = c.g
                    p[2 * n + i] = c.b
                }
            }
        }
        pixels = planes
    }

    /// Number of pixels in one plane.
    var planeSize: Int { width * height }

    /// The colour at (x, y).
    subscript(x: Int, y: Int) -> PaintColor {
        get {
            let i = y * width + x, n = planeSize
            return PaintColor(pixels[i], pixels[n + i], pixels[2 * n + i])
        }
        set {
            let i = y * width + x, n = planeSize
            pixels[i] = newValue.r
            pixels[n + i] = newValue.g
            pixels[2 * n + i] = newValue.b
        }
    }

    /// Replaces every pixel by `transform(x, y, colour)`.
    mutating func apply(_ transform: (Int, Int, PaintColor) -> PaintColor) {
        let n = planeSize, w = width, h = height
        pixels.withUnsafeMutableBufferPointer { p in
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    let c = transform(x, y, PaintColor(p[i], p[n + i], p[2 * n + i]))
                    p[i] = c.r
                    p[n + i] = c.g
                    p[2 * n + i] = c.b
                }
            }
        }
    }

    /// Blends `colour` over a disc at (`cx`, `cy`) of `radius` px with opacity `alpha`; the rim
    /// fades over `softness` px (at least one pixel, so edges are antialiased).
    mutating func stampDisc(cx: Float, cy: Float, radius: Float, colour: PaintColor,
                            alpha: Float, softness: Float = 1) {
        let soft = max(softness, 1)
        let reach = radius + soft
        let x0 = max(0, Int((cx - reach).rounded(.down))), x1 = min(width - 1, Int((cx + reach).rounded(.up)))
        let y0 = max(0, Int((cy - reach).rounded(.down))), y1 = min(height - 1, Int((cy + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let n = planeSize, w = width
        pixels.withUnsafeMutableBufferPointer { p in
            for y in y0...y1 {
                let dy = Float(y) + 0.5 - cy
                for x in x0...x1 {
                    let dx = Float(x) + 0.5 - cx
                    let d = (dx * dx + dy * dy).squareRoot()
                    let coverage = saturate((radius + soft * 0.5 - d) / soft)
                    if coverage <= 0 { continue }
                    let a = alpha * coverage
                    let i = y * w + x
                    p[i] += (colour.r - p[i]) * a
                    p[n + i] += (colour.g - p[n + i]) * a
                    p[2 * n + i] += (colour.b - p[2 * n + i]) * a
                }
            }
        }
    }

    /// The canvas as an image, values clamped to [0, 1].
    var image: RGBImage {
        RGBImage(width: width, height: height, pixels: pixels.map { min(max($0, 0), 1) })
    }
}

/// Separable box blurs on one float plane, the building block of glows and soft washes.
enum PlaneBlur {
    /// `plane` (`width` x `height`) blurred by a box of half-width `radius`, `passes` times
    /// (three passes approximate a Gaussian). Edges clamp.
    static func box(_ plane: [Float], width: Int, height: Int, radius: Int, passes: Int = 3) -> [Float] {
        guard radius > 0 else { return plane }
        var current = plane
        var scratch = [Float](repeating: 0, count: plane.count)
        for _ in 0..<passes {
            blurRows(current, into: &scratch, width: width, height: height, radius: radius)
            blurColumns(scratch, into: &current, width: width, height: height, radius: radius)
        }
        return current
    }

    private static func blurRows(_ source: [Float], into target: inout [Float],
                                 width: Int, height: Int, radius: Int) {
        let scale = 1 / Float(2 * radius + 1)
        source.withUnsafeBufferPointer { s in
            target.withUnsafeMutableBufferPointer { t in
                for y in 0..<height {
                    let row = y * width
                    var sum: Float = 0
                    for k in -radius...radius { sum += s[row + min(max(k, 0), width - 1)] }
                    for x in 0..<width {
                        t[row + x] = sum * scale
                        let add = min(x + radius + 1, width - 1)
                        let drop = max(x - radius, 0)
                        sum += s[row + add] - s[row + drop]
                    }
                }
            }
        }
    }

    private static func blurColumns(_ source: [Float], into target: inout [Float],
                                    width: Int, height: Int, radius: Int) {
        let scale = 1 / Float(2 * radius + 1)
        source.withUnsafeBufferPointer { s in
            target.withUnsafeMutableBufferPointer { t in
                var sums = [Float](repeating: 0, count: width)
                for k in -radius...radius {
                    let row = min(max(k, 0), height - 1) * width
                    for x in 0..<width { sums[x] += s[row + x] }
                }
                for y in 0..<height {
                    let add = min(y + radius + 1, height - 1) * width
                    let drop = max(y - radius, 0) * width
                    for x in 0..<width {
                        t[y * width + x] = sums[x] * scale
                        sums[x] += s[add + x] - s[drop + x]
                    }
                }
            }
        }
    }
}
