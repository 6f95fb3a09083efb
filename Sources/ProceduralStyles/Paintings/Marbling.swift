import Foundation
import Imaging

/// Paper marbling (ebru): rings of ink dropped on size, then raked with wavy and straight combs
/// into feathered chevrons, computed exactly by undoing each stroke of the comb per pixel.
public struct Marbling: StylePainting {
    /// Machine name.
    public static let name = "marbling"
    /// Human title.
    public static let title = "Paper Marbling"
    /// One-line description.
    public static let summary = "Ebru marbled paper: dropped ink rings raked into fine feathered chevrons"

    /// A marbled sheet.
    public init() {}

    /// Inks: indigo, ochre, crimson, cream, turquoise, near-black, rose.
    static let inks: [PaintColor] = [
        PaintColor(hex: 0x1f2a5a), PaintColor(hex: 0xd39a3a), PaintColor(hex: 0xa8262e),
        PaintColor(hex: 0xefe6cf), PaintColor(hex: 0x2a8a8a), PaintColor(hex: 0x18181c),
        PaintColor(hex: 0xd98a8a),
    ]

    /// Marbles the sheet: builds the sequence of strokes, then renders it, 2 x 2 supersampled.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let pixel = 1 / side
        let aspectWidth = Float(width) * pixel, aspectHeight = Float(height) * pixel
        let strokes = MarblingStrokes(random: &random, width: aspectWidth, height: aspectHeight)
        let sheen = GradientNoise(seed: random.next())
        let tray = PaintColor(hex: 0xe9dfc4)
        // Ink is sampled at pixel corners; each pixel averages its four corners, which
        // antialiases the fine feathering at one sample per pixel.
        let latticeWidth = width + 1
        var above = Self.latticeRow(0, strokes: strokes, count: latticeWidth, pixel: pixel)
        var canvas = Canvas(width: width, height: height, fill: tray)
        let n = width * height
        for y in 0..<height {
            let below = Self.latticeRow(y + 1, strokes: strokes, count: latticeWidth, pixel: pixel)
            for x in 0..<width {
                var sum = PaintColor(0, 0, 0)
                for ink in [above[x], above[x + 1], below[x], below[x + 1]] {
                    sum = sum + (ink < 0 ? tray : Self.inks[Int(ink)])
                }
                let mottle = 1 + 0.05 * sheen.fractal(Float(x) * pixel * 30, Float(y) * pixel * 30, octaves: 3)
                let colour = sum.scaled(0.25 * mottle)
                let i = y * width + x
                canvas.pixels[i] = colour.r
                canvas.pixels[n + i] = colour.g
                canvas.pixels[2 * n + i] = colour.b
            }
            above = below
        }
        return canvas.image
    }
}

extension Marbling {
    /// Ink indices at the pixel corners of lattice row `row`, four corners per batch.
    static func latticeRow(_ row: Int, strokes: MarblingStrokes, count: Int, pixel: Float) -> [Int32] {
        var inks = [Int32](repeating: -1, count: count + 3)
        let y = Float(row) * pixel
        for x in stride(from: 0, to: count, by: 4) {
            let (a, b, c, d) = strokes.inks((Float(x) * pixel, y), (Float(x + 1) * pixel, y),
                                            (Float(x + 2) * pixel, y), (Float(x + 3) * pixel, y))
            inks[x] = Int32(a)
            inks[x + 1] = Int32(b)
            inks[x + 2] = Int32(c)
            inks[x + 3] = Int32(d)
        }
        return inks
    }
}

/// The marbler's actions: ink drops first, then rakes (combs, waves, swirls) that move all the
/// ink. Rendering undoes them per point: rakes newest first, then drops newest first, until the
/// point lands inside a drop.
struct MarblingStrokes {
    /// Ink of colour `ink` dropped at (x, y), spreading to `radius` and pushing older ink out.
    struct Drop {
        let x: Float, y: Float, radius: Float, ink: Int
    }

    enum Rake {
        /// A comb dragged along (mx, my) with tines every `spacing` across it; ink moves by
        /// `shift * sharpness / (distance to nearest tine + sharpness)`, alternate tines
        /// pulling the opposite way when `alternate` is set.
        case comb(mx: Float, my: Float, spacing: Float, offset: Float, shift: Float,
                  sharpness: Float, alternate: Bool)
        /// A stylus wave along (mx, my): shift = amplitude * sin(2 pi d / wavelength + phase).
        case wave(mx: Float, my: Float, amplitude: Float, wavelength: Float, phase: Float)
        /// A swirl around (x, y): rotation of `turn` radians fading over `radius`.
        case swirl(x: Float, y: Float, radius: Float, turn: Float)
    }

    let drops: [Drop]
    let rakes: [Rake]
    /// Drops newest first, flattened as (x, y, radius squared, ink) for the inner loop.
    private let dropTable: [Float]

