import Foundation
import Imaging

/// Roman mosaic: stone tesserae set in pale grout. Rows of square tiles fill the field with a
/// lattice and a wave border; around the central rosette the tiles follow the rings.
public struct Mosaic: StylePainting {
    /// Machine name.
    public static let name = "mosaic"
    /// Human title.
    public static let title = "Roman Mosaic"
    /// One-line description.
    public static let summary = "Terracotta, ochre and slate stone tesserae in grout, with a ringed rosette"

    /// Tile pitch as a fraction of the shorter side.
    let pitch: Float = 0.021

    /// A floor mosaic.
    public init() {}

    /// Stones: white marble, black basalt, terracotta, ochre, slate, olive, rose.
    static let stones: [PaintColor] = [
        PaintColor(hex: 0xe8e0cc), PaintColor(hex: 0x23211f), PaintColor(hex: 0xa9472a),
        PaintColor(hex: 0xd09a45), PaintColor(hex: 0x4e5f6e), PaintColor(hex: 0x6b7343),
        PaintColor(hex: 0xc98a78),
    ]
    static let grout = PaintColor(hex: 0x9c9284)

    /// Lays the tiles.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        let random = SplitMix64(seed: seed, stream: Self.name)
        let tileSeed = random.state
        let side = Float(min(width, height))
        let pixel = 1 / side
        let aspectWidth = Float(width) * pixel, aspectHeight = Float(height) * pixel
        let centreX = aspectWidth / 2, centreY = aspectHeight / 2
        let medallion: Float = 0.3
        let design = MosaicDesign(centreX: centreX, centreY: centreY, medallion: medallion,
                                  width: aspectWidth, height: aspectHeight, pitch: pitch)
        let stoneNoise = GradientNoise(seed: tileSeed ^ 5)
        let tilePitch = pitch

        let canvas = Canvas(width: width, height: height) { x, y in
            let px = (Float(x) + 0.5) * pixel, py = (Float(y) + 0.5) * pixel
            let dx = px - centreX, dy = py - centreY
            let radius = (dx * dx + dy * dy).squareRoot()
            // Tile-local coordinates (u along the row, v across) in pitches, and the tile's id.
            var u: Float, v: Float, tileX: Int, tileY: Int, sampleX: Float, sampleY: Float
            if radius < medallion {
                // Opus vermiculatum: rings of tiles around the centre.
                let ring = (radius / tilePitch).rounded(.down)
                let tilesInRing = max(1, (2 * Float.pi * (ring + 0.5)).rounded())
                let turn = (atan2f(dy, dx) / (2 * Float.pi) + 0.5) * tilesInRing
                let slot = turn.rounded(.down)
                u = turn - slot - 0.5
                v = radius / tilePitch - ring - 0.5
                tileX = Int(slot)
                tileY = Int(ring) + 10_000
                let angle = (slot + 0.5) / tilesInRing * 2 * Float.pi - Float.pi
                sampleX = centreX + cosf(angle) * (ring + 0.5) * tilePitch
                sampleY = centreY + sinf(angle) * (ring + 0.5) * tilePitch
            } else {
                // Opus tessellatum: straight rows, each row shifted a little.
                let row = (py / tilePitch).rounded(.down)
                let shift = SplitMix64.unitHash(0, Int(row), tileSeed) * 0.5
                let column = (px / tilePitch + shift).rounded(.down)
                u = px / tilePitch + shift - column - 0.5
                v = py / tilePitch - row - 0.5
                tileX = Int(column)
                tileY = Int(row)
                sampleX = (column + 0.5 - shift) * tilePitch
                sampleY = (row + 0.5) * tilePitch
            }
            // Each tile is cut a little crooked: jitter its size, offset and angle.
            let h = SplitMix64.hash(tileX, tileY, tileSeed)
            let r0 = Float(h & 0xff) / 255, r1 = Float(h >> 8 & 0xff) / 255
            let r2 = Float(h >> 16 & 0xff) / 255, r3 = Float(h >> 24 & 0xff) / 255
            let angle = (r0 - 0.5) * 0.22
            let cu = u - (r1 - 0.5) * 0.08, cv = v - (r2 - 0.5) * 0.08
            let ru = cu * cosf(angle) - cv * sinf(angle), rv = cu * sinf(angle) + cv * cosf(angle)
            let half = 0.4 + 0.04 * r3
            let corner: Float = 0.08
            let qx = max(abs(ru) - half + corner, 0), qy = max(abs(rv) - half + corner, 0)
            let outside = (qx * qx + qy * qy).squareRoot() - corner  // in pitches
            let edge = saturate(0.5 - outside * tilePitch * side)  // antialiased tile mask
            let groutGrain = 1 + 0.08 * stoneNoise.value(px * 400, py * 400)
            let groutColour = Self.grout.scaled(groutGrain)
            if edge <= 0 { return groutColour }
            // Stone: the design colour, varied per tile, with veining and a worn bevel.
            let stone = design.stone(sampleX, sampleY)
            let tint = 0.88 + 0.2 * Float(h >> 32 & 0xff) / 255
            let vein = stoneNoise.fractal(px * 90 + r0 * 50, py * 90, octaves: 3)
            let bevel = 1 + 0.2 * saturate(-ru - rv) * 0.6 - 0.2 * saturate(ru + rv) * 0.6
            let rim = 1 - 0.18 * smoothstep(-0.12, 0, outside)
            let colour = Self.stones[stone].scaled(tint * bevel * rim * (1 + 0.07 * vein))
            return groutColour.mixed(with: colour, edge)
        }
        return canvas.image
    }
}

