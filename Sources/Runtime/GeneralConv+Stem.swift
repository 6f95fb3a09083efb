import CKernels
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
              let out = gatheredStride2(input, activation: activation, pool: pool) else {
            return try forward(input, zeroPadBottomRight: activation, pool: pool)
        }
        return out
    }

    private func gatheredStride2(_ input: Tensor, activation: Activation, pool: WorkerPool) -> Tensor? {
        let (h, w) = (input.height, input.width)
        let (ho, wo) = (h / 2, w / 2)
        let rows = max(1, (ho + 4 * pool.threadCount - 1) / (4 * pool.threadCount))
        let scratchCount = Int(ak_stem_s2_zero_scratch(Int32(inChannels), Int32(wo)))
        var declined = false
        let declinedLock = NSLock()
        var out = [Float](unsafeUninitializedCapacity: outChannels * ho * wo) { _, n in n = outChannels * ho * wo }
        input.data.withUnsafeBufferPointer { src in
            weightAndBias { wptr, b in
                out.withUnsafeMutableBufferPointer { dst in
                    let (sp, dp) = (src.baseAddress!, dst.baseAddress!)
                    pool.forEachBand(height: ho, rows: rows, scratchFloats: scratchCount) { y0, y1, scratch in
                        if ak_stem_s2_zero_rows(sp, Int32(inChannels), Int32(h), Int32(w), wptr, b, Int32(outChannels),
                                                dp, Int32(ho), Int32(wo), Int32(y0), Int32(y1), activation.rawValue,
                                                scratch) != 0 { return true }
                        declinedLock.lock(); declined = true; declinedLock.unlock()
                        return false
                    }
                }
            }
        }
        return declined ? nil : Tensor(channels: outChannels, height: ho, width: wo, data: out)
    }
}
