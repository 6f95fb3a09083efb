import Foundation

extension GeneralConv {
    /// Input channels at most this many run `forwardStem` as a 1x1 layer over gathered taps.
    static let stemChannels = 4

    /// `forward(_:zeroPadBottomRight:)` for a 3x3 stride-2 layer on few input channels (the
    /// style predictor's stem, 3 -> 32): the taps of a few output rows are gathered and
    /// multiplied as one small matrix product (`ak_stem_s2_zero_rows`), the same sums in the same
    /// order as the direct kernel, whose tiles are cut for many input channels. Other layers,
    /// odd sizes and CPUs without AVX2/FMA take `forward(_:zeroPadBottomRight:)`.
    public func forwardStem(_ input: Tensor, activation: Activation, pool: WorkerPool = .shared) throws -> Tensor {
        let (h, w) = (input.height, input.width)
        guard kernelSize == 3, stride == 2, !depthwise, inChannels <= Self.stemChannels, input.channels == inChannels,
              h % 2 == 0, w % 2 == 0, [.none, .relu, .relu6].contains(activation),
              let out = zeroPaddedStride2(input, activation: activation, pool: pool, kernel: .gatheredTaps) else {
            return try forward(input, zeroPadBottomRight: activation, pool: pool)
        }
        return out
    }
}
