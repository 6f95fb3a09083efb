/// Deterministic pseudo-random floats from a 64-bit linear congruential generator (Knuth's
/// MMIX constants), so the kernel tests' inputs, and their failures, reproduce.
struct LCGFloats {
    private var seed: UInt64

    init(seed: UInt64) { self.seed = seed }

    /// The next float, uniform in [-minus, span - minus): [-1, 1) by default.
    mutating func next(span: Float = 2, minus: Float = 1) -> Float {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Float(seed >> 40) / Float(1 << 24) * span - minus
    }
}
