import Foundation
import Imaging

/// Op-art: crisp black-and-white stripes bent into travelling waves, with a lens that swells a
/// chequerboard out of the surface, after Bridget Riley and Victor Vasarely.
public struct OpArt: StylePainting {
    /// Machine name.
    public static let name = "op-art"
    /// Human title.
    public static let title = "Op-Art Waves"
    /// One-line description.
    public static let summary = "High-contrast warped stripes and a bulging chequerboard lens"

    /// Stripes across the shorter side.
    let stripes: Float = 34

    /// An op-art panel.
    public init() {}

    /// Paints the panel, antialiased by the local stripe frequency.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let pixel = 1 / side
        let aspectWidth = Float(width) * pixel, aspectHeight = Float(height) * pixel
        let lensX = aspectWidth * random.uniform(0.55, 0.7), lensY = aspectHeight * random.uniform(0.35, 0.6)
        let lensRadius: Float = random.uniform(0.24, 0.3)
        let wavePhase = random.uniform(0, 2 * Float.pi)
        let waveTilt = random.uniform(0.6, 1.1)
        let frequency = stripes
        let black = PaintColor(0.04, 0.04, 0.05), white = PaintColor(0.96, 0.95, 0.92)

        /// Stripe phase (in stripes) at a point: waves whose amplitude grows downwards.
        func stripePhase(_ x: Float, _ y: Float) -> Float {
            let amplitude = 0.02 + 0.06 * y / aspectHeight
            let wave = amplitude * sinf(y * 9 * waveTilt + wavePhase + 2.2 * sinf(x * 3.1))
            return (x + wave) * frequency
        }

        /// Chequer value inside the lens: the square grid swells like a sphere.
        func chequer(_ x: Float, _ y: Float) -> Float {
            let dx = (x - lensX) / lensRadius, dy = (y - lensY) / lensRadius
            let r2 = dx * dx + dy * dy
            let bulge = 1 / (1 + 1.4 * max(0, 1 - r2))  // magnify towards the centre
            let u = dx * bulge * 6, v = dy * bulge * 6
            return sinf(u * Float.pi) * sinf(v * Float.pi)
        }

        let canvas = Canvas(width: width, height: height) { x, y in
            let px = (Float(x) + 0.5) * pixel, py = (Float(y) + 0.5) * pixel
            let dx = px - lensX, dy = py - lensY
            let insideLens = (dx * dx + dy * dy).squareRoot() - lensRadius
            var value: Float
            var footprint: Float
            if insideLens < 0 {
                value = chequer(px, py)
                let gx = chequer(px + pixel, py) - value, gy = chequer(px, py + pixel) - value
                footprint = (gx * gx + gy * gy).squareRoot()
            } else {
                let phase = stripePhase(px, py)
                // Stripes flip colour in bands, so the surface seems to fold.
                let band = sinf(py * 7 + 1.3 * sinf(px * 4 + wavePhase))
                value = sinf(phase * 2 * Float.pi) * (band >= 0 ? 1 : -1)
                let gx = stripePhase(px + pixel, py) - phase, gy = stripePhase(px, py + pixel) - phase
                footprint = (gx * gx + gy * gy).squareRoot() * 2 * Float.pi
            }
            var ink = smoothstep(-footprint, footprint, value)
            // A thin black ring seats the lens.
            let ring = saturate(1.5 - abs(insideLens) * side / 2.5)
            ink = ink * (1 - ring)
            return black.mixed(with: white, ink)
        }
        return canvas.image
    }
}
