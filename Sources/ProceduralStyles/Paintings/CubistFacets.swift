import Foundation
import Imaging

/// Analytic cubism: a subject broken into overlapping planes of ochre, umber, grey and olive,
/// each plane shaded from light to dark towards its edges, laid in short slanted brush dabs.
public struct CubistFacets: StylePainting {
    /// Machine name.
    public static let name = "cubist"
    /// Human title.
    public static let title = "Cubist Facets"
    /// One-line description.
    public static let summary = "Shattered planes in ochre, umber and grey, shaded edge to edge in slanted dabs"

    /// A cubist composition.
    public init() {}

    /// The palette of analytic cubism, weighted by repetition: mostly ochres, umbers and
    /// greys, a little olive and cream, one muted blue.
    static let earths: [PaintColor] = {
        let ochre = PaintColor(hex: 0xc79a52), umber = PaintColor(hex: 0x8a6038)
        let darkUmber = PaintColor(hex: 0x5b4330), grey = PaintColor(hex: 0xa8a08c)
        let darkGrey = PaintColor(hex: 0x6e6a5c), olive = PaintColor(hex: 0x7d7a45)
        let cream = PaintColor(hex: 0xd8c7a0), slate = PaintColor(hex: 0x56606a)
        return [ochre, ochre, ochre, umber, umber, darkUmber, darkUmber, grey, grey, grey,
                darkGrey, darkGrey, olive, cream, cream, slate]
    }()

    /// One cut through the picture: a segment that splits the planes it crosses.
    struct Cut {
        let x: Float, y: Float          // anchor
        let nx: Float, ny: Float        // unit normal
        let halfLength: Float           // extent along the cut from the anchor
        let outlined: Bool              // drawn as a dark contour
    }

    /// Paints the facets.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var random = SplitMix64(seed: seed, stream: Self.name)
        let side = Float(min(width, height))
        let pixel = 1 / side
        let aspectWidth = Float(width) * pixel, aspectHeight = Float(height) * pixel
        let cx = aspectWidth / 2, cy = aspectHeight * 0.52
        var cuts: [Cut] = []
        // Cuts cluster around the centre of the picture, like the fragmented figure.
        for index in 0..<26 {
            let spread: Float = index < 6 ? 0.45 : 0.22
            let angle = random.uniform(0, Float.pi)
            cuts.append(Cut(x: cx + random.normal() * spread * 0.6, y: cy + random.normal() * spread * 0.7,
                            nx: cosf(angle), ny: sinf(angle),
                            halfLength: index < 6 ? 2 : random.uniform(0.12, 0.4),
                            outlined: random.chance(0.45)))
        }
        let paletteSeed = random.next()
        let dabs = GradientNoise(seed: random.next())
        let dabPitch: Float = 0.011

        let canvas = Canvas(width: width, height: height) { x, y in
            let px = (Float(x) + 0.5) * pixel, py = (Float(y) + 0.5) * pixel
            var code: UInt64 = 0
            var shade: Float = 1
            var contour: Float = 0
            for (index, cut) in cuts.enumerated() {
                let dx = px - cut.x, dy = py - cut.y
                let along = -dx * cut.ny + dy * cut.nx
                if abs(along) > cut.halfLength { continue }
                let signed = dx * cut.nx + dy * cut.ny
                if signed > 0 { code |= 1 << UInt64(index) }
                // Passage: beside every cut one plane darkens and the other lightens; towards
                // the ends of a cut the effect fades, so planes dissolve into each other.
                let fade = saturate((cut.halfLength - abs(along)) / 0.08)
                let ramp = expf(-abs(signed) / 0.05) * fade
                shade *= signed > 0 ? 1 - 0.4 * ramp : 1 + 0.25 * ramp
                if cut.outlined {
                    let line = saturate(1.6 - abs(signed) * side / 1.1) * fade
                    contour = max(contour, line)
                }
            }
            let h = SplitMix64.mix(code ^ paletteSeed)
            var colour = Self.earths[Int(h % UInt64(Self.earths.count))]
            colour = colour.scaled(0.85 + 0.25 * Float(h >> 32 & 0xff) / 255)
            colour = colour.scaled(min(shade, 1.5))
            // Brushwork: short slanted dabs in a jittered grid, each a little lighter or darker.
            let v = (-px * 0.6 + py * 0.8) / (dabPitch * 2.4)
            let row = v.rounded(.down)
            let u = (px * 0.8 + py * 0.6) / dabPitch + SplitMix64.unitHash(0, Int(row), paletteSeed)
            let column = u.rounded(.down)
            let cell = SplitMix64.unitHash(Int(column), Int(row), paletteSeed)
            let du = (u - column - 0.5) / 0.5, dv = (v - row - 0.5) / 0.45
            let mask = smoothstep(1, 0.5, du * du + dv * dv)
            let dab = mask * (cell - 0.5) * 0.18 + 0.04 * dabs.value(px * 150, py * 150)
            colour = colour.scaled(1 + dab)
            // Vignette: the figure floats in a darker, quieter field.
            let vx = (px - cx) / aspectWidth, vy = (py - cy) / aspectHeight
            colour = colour.scaled(1 - 0.35 * saturate((vx * vx + vy * vy) * 2.2))
            return colour.mixed(with: PaintColor(0.12, 0.09, 0.07), contour * 0.85).clamped
        }
        return canvas.image
    }
}
