import Foundation
import Imaging

/// Impasto brushwork: thousands of short, thick, bristle-textured strokes that follow a swirling
/// flow around glowing orbs in a night sky, lit as raised paint.
public struct Impasto: StylePainting {
    /// Machine name.
    public static let name = "impasto"
    /// Human title.
    public static let title = "Impasto Brushwork"
    /// One-line description.
    public static let summary = "Thick swirling brush strokes of cobalt and chrome yellow, lit as raised paint"

    /// A swirling night sky in thick paint.
    public init() {}

    /// A glowing orb the flow circles around.
    struct Orb {
        let x: Float, y: Float, radius: Float
    }

    /// One pass of strokes: size as a fraction of the shorter side, and density.
    struct StrokePass {
        let width: Float, length: Float, coverage: Float
    }

    static let passes = [
        StrokePass(width: 0.017, length: 0.075, coverage: 1.3),
        StrokePass(width: 0.012, length: 0.055, coverage: 1.4),
        StrokePass(width: 0.0085, length: 0.04, coverage: 1.0),
    ]

    /// Paints the sky stroke by stroke, then lights the paint relief.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let aspectWidth = Float(width) / side, aspectHeight = Float(height) / side
        let flowNoise = GradientNoise(seed: random.next())
        let colourNoise = GradientNoise(seed: random.next())
        var orbs: [Orb] = []
        for index in 0..<4 {
            let big = index == 0
            orbs.append(Orb(x: random.uniform(0.12, aspectWidth - 0.12),
                            y: random.uniform(0.1, aspectHeight * 0.75),
                            radius: big ? 0.085 : random.uniform(0.03, 0.05)))
        }
        let field = SwirlField(orbs: orbs, flow: flowNoise, colours: colourNoise,
                               horizon: aspectHeight * 0.8)
        var strokes = StrokeSurface(width: width, height: height, side: side)
        strokes.underpaint { x, y in field.colour(x, y) }

        for pass in Self.passes {
            // Brushes never get thinner than two pixels, so tiny canvases stay cheap.
            let brush = max(pass.width, 2 / side), reach = pass.length * brush / pass.width
            let area = brush * reach
            let count = Int(pass.coverage * aspectWidth * aspectHeight / area)
            for _ in 0..<count {
                let x = random.uniform(-0.02, aspectWidth + 0.02)
                let y = random.uniform(-0.02, aspectHeight + 0.02)
                var colour = field.colour(x, y)
                let (hue, saturation, value) = colour.hsv
                colour = PaintColor(hue: hue + random.normal() * 0.015,
                                    saturation: (saturation + random.normal() * 0.06).clampedUnit,
                                    value: (value * random.uniform(0.86, 1.12)).clampedUnit)
                let path = field.streamline(x: x, y: y, length: reach * random.uniform(0.7, 1.3),
                                            step: brush * 0.3)
                strokes.drag(path: path, halfWidth: brush * 0.5 * random.uniform(0.8, 1.15),
                             colour: colour, bristleSeed: random.next())
            }
        }
        return strokes.lit()
    }
}

/// The composition: colours and the flow direction at every point of the sky.
struct SwirlField {
    let orbs: [Impasto.Orb]
    let flow: GradientNoise
    let colours: GradientNoise
    let horizon: Float

    /// Flow direction (unit vector) at (x, y): large swirls from noise, circling each orb.
    func direction(_ x: Float, _ y: Float) -> (Float, Float) {
        let e: Float = 0.01
        // Curl of the potential gives divergence-free swirls.
        let p0 = flow.fractal(x * 2.2, y * 2.2, octaves: 3)
        let px = flow.fractal((x + e) * 2.2, y * 2.2, octaves: 3)
        let py = flow.fractal(x * 2.2, (y + e) * 2.2, octaves: 3)
        var vx = (py - p0) / e, vy = -(px - p0) / e
        // A steady drift to the right keeps the sky moving like wind.
        vx += 1.2
        if y > horizon - 0.03 {
            vx += 3
            vy *= 0.4
        }
        for orb in orbs {
            let dx = x - orb.x, dy = y - orb.y
            let d = (dx * dx + dy * dy).squareRoot() + 1e-4
            let pull = 9 * expf(-max(d - orb.radius, 0) / (orb.radius * 1.4))
            vx += -dy / d * pull
            vy += dx / d * pull
        }
        let length = (vx * vx + vy * vy).squareRoot() + 1e-6
        return (vx / length, vy / length)
    }

    /// Paint colour at (x, y): night blues with bright orbs and halo rings, dark land below.
    func colour(_ x: Float, _ y: Float) -> PaintColor {
        let n = colours.fractal(x * 3, y * 3, octaves: 3)
        let hills = horizon - 0.06 * (colours.fractal(x * 2.5, 0.5, octaves: 3) + 0.5)
        if y > hills {
            let land = PaintColor(hex: 0x1c2b24).mixed(with: PaintColor(hex: 0x4a6a2a), saturate(0.5 + n * 1.5))
            let field = PaintColor(hex: 0xb08a3a)
            return land.mixed(with: field, saturate(colours.value(x * 4 + 9, y * 9) * 2 - 0.6) * 0.8)
        }
        let deep = PaintColor(hex: 0x1a2c78), mid = PaintColor(hex: 0x2f62b5)
        let pale = PaintColor(hex: 0x8fc0e0)
        var colour = deep.mixed(with: mid, saturate(0.5 + 1.4 * n))
        colour = colour.mixed(with: pale, saturate(n * 2.4 - 0.6))
        for orb in orbs {
            let dx = x - orb.x, dy = y - orb.y
            let d = (dx * dx + dy * dy).squareRoot()
            if d < orb.radius {
                let core = PaintColor(hex: 0xfff2a8).mixed(with: PaintColor(hex: 0xf2b51c), d / orb.radius)
                return core
            }
            let ring = sinf((d - orb.radius) / orb.radius * 7) * 0.5 + 0.5
            let halo = expf(-(d - orb.radius) / (orb.radius * 1.3))
            colour = colour.mixed(with: PaintColor(hex: 0xe8d25a).mixed(with: PaintColor(hex: 0x9fd6d0), ring),
                                  halo * 0.85)
        }
        return colour
    }

    /// Points along the flow from (x, y), centred on it, `step` apart over `length`.
    func streamline(x: Float, y: Float, length: Float, step: Float) -> [(Float, Float)] {
        let steps = max(2, Int(length / step / 2))
        var forward: [(Float, Float)] = []
        var backward: [(Float, Float)] = []
        for sign: Float in [1, -1] {
            var cx = x, cy = y
            for _ in 0..<steps {
                let (dx, dy) = direction(cx, cy)
                cx += sign * dx * step
                cy += sign * dy * step
                if sign > 0 { forward.append((cx, cy)) } else { backward.append((cx, cy)) }
            }
        }
        return backward.reversed() + [(x, y)] + forward
    }
}
