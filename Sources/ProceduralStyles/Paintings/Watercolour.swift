import Foundation
import Imaging

/// Watercolour: transparent washes glazed over cold-pressed paper, each blot darkening at its
/// drying edge, with granulating pigment and soft wet-in-wet blooms.
public struct Watercolour: StylePainting {
    /// Machine name.
    public static let name = "watercolour"
    /// Human title.
    public static let title = "Watercolour Wash"
    /// One-line description.
    public static let summary = "Layered transparent washes with dark drying edges on grainy paper"

    /// A watercolour study.
    public init() {}

    /// Pigments, weighted by repetition: ultramarine, cerulean, rose madder, quinacridone
    /// gold, sap green and a little dioxazine violet.
    static let pigments: [PaintColor] = [
        PaintColor(hex: 0x2f4fb0), PaintColor(hex: 0x3d9ccc), PaintColor(hex: 0x3d9ccc),
        PaintColor(hex: 0xd2456b), PaintColor(hex: 0xd2456b), PaintColor(hex: 0xe0a52a),
        PaintColor(hex: 0xe0a52a), PaintColor(hex: 0x5c9a34), PaintColor(hex: 0x6a3f9c),
    ]

    /// One blot of wash.
    struct Blot {
        let x: Float, y: Float, radius: Float
        let pigment: PaintColor
        let strength: Float
        let edge: Float
        let shapeOffset: Float
        /// Unit direction of the long axis, and how much longer than wide the blot is.
        let axisX: Float, axisY: Float, stretch: Float
    }

    /// Paints the washes.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let pixel = 1 / side
        let shape = GradientNoise(seed: random.next())
        let grain = GradientNoise(seed: random.next())
        let aspectWidth = Float(width) * pixel, aspectHeight = Float(height) * pixel

        // Paper: cold-pressed tooth, precomputed once (it also drives granulation).
        let paper = PaintColor(0.985, 0.975, 0.95)
        var tooth = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let px = Float(x) * pixel, py = Float(y) * pixel
                tooth[y * width + x] = grain.fractal(px * 220, py * 220, octaves: 3)
            }
        }
        var canvas = Canvas(width: width, height: height) { x, y in
            paper.scaled(1 + 0.035 * tooth[y * width + x])
        }

        // First a graded wash of sky over the top, then blots from big and pale to small and rich.
        var blots: [Blot] = []
        let count = 22
        for index in 0..<count {
            let progress = Float(index) / Float(count)
            let radius = (0.26 - 0.19 * progress) * random.uniform(0.7, 1.3)
            let angle = random.uniform(-0.5, 0.5)
            blots.append(Blot(
                x: random.uniform(-0.05, aspectWidth + 0.05),
                y: random.uniform(-0.05, aspectHeight + 0.05),
                radius: radius,
                pigment: Self.pigments[random.index(below: Self.pigments.count)],
                strength: random.uniform(0.2, 0.42) + 0.3 * progress,
                edge: random.uniform(0.6, 1.4),
                shapeOffset: random.uniform(0, 100),
                axisX: cosf(angle), axisY: sinf(angle), stretch: random.uniform(1, 2.2)))
        }

        canvas.apply { x, y, colour in
            let t = Float(y) * pixel / aspectHeight
            let wash = saturate(1.1 - t * 2.2) * 0.5
            let sky = PaintColor(hex: 0x5b8fd6)
            return colour * PaintColor(1, 1, 1).mixed(with: sky, wash)
        }

        for blot in blots {
            Self.glaze(blot, on: &canvas, tooth: tooth, shape: shape, pixel: pixel)
        }
        return canvas.image
    }

    /// Glazes one blot over the canvas: pigment multiplies what is below (transparent layers).
    static func glaze(_ blot: Blot, on canvas: inout Canvas, tooth: [Float],
                      shape: GradientNoise, pixel: Float) {
        let reach = blot.radius * 1.5 * blot.stretch
        let width = canvas.width, height = canvas.height
        let x0 = max(0, Int((blot.x - reach) / pixel)), x1 = min(width - 1, Int((blot.x + reach) / pixel))
        let y0 = max(0, Int((blot.y - reach) / pixel)), y1 = min(height - 1, Int((blot.y + reach) / pixel))
        guard x0 <= x1, y0 <= y1 else { return }
        let n = canvas.planeSize
        let edgeWidth: Float = 0.012 * blot.edge
        let absorb = PaintColor(1 - blot.pigment.r, 1 - blot.pigment.g, 1 - blot.pigment.b)
        canvas.pixels.withUnsafeMutableBufferPointer { p in
            for y in y0...y1 {
                let py = Float(y) * pixel
                for x in x0...x1 {
                    let px = Float(x) * pixel
                    let ox = (px - blot.x) / blot.radius, oy = (py - blot.y) / blot.radius
                    let dx = (ox * blot.axisX + oy * blot.axisY) / blot.stretch
                    let dy = -ox * blot.axisY + oy * blot.axisX
                    let distance = (dx * dx + dy * dy).squareRoot()
                    if distance > 1.5 { continue }
                    // Ragged outline: the radius breathes with low and high frequency noise.
                    let ragged = 0.32 * shape.fractal(dx * 1.6 + blot.shapeOffset, dy * 1.6, octaves: 4)
                    let inside = (1 + ragged - distance) * blot.radius  // distance inside the edge
                    if inside <= -0.002 { continue }
                    let coverage = saturate(inside / 0.0025 + 0.8)
                    // Pigment piles up where the wash dried last: the rim.
                    let rim = expf(-max(inside, 0) / edgeWidth)
                    let i = y * width + x
                    let granulation = 1 + 0.45 * tooth[i]
                    let pool = 0.8 + 0.3 * shape.value(dx * 3 + 7, dy * 3 + blot.shapeOffset)
                    let density = blot.strength * coverage * granulation * (pool + 1.1 * rim)
                    let keep = max(0, 1 - density * 0.8)
                    p[i] *= 1 - absorb.r * (1 - keep)
                    p[n + i] *= 1 - absorb.g * (1 - keep)
                    p[2 * n + i] *= 1 - absorb.b * (1 - keep)
                }
            }
        }
    }
}
