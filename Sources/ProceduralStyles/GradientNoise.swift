import Foundation

/// Seeded 2-D gradient (Perlin) noise and its fractal sum: the smooth random fields that drive
/// flow directions, tones and textures in the paintings.
public struct GradientNoise: Sendable {
    /// Doubled permutation table (512 entries) so lattice hashing never wraps.
    private let permutation: [Int32]
    /// Unit gradient per hashed lattice point: x components.
    private let gradientX: [Float]
    /// Unit gradient per hashed lattice point: y components.
    private let gradientY: [Float]

    /// A noise field fixed by `seed`.
    public init(seed: UInt64) {
        var random = SplitMix64(seed: seed, stream: "gradient-noise")
        var table = Array(Int32(0)..<256)
        for i in stride(from: 255, to: 0, by: -1) {
            table.swapAt(i, random.index(below: i + 1))
        }
        permutation = table + table
        var gx = [Float](repeating: 0, count: 256)
        var gy = [Float](repeating: 0, count: 256)
        for i in 0..<256 {
            let angle = random.uniform(0, 2 * Float.pi)
            gx[i] = cosf(angle)
            gy[i] = sinf(angle)
        }
        gradientX = gx
        gradientY = gy
    }

    /// Noise at (x, y): smooth, about one feature per unit, values roughly in [-1, 1].
    public func value(_ x: Float, _ y: Float) -> Float {
        sample(x, y)
    }

    func sample(_ x: Float, _ y: Float) -> Float {
        let fx = x.rounded(.down)
        let fy = y.rounded(.down)
        let ix = Int(Int32(truncatingIfNeeded: Int(fx)) & 255)
        let iy = Int(Int32(truncatingIfNeeded: Int(fy)) & 255)
        let dx = x - fx
        let dy = y - fy
        let u = dx * dx * dx * (dx * (dx * 6 - 15) + 10)
        let v = dy * dy * dy * (dy * (dy * 6 - 15) + 10)
        return permutation.withUnsafeBufferPointer { p in
            gradientX.withUnsafeBufferPointer { gx in
                gradientY.withUnsafeBufferPointer { gy in
                    let a = Int(p[ix]), b = Int(p[ix + 1])
                    let h00 = Int(p[a + iy]), h01 = Int(p[a + iy + 1])
                    let h10 = Int(p[b + iy]), h11 = Int(p[b + iy + 1])
                    let n00 = gx[h00] * dx + gy[h00] * dy
                    let n10 = gx[h10] * (dx - 1) + gy[h10] * dy
                    let n01 = gx[h01] * dx + gy[h01] * (dy - 1)
                    let n11 = gx[h11] * (dx - 1) + gy[h11] * (dy - 1)
                    let nx0 = n00 + (n10 - n00) * u
                    let nx1 = n01 + (n11 - n01) * u
                    return (nx0 + (nx1 - nx0) * v) * 1.42
                }
            }
        }
    }

    /// Fractal sum of `octaves` layers, each `lacunarity` times finer and `gain` times weaker,
    /// normalised so values stay roughly in [-1, 1].
    public func fractal(_ x: Float, _ y: Float, octaves: Int,
                        lacunarity: Float = 2, gain: Float = 0.5) -> Float {
        var sum: Float = 0
        var amplitude: Float = 1
        var total: Float = 0
        var frequency: Float = 1
        for octave in 0..<octaves {
            // Offset each octave so lattice points of different octaves do not line up.
            let shift = Float(octave) * 17.31
            sum += amplitude * sample(x * frequency + shift, y * frequency - shift)
            total += amplitude
            amplitude *= gain
            frequency *= lacunarity
        }
        return sum / total
    }
}