/// The picture the tesserae make: which stone goes where.
struct MosaicDesign {
    let centreX: Float, centreY: Float, medallion: Float
    let width: Float, height: Float, pitch: Float

    /// Index into `Mosaic.stones` for the tile centred at (x, y).
    func stone(_ x: Float, _ y: Float) -> Int {
        let dx = x - centreX, dy = y - centreY
        let radius = (dx * dx + dy * dy).squareRoot()
        if radius < medallion {
            let angle = atan2f(dy, dx)
            // An eight-petalled rosette, ringed by a guilloche of bands.
            let petal = abs(cosf(angle * 4)) * 0.5 + 0.18
            if radius < medallion * 0.13 { return 3 }
            if radius < medallion * 0.19 { return 1 }
            if radius < medallion * petal { return 2 }
            if radius < medallion * (petal + 0.07) { return 1 }
            let ringIndex = Int(((medallion - radius) / pitch).rounded(.down))
            if ringIndex < 1 { return 1 }
            if ringIndex < 4 { return (ringIndex + Int((angle + 4) * 6)) % 2 == 0 ? 4 : 0 }
            if ringIndex < 5 { return 1 }
            return 6
        }
        // The border: a running wave between black bands.
        let inset = min(x, y, width - x, height - y)
        let band = pitch * 5
        if inset < pitch * 1.2 { return 1 }
        if inset < band {
            let along = (x < pitch * 5 || x > width - pitch * 5) ? y : x
            let wave = sinf(along / (pitch * 7) * 2 * Float.pi) * 0.5 + 0.5
            let depth = (inset - pitch * 1.2) / (band - pitch * 1.2)
            return depth < wave * 0.8 + 0.1 ? 2 : 0
        }
        if inset < band + pitch { return 1 }
        // The field: a diamond lattice of ochre lines with olive and slate fills.
        let u = (x - centreX + y - centreY) / (pitch * 9), v = (x - centreX - y + centreY) / (pitch * 9)
        let fu = u - u.rounded(.down), fv = v - v.rounded(.down)
        if fu < 0.17 || fv < 0.17 { return 3 }
        let cell = Int(u.rounded(.down) + v.rounded(.down))
        let centre = abs(fu - 0.585) + abs(fv - 0.585)
        if centre < 0.16 { return cell % 2 == 0 ? 2 : 4 }
        if centre < 0.27 { return 1 }
        return 0
    }
}
