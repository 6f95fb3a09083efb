import Foundation
import Imaging

/// Stained glass: Voronoi panes of jewel-coloured, streaky, backlit glass held by dark lead came,
/// with iron saddle bars across the window.
public struct StainedGlass: StylePainting {
    /// Machine name.
    public static let name = "stained-glass"
    /// Human title.
    public static let title = "Stained Glass"
    /// One-line description.
    public static let summary = "Jewel-toned Voronoi panes in dark lead came, backlit and streaky"

    /// Panes per unit of the shorter side.
    let panesPerSide: Float = 12

    /// A stained-glass window.
    public init() {}

    /// The jewels: ruby, sapphire, emerald, amber, amethyst, cobalt, gold, teal.
    static let jewels: [PaintColor] = [
        PaintColor(hex: 0xb3122e), PaintColor(hex: 0x1c3f9e), PaintColor(hex: 0x128a4a),
        PaintColor(hex: 0xe39a17), PaintColor(hex: 0x6d2a8c), PaintColor(hex: 0x0f5fbf),
        PaintColor(hex: 0xf2c230), PaintColor(hex: 0x0f8c8c),
    ]

    /// Paints the window.
    public func paint(width: Int, height: Int, seed: UInt64) -> RGBImage {
        let side = Float(min(width, height))
        let unit = 1 / side
        let cellSeed = SplitMix64(seed: seed, stream: Self.name).state
        let warp = GradientNoise(seed: cellSeed ^ 1)
        let streaks = GradientNoise(seed: cellSeed ^ 2)
        let grid = panesPerSide
        let centreX = Float(width) * 0.5 * unit, centreY = Float(height) * 0.5 * unit
        let leadHalfWidth: Float = 0.0048
        let barHalfWidth: Float = 0.0065

        let canvas = Canvas(width: width, height: height) { x, y in
            let px = (Float(x) + 0.5) * unit, py = (Float(y) + 0.5) * unit
            // Hand-cut leads wander a little.
            let qx = px + 0.012 * warp.value(px * 5, py * 5)
            let qy = py + 0.012 * warp.value(px * 5 + 31, py * 5 - 17)
            let gx = qx * grid, gy = qy * grid
            let cx = Int(gx.rounded(.down)), cy = Int(gy.rounded(.down))
            var best: Float = .infinity
            var bestX: Float = 0, bestY: Float = 0
            var bestCell = (0, 0)
            for j in -2...2 {
                for i in -2...2 {
                    let (sx, sy) = Self.site(cx + i, cy + j, cellSeed)
                    let dx = sx - gx, dy = sy - gy
                    let d = dx * dx + dy * dy
                    if d < best { best = d; bestX = sx; bestY = sy; bestCell = (cx + i, cy + j) }
                }
            }
            // Distance to the nearest pane edge (perpendicular bisector), in grid units.
            var edge: Float = .infinity
            for j in -2...2 {
                for i in -2...2 where cx + i != bestCell.0 || cy + j != bestCell.1 {
                let (sx, sy) = Self.site(cx + i, cy + j, cellSeed)
                let dx = sx - bestX, dy = sy - bestY
                let length = (dx * dx + dy * dy).squareRoot()
                let d2 = (sx - gx) * (sx - gx) + (sy - gy) * (sy - gy)
                edge = min(edge, (d2 - best) / (2 * length))
                }
            }
            let edgeDistance = edge / grid
            // Iron saddle bars at thirds of the height.
            let barY = (py / (Float(height) * unit)) * 3
            let barDistance = abs(barY - barY.rounded()) * Float(height) * unit / 3
            if barDistance < barHalfWidth && barY > 0.5 && barY < 2.5 {
                let t = barDistance / barHalfWidth
                return PaintColor(0.05, 0.05, 0.06).scaled(1 + 1.6 * (1 - t * t))
            }
            if edgeDistance < leadHalfWidth {
                let t = edgeDistance / leadHalfWidth
                let ridge = 1 - t * t
                return PaintColor(0.035, 0.035, 0.04) + PaintColor(0.07, 0.065, 0.06).scaled(ridge * ridge)
            }
            // The pane: jewel colour chosen by ring around the window centre.
            let h = SplitMix64.hash(bestCell.0, bestCell.1, cellSeed ^ 3)
            let siteX = bestX / grid - centreX, siteY = bestY / grid - centreY
            let ring = (siteX * siteX + siteY * siteY).squareRoot()
            let colour = Self.paneColour(ring: ring, hash: h)
            // Streaky glass along a per-pane direction, plus a backlit glow at the centre.
            let angle = Float(h >> 40 & 0xff) / 255 * Float.pi
            let along = px * cosf(angle) + py * sinf(angle)
            let across = -px * sinf(angle) + py * cosf(angle)
            let streak = streaks.fractal(along * 9, across * 70, octaves: 3)
            let density = streaks.fractal(px * 14 + 50, py * 14, octaves: 3)
            let seeds = streaks.value(px * 160 - 20, py * 160)
            let glow = 1.12 - 0.5 * min(best, 0.5)
            let rim = smoothstep(leadHalfWidth, leadHalfWidth * 5, edgeDistance)
            let light = glow * (0.62 + 0.38 * rim) * (1 + 0.2 * streak + 0.22 * density)
                * (1 - 0.12 * smoothstep(0.55, 0.8, seeds))
            let glint = max(0, streak - 0.4) * 0.45 * rim
            // Thick glass passes more light where it is thin: brighten towards white a little.
            let lifted = colour.scaled(light) + PaintColor(1, 0.96, 0.86).scaled(glint)
            return lifted.clamped
        }
        return canvas.image
    }

    /// The Voronoi site of grid cell (i, j), in grid units.
    static func site(_ i: Int, _ j: Int, _ seed: UInt64) -> (Float, Float) {
        let h = SplitMix64.hash(i, j, seed)
        let jx = Float(h & 0xffff) / 65535, jy = Float(h >> 16 & 0xffff) / 65535
        return (Float(i) + 0.1 + 0.8 * jx, Float(j) + 0.1 + 0.8 * jy)
    }

    /// Jewel for a pane: gold near the centre, ruby then sapphire rings outwards, with accents.
    static func paneColour(ring: Float, hash: UInt64) -> PaintColor {
        let pick = Float(hash >> 8 & 0xffff) / 65535
        let tint = Float(hash >> 24 & 0xffff) / 65535
        let colour: PaintColor
        if pick < 0.22 {
            colour = jewels[Int(hash >> 48) % jewels.count]
        } else if ring < 0.16 {
            colour = tint < 0.6 ? jewels[6] : jewels[3]
        } else if ring < 0.34 {
            colour = tint < 0.65 ? jewels[0] : jewels[4]
        } else if ring < 0.5 {
            colour = tint < 0.55 ? jewels[2] : jewels[7]
        } else {
            colour = tint < 0.6 ? jewels[1] : jewels[5]
        }
        let shifted = colour.mixed(with: jewels[Int(hash >> 56) % jewels.count], 0.18 * tint)
        return shifted.scaled(0.72 + 0.4 * tint)
    }
}
