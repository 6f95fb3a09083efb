import Foundation
import Imaging

/// Ink cross-hatching: a pen drawing of lit spheres on a table, toned entirely by layers of
/// straight hatched lines in iron-gall ink on warm laid paper.
public struct InkHatching: StylePainting {
    /// Machine name.
    public static let name = "ink-hatching"
    /// Human title.
    public static let title = "Ink Cross-Hatching"
    /// One-line description.
    public static let summary = "Pen-and-ink still life toned by layered diagonal cross-hatching"

    /// Distance between hatch lines as a fraction of the shorter side.
    let spacing: Float = 0.0078

    /// A cross-hatched drawing.
    public init() {}

    /// One hatching layer: its angle, the tone where it starts, and a phase offset.
    struct HatchLayer {
        let cosine: Float
        let sine: Float
        let threshold: Float
        let phase: Float
    }

    static let layers: [HatchLayer] = [
        (0.78, 0.12), (-0.8, 0.34), (0.05, 0.55), (1.35, 0.74),
    ].enumerated().map { index, layer in
        HatchLayer(cosine: cosf(layer.0), sine: sinf(layer.0), threshold: layer.1,
                   phase: Float(index) * 0.37)
    }

    /// Draws the still life.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let pixel = 1 / side
        let still = SphereStillLife(random: &random, aspectWidth: Float(width) * pixel,
                                    aspectHeight: Float(height) * pixel)
        let wobble = GradientNoise(seed: random.next())
        let paperNoise = GradientNoise(seed: random.next())
        let paper = PaintColor(0.96, 0.93, 0.86)
        let ink = PaintColor(0.13, 0.09, 0.07)
        let lineSpacing = spacing
        let canvas = Canvas(width: width, height: height) { x, y in
            let px = (Float(x) + 0.5) * pixel, py = (Float(y) + 0.5) * pixel
            let (tone, outline) = still.tone(px, py)
            var coverage: Float = 0
            for (index, layer) in Self.layers.enumerated() {
                let weight = saturate((tone - layer.threshold) / 0.2)
                if weight <= 0 { continue }
                let along = px * layer.cosine + py * layer.sine
                let across = -px * layer.sine + py * layer.cosine
                // The hand wavers slowly along each line.
                let drift = 0.0009 * wobble.value(along * 14, across * 6 + Float(index) * 13)
                let u = (across + drift) / lineSpacing + layer.phase
                let lineIndex = u.rounded(.down)
                let offset = abs(u - lineIndex - 0.5) * lineSpacing * side  // px from line centre
                // Pen pressure and pen lifts vary from line to line.
                let pressure = wobble.value(along * 9, lineIndex * 0.61 + Float(index) * 7)
                if pressure < -0.62 { continue }
                let halfWidth = (0.15 + 1.25 * weight * weight) * (0.85 + 0.3 * pressure) * side / 1024
                let line = saturate(halfWidth + 0.5 - offset)
                coverage = max(coverage, line * smoothstep(0, 0.35, weight))
            }
            coverage = max(coverage, outline)
            let grain = 0.025 * paperNoise.fractal(px * 300, py * 300, octaves: 2)
                + 0.02 * paperNoise.value(px * 8, py * 140)  // laid lines
            let base = paper.scaled(1 + grain)
            return base.mixed(with: ink, coverage * 0.92)
        }
        return canvas.image
    }
}

/// Spheres on a table, lit from the upper left: the tone map the hatching follows.
struct SphereStillLife {
    struct Sphere {
        let x: Float, y: Float, radius: Float
    }

    let spheres: [Sphere]
    let tableTop: Float
    let light: (Float, Float, Float) = (-0.55, -0.6, 0.58)

    init(random: inout SplitMix64, aspectWidth: Float, aspectHeight: Float) {
        tableTop = aspectHeight * 0.6
        var placed: [Sphere] = []
        let sizes: [Float] = [0.2, 0.15, 0.11, 0.085]
        for (index, radius) in sizes.enumerated() {
            let x = aspectWidth * (0.22 + 0.56 * (Float(index) + random.unit() * 0.6) / 3.6)
            let y = tableTop + aspectHeight * 0.18 * random.unit() - radius * 0.7
            placed.append(Sphere(x: x, y: y, radius: radius))
        }
        // Nearer (lower) spheres are drawn over farther ones.
        spheres = placed.sorted { $0.y + $0.radius > $1.y + $1.radius }
    }

    /// Darkness in [0, 1] at (x, y) and how much of the contour line covers the point.
    func tone(_ x: Float, _ y: Float) -> (Float, Float) {
        for sphere in spheres {
            let dx = (x - sphere.x) / sphere.radius, dy = (y - sphere.y) / sphere.radius
            let d2 = dx * dx + dy * dy
            if d2 < 1 {
                let dz = (1 - d2).squareRoot()
                let lambert = max(0, dx * light.0 + dy * light.1 + dz * light.2)
                let bounce = max(0, dy) * 0.15  // light reflected up from the table
                let darkness = 0.95 - 0.95 * lambert - bounce
                let rim = (1 - d2.squareRoot()) * sphere.radius
                let outline: Float = rim < 0.0022 ? 1 : 0
                return (saturate(darkness), outline)
            }
        }
        // Cast shadows fall to the lower right on the table.
        if y > tableTop {
            var shadow: Float = 0
            for sphere in spheres where sphere.y + sphere.radius > tableTop {
                let sx = (x - sphere.x - sphere.radius * 0.75) / (sphere.radius * 1.25)
                let sy = (y - sphere.y - sphere.radius * 0.85) / (sphere.radius * 0.4)
                shadow = max(shadow, saturate(1.6 - 1.6 * (sx * sx + sy * sy)))
            }
            let depth = 0.28 + 0.15 * (y - tableTop) * 3
            return (max(depth, 0.3 + 0.6 * shadow), abs(y - tableTop) < 0.0015 ? 1 : 0)
        }
        // The wall behind: darker towards the right, away from the window.
        return (0.04 + 0.32 * x, 0)
    }
}
