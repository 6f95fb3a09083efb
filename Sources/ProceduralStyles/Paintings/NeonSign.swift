import Foundation
import Imaging

/// Neon: glowing glass tubes bent into rings, waves, zigzags and stars on a dark brick wall,
/// with a hot white core, a coloured halo and light spilling onto the bricks.
public struct NeonSign: StylePainting {
    /// Machine name.
    public static let name = "neon"
    /// Human title.
    public static let title = "Neon Night"
    /// One-line description.
    public static let summary = "Glowing pink, cyan, lime and amber neon tubes on a dark brick wall"

    /// A neon sign.
    public init() {}

    /// Tube colours: hot pink, cyan, lime, amber, violet, red.
    static let gases: [PaintColor] = [
        PaintColor(1.0, 0.16, 0.62), PaintColor(0.1, 0.85, 1.0), PaintColor(0.5, 1.0, 0.2),
        PaintColor(1.0, 0.62, 0.1), PaintColor(0.62, 0.3, 1.0), PaintColor(1.0, 0.18, 0.12),
    ]

    /// Bends the tubes, lights them, and lets the glow bloom over the wall.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let aspectWidth = Float(width) / side, aspectHeight = Float(height) / side
        let wallNoise = GradientNoise(seed: random.next())
        var glass = Canvas(width: width, height: height, fill: PaintColor(0, 0, 0))
        let tubes = NeonLayout.tubes(random: &random, width: aspectWidth, height: aspectHeight)
        for tube in tubes {
            Self.bend(tube.points, colour: Self.gases[tube.gas], into: &glass, side: side)
        }
        // Bloom: the same light blurred at three scales.
        let n = width * height
        var halo = [Float](repeating: 0, count: 3 * n)
        let radii = [0.004, 0.016, 0.05].map { max(1, Int(Float($0) * side)) }
        let weights: [Float] = [1.5, 1.6, 1.5]
        for channel in 0..<3 {
            let plane = Array(glass.pixels[(channel * n)..<((channel + 1) * n)])
            for (radius, weight) in zip(radii, weights) {
                let blurred = PlaneBlur.box(plane, width: width, height: height, radius: radius)
                for i in 0..<n { halo[channel * n + i] += blurred[i] * weight }
            }
        }
        let brickHeight: Float = 0.045, brickWidth: Float = 0.12
        let canvas = Canvas(width: width, height: height) { x, y in
            let px = (Float(x) + 0.5) / side, py = (Float(y) + 0.5) / side
            // The wall: dark bricks in running bond, rough faced, with recessed mortar.
            let row = (py / brickHeight).rounded(.down)
            let shift: Float = Int(row) & 1 == 0 ? 0 : 0.5
            let u = px / brickWidth + shift
            let mortarX = abs(u - u.rounded()) * brickWidth, mortarY = abs(py / brickHeight - (py / brickHeight).rounded()) * brickHeight
            let mortar = smoothstep(0.0035, 0.0015, min(mortarX, mortarY))
            let brickTint = SplitMix64.unitHash(Int(u.rounded(.down)), Int(row), 77)
            let rough = wallNoise.fractal(px * 90, py * 90, octaves: 3)
            var wall = PaintColor(0.07, 0.048, 0.065).scaled(0.75 + 0.5 * brickTint + 0.25 * rough)
            wall = wall.mixed(with: PaintColor(0.03, 0.03, 0.04), mortar)
            let i = y * width + x
            let light = PaintColor(halo[i], halo[n + i], halo[2 * n + i])
            // Light falls on the wall (lit by the halo), and the tube cores burn near white.
            let core = PaintColor(glass.pixels[i], glass.pixels[n + i], glass.pixels[2 * n + i])
            let lit = wall + wall * light.scaled(2.5) + light
            let hot = core.mixed(with: PaintColor(1, 1, 1), 0.5).scaled(core.luma > 0 ? 1 : 0)
            let coreWeight = saturate(max(core.r, core.g, core.b) * 1.5)
            let c = lit.mixed(with: hot, coreWeight * 0.8)
            // Soft tone curve: bright overlaps roll off instead of clipping.
            return PaintColor(1 - expf(-c.r * 1.6), 1 - expf(-c.g * 1.6), 1 - expf(-c.b * 1.6))
        }
        return canvas.image
    }

    /// Draws a tube (a polyline in units of the shorter side) into the emission canvas.
    static func bend(_ points: [(Float, Float)], colour: PaintColor, into glass: inout Canvas, side: Float) {
        let radius = max(1, 0.0034 * side)
        guard points.count >= 2 else { return }
        for index in 0..<(points.count - 1) {
            let (ax, ay) = points[index], (bx, by) = points[index + 1]
            let length = ((bx - ax) * (bx - ax) + (by - ay) * (by - ay)).squareRoot() * side
            let steps = max(1, Int(length / max(radius * 0.5, 0.75)))
            for step in 0..<steps {
                let t = Float(step) / Float(steps)
                glass.stampDisc(cx: (ax + (bx - ax) * t) * side, cy: (ay + (by - ay) * t) * side,
                                radius: radius, colour: colour, alpha: 1, softness: 1.2)
            }
        }
    }
}

