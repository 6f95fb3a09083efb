import Foundation

/// SplitMix64: a tiny, fast, seedable pseudo-random generator (Steele, Lea and Flood 2014).
///
/// Paintings use it instead of the system generator so their output is fixed by the seed on
/// every platform and Swift version.
public struct SplitMix64: Sendable {
    /// The generator's internal state; advanced by a fixed odd constant on every draw.
    public private(set) var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for one named stream of a seed, so two uses of one seed do not correlate.
    public init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream name
        for byte in stream.utf8 {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        state = SplitMix64.mix(seed ^ h)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        return SplitMix64.mix(state)
    }

    /// A uniform value in [0, 1).
    public mutating func unit() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform value in [`low`, `high`).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * unit()
    }

    /// A uniform integer in 0..<`count` (`count` must be positive).
    public mutating func index(below count: Int) -> Int {
        Int((next() >> 11) % UInt64(count))
    }

    /// A standard normal value (Box-Muller).
    public mutating func normal() -> Float {
        let u = max(unit(), 1e-7)
        let v = unit()
        return (-2 * logf(u)).squareRoot() * cosf(2 * Float.pi * v)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Float) -> Bool {
        unit() < p
    }

    /// The SplitMix64 finaliser: a bijective scramble of 64 bits.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A stateless hash of a lattice point and a seed, for per-cell randomness.
    public static func hash(_ x: Int, _ y: Int, _ seed: UInt64) -> UInt64 {
        mix(seed ^ mix(UInt64(bitPattern: Int64(x)) &* 0x9e37_79b9_7f4a_7c15
            ^ UInt64(bitPattern: Int64(y)) &* 0xc2b2_ae3d_27d4_eb4f))
    }

    /// `hash` mapped to a uniform value in [0, 1).
    public static func unitHash(_ x: Int, _ y: Int, _ seed: UInt64) -> Float {
        Float(hash(x, y, seed) >> 40) * (1.0 / 16_777_216.0)
    }
}
