import Foundation
import Imaging

/// Pointillism: a sunlit river landscape built from thousands of small dabs of broken colour
/// on a cream ground, in the manner of Seurat and Signac.
public struct Pointillism: StylePainting {
    /// Machine name.
    public static let name = "pointillist"
    /// Human title.
    public static let title = "Pointillist Dots"
    /// One-line description.
    public static let summary = "Dense dabs of broken pastel colour building a sunlit river scene"

    /// Dot radius as a fraction of the shorter side.
    let dotRadius: Float = 0.0048

    /// A pointillist landscape.
    public init() {}

    /// Paints the landscape, dot by dot.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let scene = RiverScene(seed: random.next(), aspectWidth: Float(width) / Float(min(width, height)))
        let side = Float(min(width, height))
        var canvas = Canvas(width: width, height: height, fill: PaintColor(0.95, 0.92, 0.84))
        // Three passes: broad muted dots, then the main layer, then small bright accents.
        let passes: [(radius: Float, spacing: Float, alpha: Float, vividness: Float)] = [
            (1.25, 1.9, 0.85, 0.6), (1.0, 1.35, 0.92, 1.0), (0.75, 2.2, 0.95, 1.3),
        ]
        for pass in passes {
            // Dots never shrink below a pixel, so tiny canvases stay cheap.
            let radius = max(dotRadius * pass.radius * side, 1)
            let step = radius * pass.spacing
            let columns = Int(Float(width) / step) + 1, rows = Int(Float(height) / step) + 1
            // Visit the jittered grid in a shuffled order so overlaps carry no direction.
            var order = Array(0..<(columns * rows))
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, random.index(below: i + 1))
            }
            for cell in order {
                let x = (Float(cell % columns) + random.unit()) * step
                let y = (Float(cell / columns) + random.unit()) * step
                let base = scene.colour(x / side, y / side)
                let dab = Self.brokenColour(base, vividness: pass.vividness, random: &random)
                let r = radius * random.uniform(0.8, 1.2)
                canvas.stampDisc(cx: x, cy: y, radius: r, colour: dab, alpha: pass.alpha,
                                 softness: max(1, r * 0.35))
            }
        }
        return canvas.image
    }

    /// Divisionist colour: the local hue split into neighbouring and complementary touches.
    static func brokenColour(_ base: PaintColor, vividness: Float,
                             random: inout SplitMix64) -> PaintColor {
        var (hue, saturation, value) = base.hsv
        let roll = random.unit()
        if roll < 0.14 {
            // A complementary touch, lighter and softer, as Seurat set orange against blue.
            hue += 0.5
            saturation *= 0.55
            value = min(1, value * 1.08 + 0.08)
        } else if roll < 0.26 {
            // A touch of sunlight.
            return PaintColor(0.99, 0.93, 0.7).mixed(with: base, 0.25)
        } else {
            hue += random.normal() * 0.045
            saturation = saturation * (1 + 0.35 * (vividness - 1)) + random.normal() * 0.08
            value += random.normal() * 0.07
        }
        return PaintColor(hue: hue, saturation: saturation.clampedUnit, value: value.clampedUnit)
    }
}

/// The hidden scene the dots sample: sky, distant trees, river and a grassy bank.
struct RiverScene {
    let noise: GradientNoise
    let aspectWidth: Float

    init(seed: UInt64, aspectWidth: Float) {
        noise = GradientNoise(seed: seed)
        self.aspectWidth = aspectWidth
    }

    /// Scene colour at (x, y) in units of the shorter side.
    func colour(_ x: Float, _ y: Float) -> PaintColor {
        let n = noise.fractal(x * 3, y * 3, octaves: 4)
        let treeLine = 0.36 + 0.05 * noise.fractal(x * 4 + 9, 0, octaves: 3)
        let riverTop = 0.47 + 0.01 * sinf(x * 5)
        // The bank rises from the lower left to the right.
        let bankTop = 0.70 - 0.22 * x / aspectWidth + 0.03 * noise.value(x * 5, 3)
        if y > bankTop {
            let shade = noise.fractal(x * 5 + 20, y * 5, octaves: 3)
            let grass = PaintColor(0.36, 0.58, 0.22), sunlit = PaintColor(0.78, 0.76, 0.3)
            let shadow = PaintColor(0.16, 0.32, 0.3)
            let lit = grass.mixed(with: sunlit, saturate(0.5 + shade * 1.3))
            return lit.mixed(with: shadow, saturate(0.4 - shade * 1.6) * 0.8)
        }
        if y > riverTop {
            let ripple = noise.fractal(x * 2, y * 28, octaves: 3)
            let deep = PaintColor(0.2, 0.42, 0.66), shallow = PaintColor(0.48, 0.7, 0.82)
            let glint = PaintColor(0.96, 0.88, 0.7)
            let water = deep.mixed(with: shallow, saturate(0.5 + ripple))
            return water.mixed(with: glint, saturate(ripple * 2 - 0.9))
        }
        if y > treeLine {
            let foliage = PaintColor(0.2, 0.4, 0.26).mixed(with: PaintColor(0.45, 0.55, 0.25), saturate(0.5 + n))
            return foliage
        }
        // Sky: blue overhead, warming to peach at the horizon, with soft clouds.
        let sky = PaintColor(0.42, 0.62, 0.88).mixed(with: PaintColor(0.98, 0.8, 0.62), saturate(y / treeLine))
        let cloud = saturate((noise.fractal(x * 2.2 + 40, y * 5, octaves: 4) - 0.1) * 2.5)
        return sky.mixed(with: PaintColor(0.98, 0.96, 0.92), cloud * 0.8)
    }
}

extension Float {
    /// The value clamped to [0, 1].
    var clampedUnit: Float { Swift.min(Swift.max(self, 0), 1) }
}