    init(random: inout SplitMix64, width: Float, height: Float) {
        var drops: [Drop] = []
        // Ink sites, each dropped several times so older ink forms rings.
        let inkCount = Marbling.inks.count
        // Sites on a jittered grid, so the ink covers the whole tray.
        let columns = max(1, Int((width * 5).rounded())), rows = max(1, Int((height * 5).rounded()))
        for site in 0..<(columns * rows) {
            let x = (Float(site % columns) + random.uniform(0.1, 0.9)) * width / Float(columns)
            let y = (Float(site / columns) + random.uniform(0.1, 0.9)) * height / Float(rows)
            let rings = 3 + random.index(below: 3)
            var ink = random.index(below: inkCount)
            for _ in 0..<rings {
                drops.append(Drop(x: x, y: y, radius: random.uniform(0.055, 0.085), ink: ink))
                ink = (ink + 1 + random.index(below: inkCount - 1)) % inkCount
            }
        }
        var rakes: [Rake] = []
        // Gel-git: a coarse comb pulled back and forth across the tray, then a stylus wave.
        rakes.append(.comb(mx: 1, my: 0, spacing: 0.1, offset: random.unit() * 0.1, shift: 0.12,
                           sharpness: 0.02, alternate: true))
        rakes.append(.wave(mx: 0, my: 1, amplitude: 0.035, wavelength: 0.23, phase: random.uniform(0, 6.3)))
        // A fine comb across the gel-git gives the feathered (bouquet) rows.
        rakes.append(.comb(mx: 0, my: 1, spacing: 0.045, offset: random.unit() * 0.045, shift: 0.05,
                           sharpness: 0.008, alternate: false))
        for _ in 0..<3 {
            rakes.append(.swirl(x: random.uniform(0.1, width - 0.1), y: random.uniform(0.1, height - 0.1),
                                radius: random.uniform(0.08, 0.14), turn: random.uniform(-2, 2)))
        }
        self.drops = drops
        self.rakes = rakes
        dropTable = drops.reversed().flatMap { [$0.x, $0.y, $0.radius * $0.radius, Float($0.ink)] }
    }

    /// Where the ink now at (x, y) was before the rakes moved it.
    func unraked(_ x: Float, _ y: Float) -> (Float, Float) {
        var px = x, py = y
        for rake in rakes.reversed() {
            switch rake {
            case let .comb(mx, my, spacing, offset, shift, sharpness, alternate):
                let across = (py * mx - px * my - offset) / spacing
                let tine = across.rounded()
                var amount = shift * sharpness / (abs(across - tine) * spacing + sharpness)
                if alternate && Int(tine) & 1 != 0 { amount = -amount }
                px -= mx * amount
                py -= my * amount
            case let .wave(mx, my, amplitude, wavelength, phase):
                let amount = amplitude * sinf((py * mx - px * my) * 2 * Float.pi / wavelength + phase)
                px -= mx * amount
                py -= my * amount
            case let .swirl(cx, cy, radius, turn):
                let dx = px - cx, dy = py - cy
                let angle = -turn * expf(-(dx * dx + dy * dy) / (radius * radius))
                let c = cosf(angle), s = sinf(angle)
                px = cx + dx * c - dy * s
                py = cy + dx * s + dy * c
            }
        }
        return (px, py)
    }

    /// Ink indices (-1 for bare tray) under four points at once. The four drop chains are
    /// interleaved so the processor overlaps their divisions and square roots.
    func inks(_ a: (Float, Float), _ b: (Float, Float), _ c: (Float, Float),
              _ d: (Float, Float)) -> (Int, Int, Int, Int) {
        var (x0, y0) = unraked(a.0, a.1), (x1, y1) = unraked(b.0, b.1)
        var (x2, y2) = unraked(c.0, c.1), (x3, y3) = unraked(d.0, d.1)
        var r0 = -1, r1 = -1, r2 = -1, r3 = -1
        dropTable.withUnsafeBufferPointer { q in
            for base in stride(from: 0, to: q.count, by: 4) {
                let cx = q[base], cy = q[base + 1], rr = q[base + 2], ink = Int(q[base + 3])
                Self.undoDrop(&x0, &y0, &r0, cx, cy, rr, ink)
                Self.undoDrop(&x1, &y1, &r1, cx, cy, rr, ink)
                Self.undoDrop(&x2, &y2, &r2, cx, cy, rr, ink)
                Self.undoDrop(&x3, &y3, &r3, cx, cy, rr, ink)
                if r0 >= 0 && r1 >= 0 && r2 >= 0 && r3 >= 0 { return }
            }
        }
        return (r0, r1, r2, r3)
    }

    /// Undoes one drop for one point, or records the drop's ink if the point lies inside it.
    @inline(__always)
    private static func undoDrop(_ x: inout Float, _ y: inout Float, _ result: inout Int,
                                 _ cx: Float, _ cy: Float, _ rr: Float, _ ink: Int) {
        let dx = x - cx, dy = y - cy
        let d2 = dx * dx + dy * dy
        if d2 < rr && result < 0 { result = ink }
        let k = max(1 - rr / d2, 0).squareRoot()
        x = cx + dx * k
        y = cy + dy * k
    }
}
