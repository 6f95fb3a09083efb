import Foundation
import Imaging

/// A canvas with a height map, for paint that stands up off the surface: strokes are dragged
/// along paths with bristle grooves, then the relief is lit from the upper left.
struct StrokeSurface {
    var canvas: Canvas
    /// Paint height per pixel, in arbitrary units.
    var relief: [Float]
    /// Pixels per unit of the shorter side.
    let side: Float

    init(width: Int, height: Int, side: Float) {
        canvas = Canvas(width: width, height: height, fill: PaintColor(0, 0, 0))
        relief = [Float](repeating: 0, count: width * height)
        self.side = side
    }

    /// Lays an underpainting: `colour(x, y)` with x and y in units of the shorter side.
    mutating func underpaint(_ colour: (Float, Float) -> PaintColor) {
        let side = self.side
        canvas = Canvas(width: canvas.width, height: canvas.height) { x, y in
            colour((Float(x) + 0.5) / side, (Float(y) + 0.5) / side).scaled(0.8)
        }
    }

    /// Drags a loaded brush along `path` (points in units of the shorter side).
    mutating func drag(path: [(Float, Float)], halfWidth: Float, colour: PaintColor, bristleSeed: UInt64) {
        guard path.count >= 2 else { return }
        let width = canvas.width, height = canvas.height, n = canvas.planeSize
        let radius = halfWidth * side
        // Bristle grooves: a fixed random profile across the brush.
        var bristles = [Float](repeating: 0, count: 16)
        var random = SplitMix64(seed: bristleSeed)
        for i in 0..<16 { bristles[i] = random.uniform(-1, 1) }
        let last = Float(path.count - 1)
        canvas.pixels.withUnsafeMutableBufferPointer { p in
            relief.withUnsafeMutableBufferPointer { h in
                for index in 0..<(path.count - 1) {
                    let (ax, ay) = path[index], (bx, by) = path[index + 1]
                    let tx = bx - ax, ty = by - ay
                    let length = (tx * tx + ty * ty).squareRoot() + 1e-6
                    let nx = -ty / length, ny = tx / length
                    let cx = ax * side, cy = ay * side
                    // Strokes taper at both ends; paint runs thin towards the tail.
                    let progress = Float(index) / last
                    let taper = min(1, min(progress, 1 - progress) * 5 + 0.35)
                    let r = radius * taper
                    let load = 1.15 - 0.4 * progress
                    let x0 = max(0, Int(cx - r - 1)), x1 = min(width - 1, Int(cx + r + 1))
                    let y0 = max(0, Int(cy - r - 1)), y1 = min(height - 1, Int(cy + r + 1))
                    if x0 > x1 || y0 > y1 { continue }
                    for y in y0...y1 {
                        for x in x0...x1 {
                            let dx = Float(x) + 0.5 - cx, dy = Float(y) + 0.5 - cy
                            let d2 = dx * dx + dy * dy
                            if d2 > (r + 0.5) * (r + 0.5) { continue }
                            let coverage = saturate(r + 0.5 - d2.squareRoot())
                            let across = (dx * nx + dy * ny) / radius  // -1...1 across the brush
                            let slot = min(15, max(0, Int((across * 0.5 + 0.5) * 15.99)))
                            let groove = bristles[slot]
                            let i = y * width + x
                            let shade = 0.9 + 0.12 * groove
                            p[i] += (colour.r * shade - p[i]) * coverage
                            p[n + i] += (colour.g * shade - p[n + i]) * coverage
                            p[2 * n + i] += (colour.b * shade - p[2 * n + i]) * coverage
                            let body = max(0, 1 - across * across)
                            let top = load * (0.6 * body.squareRoot() + 0.4) + 0.25 * groove
                            h[i] += (top - h[i]) * coverage
                        }
                    }
                }
            }
        }
    }

    /// The painting lit from the upper left, with glints on the ridges.
    func lit() -> RGBImage {
        var out = canvas
        let width = canvas.width, height = canvas.height
        let scale = side / 1024
        let h = relief
        out.apply { x, y, colour in
            let xl = max(x - 1, 0), xr = min(x + 1, width - 1)
            let yu = max(y - 1, 0), yd = min(y + 1, height - 1)
            let gx = (h[y * width + xr] - h[y * width + xl]) / scale
            let gy = (h[yd * width + x] - h[yu * width + x]) / scale
            // Light from the upper left: slopes facing it brighten.
            let facing = (gx * 0.7 + gy * 0.7) * -0.35
            let shade = 1 + max(-0.45, min(0.4, facing))
            let glint = max(0, facing - 0.25) * 0.7
            return (colour.scaled(shade) + PaintColor(1, 1, 0.95).scaled(glint)).clamped
        }
        return out.image
    }
}