/// Where the tubes go: a handful of neon figures scattered over the wall.
enum NeonLayout {
    struct Tube {
        let points: [(Float, Float)]
        let gas: Int
    }

    static func tubes(random: inout SplitMix64, width: Float, height: Float) -> [Tube] {
        var tubes: [Tube] = []
        var gas = random.index(below: NeonSign.gases.count)
        func nextGas() -> Int {
            gas = (gas + 1 + random.index(below: 2)) % NeonSign.gases.count
            return gas
        }
        // A large double ring.
        let cx = width * random.uniform(0.3, 0.7), cy = height * random.uniform(0.3, 0.5)
        let ring = random.uniform(0.22, 0.28)
        tubes.append(Tube(points: arc(cx, cy, ring, 0.15, 2 * Float.pi - 0.15), gas: nextGas()))
        tubes.append(Tube(points: arc(cx, cy, ring * 0.84, 0.5, 2 * Float.pi - 0.2), gas: nextGas()))
        // Waves across the lower wall.
        for row in 0..<3 {
            let y = height * (0.76 + 0.06 * Float(row))
            let phase = random.uniform(0, 6.3)
            var wave: [(Float, Float)] = []
            for k in 0...160 {
                let x = width * (0.04 + 0.92 * Float(k) / 160)
                wave.append((x, y + 0.025 * sinf(x * 22 + phase)))
            }
            tubes.append(Tube(points: wave, gas: nextGas()))
        }
        // A zigzag bolt through the ring, and stars in the corners.
        var bolt: [(Float, Float)] = []
        let boltX = cx + random.uniform(-0.05, 0.05)
        for k in 0...6 {
            bolt.append((boltX + (k % 2 == 0 ? -0.05 : 0.05), cy - ring * 0.7 + Float(k) * ring * 0.23))
        }
        tubes.append(Tube(points: bolt, gas: nextGas()))
        // Stars and triangles wherever the wall is free.
        var placed: [(Float, Float)] = [(cx, cy)]
        for attempt in 0..<40 where placed.count < 8 {
            let sx = random.uniform(0.07, width - 0.07), sy = random.uniform(0.07, height * 0.64)
            let size = random.uniform(0.04, 0.075)
            let clear = placed.enumerated().allSatisfy { index, p in
                let dx = sx - p.0, dy = sy - p.1
                return (dx * dx + dy * dy).squareRoot() > (index == 0 ? ring + 0.1 : 0.17)
            }
            if !clear { continue }
            placed.append((sx, sy))
            let turn = random.uniform(0, 1)
            let figure = attempt % 3 == 2 ? polygon(sx, sy, size, 3, turn) : star(sx, sy, size, turn)
            tubes.append(Tube(points: figure, gas: nextGas()))
            if attempt % 2 == 0 {
                tubes.append(Tube(points: arc(sx, sy, size * 1.5, turn * 6, turn * 6 + 4), gas: nextGas()))
            }
        }
        return tubes
    }

    static func arc(_ cx: Float, _ cy: Float, _ r: Float, _ from: Float, _ to: Float) -> [(Float, Float)] {
        let steps = Int((to - from) * r * 400) + 2
        return (0...steps).map { k in
            let a = from + (to - from) * Float(k) / Float(steps)
            return (cx + r * cosf(a), cy + r * sinf(a))
        }
    }

    static func polygon(_ cx: Float, _ cy: Float, _ r: Float, _ sides: Int, _ turn: Float) -> [(Float, Float)] {
        (0...sides).map { k in
            let a = (Float(k) / Float(sides) + turn) * 2 * Float.pi
            return (cx + r * cosf(a), cy + r * sinf(a))
        }
    }

    static func star(_ cx: Float, _ cy: Float, _ r: Float, _ turn: Float) -> [(Float, Float)] {
        (0...10).map { k in
            let a = (Float(k) / 10 + turn) * 2 * Float.pi
            let radius = k % 2 == 0 ? r : r * 0.45
            return (cx + radius * cosf(a), cy + radius * sinf(a))
        }
    }
}
