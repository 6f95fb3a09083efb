import CKernels
import Foundation

extension GeneralConv {
    /// A 1x1 stride-1 layer with its output channels split over the pool (one dispatch, the
    /// AVX2 1x1 tiles with bias and activation fused): for small maps with many channels, such
    /// as the style predictor's head, where row bands would leave each thread a sliver. Any
    /// other layer, activation or CPU runs `forward`.
    public func forwardSplittingChannels(_ input: Tensor, activation: Activation = .none,
                                         pool: WorkerPool = .shared) throws -> Tensor {
        guard kernelSize == 1, stride == 1, !depthwise, input.channels == inChannels,
              [.none, .relu, .relu6].contains(activation) else {
            return try forward(input, activation: activation, pool: pool)
        }
        let n = input.planeSize
        let parts = max(1, min(pool.threadCount, (outChannels + 5) / 6))
        var declined = false
        let declinedLock = NSLock()
        var out = [Float](unsafeUninitializedCapacity: outChannels * n) { _, count in count = outChannels * n }
        input.data.withUnsafeBufferPointer { src in
            weightAndBias { w, b in
                out.withUnsafeMutableBufferPointer { dst in
                    let (sp, dp) = (src.baseAddress!, dst.baseAddress!)
                    // Whole tiles of 6 channels per part, as even as they divide.
                    let tiles = (outChannels + 5) / 6
                    let first = (0...parts).map { min(outChannels, 6 * ($0 * tiles / parts)) }
                    pool.parallelFor(parts) { part in
                        let (c0, c1) = (first[part], first[part + 1])
                        guard c1 > c0 else { return }
                        if ak_pointwise(sp, n, Int32(inChannels), Int32(n), w + c0 * inChannels, b.map { $0 + c0 }, Int32(c1 - c0),
                                        nil, 0, dp + c0 * n, n, activation.rawValue) == 0 {
                            declinedLock.lock(); declined = true; declinedLock.unlock()   // no AVX2/FMA
                        }
                    }
                }
            }
        }
        guard !declined else { return try forward(input, activation: activation, pool: pool) }
        return Tensor(channels: outChannels, height: input.height, width: input.width, data: out)
    }
}
