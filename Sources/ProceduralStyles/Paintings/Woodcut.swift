import Foundation
import Imaging

/// Woodcut: a two-block print of the sun setting over the sea between hills. The black key block
/// is carved with tapered gouge strokes whose width follows the light; a vermilion block prints
/// the sun. Ink sits unevenly and shows the plank's grain.
public struct Woodcut: StylePainting {
    /// Machine name.
    public static let name = "woodcut"
    /// Human title.
    public static let title = "Woodcut Print"
    /// One-line description.
    public static let summary = "Black key block carved with tapered gouge strokes, a vermilion sun, on mulberry paper"

    /// Gouge lines per unit of the shorter side.
    let cutsPerSide: Float = 58

    /// A woodblock print.
    public init() {}

    /// Prints the two blocks.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let pixel = 1 / side
        let aspectWidth = Float(width) * pixel, aspectHeight = Float(height) * pixel
        let land = GradientNoise(seed: random.next())
        let grain = GradientNoise(seed: random.next())
        let chisel = Gouge(seed: random.next(), linesPerUnit: cutsPerSide, pixel: pixel)
        let sunX = aspectWidth * random.uniform(0.4, 0.6)
        let horizon = aspectHeight * 0.56
        let sunY = horizon - 0.05
        let sunRadius: Float = 0.13
        let paper = PaintColor(0.93, 0.89, 0.8), ink = PaintColor(0.07, 0.06, 0.06)
        let vermilion = PaintColor(0.85, 0.26, 0.14)
        let cuts = cutsPerSide

        let canvas = Canvas(width: width, height: height) { x, y in
            let px = (Float(x) + 0.5) * pixel, py = (Float(y) + 0.5) * pixel
            let sdx = px - sunX, sdy = py - sunY
            let sunDistance = (sdx * sdx + sdy * sdy).squareRoot()
            // Far hills rise on both sides of the sun; a dark headland fills the lower right.
            let side = abs(px - sunX) / aspectWidth
            let hills = horizon - smoothstep(0.12, 0.45, side) * (0.16 + 0.07 * land.fractal(px * 3, 0.3, octaves: 4))
            let headland = aspectHeight * 0.8 - 0.6 * (px - aspectWidth * 0.5)
                + 0.05 * land.fractal(px * 4, 2.1, octaves: 3)
            var cut: Float
            var red: Float = 0
            if py > headland {
                // Headland: diagonal cuts down the slope, a cut outline along its crest.
                let depth = py - headland
                let phase = (px * 0.55 + depth) * cuts
                cut = chisel.cut(phase: phase, along: px - py, light: 0.42 - depth * 1.4, strokes: 9)
                if depth < 0.004 { cut = 1 }
            } else if py > horizon {
                // The sea: short horizontal strokes; the sun's reflection opens them up.
                let depth = py - horizon
                let glitter = expf(-abs(px - sunX) / (0.07 + depth * 0.5))
                let swell = 0.25 * land.value(px * 9, py * 22)
                let light = 0.18 + 0.75 * glitter - depth * 0.5 + 0.1 * swell
                cut = chisel.cut(phase: depth * cuts * 1.25 + swell, along: px, light: light, strokes: 7)
            } else if py > hills {
                // Far hills: strokes following the slope, dark at the foot.
                let depth = (py - hills) / max(horizon - hills, 0.001)
                cut = chisel.cut(phase: (py - hills) * cuts * 1.1, along: px, light: 0.4 - 0.35 * depth,
                                 strokes: 12)
                if py - hills < 0.003 { cut = 1 }
            } else if sunDistance < sunRadius {
                // The sun: cut clear from the key block and printed by the vermilion block.
                cut = 1
                red = 1
            } else {
                // Sky: wedge-shaped rays cut outwards from the sun, thinning with distance.
                let turns = atan2f(sdy, sdx) / (2 * Float.pi)
                let rays: Float = 72
                let light = 0.95 - (sunDistance - sunRadius) * 1.35
                cut = chisel.ray(phase: turns * rays, distance: sunDistance, light: light,
                                 angularPixel: rays * pixel / (2 * Float.pi * sunDistance))
                if sunDistance - sunRadius < 0.006 { cut = 1 }
            }
            // Ink texture: the block prints unevenly and shows the plank's grain.
            let plank = grain.fractal(px * 3, py * 150, octaves: 3)
            let starved = max(0, grain.fractal(px * 40 + 11, py * 40, octaves: 3) - 0.3)
            let inked = saturate(1 - cut) * saturate(0.93 + 0.25 * plank - 0.9 * starved)
            let fibre = 1 + 0.035 * grain.fractal(px * 500, py * 70, octaves: 2)
            var colour = paper.scaled(fibre)
            colour = colour.mixed(with: vermilion * colour, red * 0.95)
            return colour.mixed(with: ink, inked)
        }
        return canvas.image
    }
}

/// The carving tool: turns a line field and a light level into cut-away wood.
struct Gouge {
    let seed: UInt64
    let linesPerUnit: Float
    let pixel: Float
    let wobble: GradientNoise

    init(seed: UInt64, linesPerUnit: Float, pixel: Float) {
        self.seed = seed
        self.linesPerUnit = linesPerUnit
        self.pixel = pixel
        wobble = GradientNoise(seed: seed)
    }

    /// How much wood is cut (0 ink, 1 paper) at `phase` across parallel lines, broken into
    /// tapered strokes about `1 / strokes` long along the line; `light` sets the cut width.
    func cut(phase: Float, along: Float, light: Float, strokes: Float) -> Float {
        let line = phase.rounded(.down)
        let lineHash = SplitMix64.hash(Int(line), 17, seed)
        let offset = Float(lineHash & 0xffff) / 65535
        let s = along * strokes * 3 + offset * 7
        let stroke = s.rounded(.down)
        let t = s - stroke
        let strokeHash = SplitMix64.hash(Int(line), Int(stroke), seed)
        let vigour = 0.75 + 0.45 * Float(strokeHash & 0xff) / 255
        let taper = sinf(Float.pi * t).squareRoot()
        let jitter = 0.06 * wobble.value(phase * 0.5, along * 40)
        let half = saturate(light) * 0.5 * taper * vigour
        let distance = abs(phase - line - 0.5 + jitter)
        let footprint = max(0.04, linesPerUnit * pixel * 0.6)
        return smoothstep(half + footprint, half - footprint, distance) * (half > 0.01 ? 1 : 0)
    }

    /// A wedge ray: the cut narrows as `light` falls with `distance`.
    func ray(phase: Float, distance: Float, light: Float, angularPixel: Float) -> Float {
        let line = phase.rounded(.down)
        let jitter = 0.05 * wobble.value(line * 3.1, distance * 25)
        let length = 0.75 + 0.5 * Float(SplitMix64.hash(Int(line), 3, seed) & 0xff) / 255
        let half = saturate(light * length) * 0.5
        let distanceInLines = abs(phase - line - 0.5 + jitter)
        let footprint = max(0.02, angularPixel * 0.7)
        return smoothstep(half + footprint, half - footprint, distanceInLines) * (half > 0.01 ? 1 : 0)
    }
}
