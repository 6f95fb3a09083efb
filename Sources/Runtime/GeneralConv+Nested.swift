import CKernels
import Foundation

extension GeneralConv {
    /// Output widths below this run the direct kernel: the nested Winograd works on strips of
    /// 48 tiles (144 columns) and on narrow maps its empty lanes cost more than it saves.
    static let nestedMinimumWidth = 48

    /// `weight` transformed for `ak_conv_nested_rows`, or nil when the layer or the CPU cannot
    /// run it (the direct kernel then runs as before).
    static func nestedWeights(_ weight: [Float], outChannels: Int, inChannels: Int, kernelSize: Int,
                              stride: Int, depthwise: Bool) -> [Float]? {
        guard !depthwise,
              ak_conv_nested_eligible(Int32(kernelSize), Int32(stride), Int32(inChannels), Int32(outChannels)) != 0 else {
            return nil
        }
        let count = Int(ak_conv_nested_pack_floats(Int32(outChannels), Int32(inChannels), Int32(kernelSize)))
        return [Float](unsafeUninitializedCapacity: count) { packed, n in
            ak_conv_nested_pack(weight, Int32(outChannels), Int32(inChannels), Int32(kernelSize), packed.baseAddress!)
            n = count
        }
    }

    /// `forward` on the nested Winograd kernel: bands of whole 3-row tiles, several per thread,
    /// handed out in order to whichever thread is free (a thread slowed by other work does not
    /// hold up the layer).
    func forwardNested(_ input: Tensor, weights: [Float], activation: Activation, pool: WorkerPool) -> Tensor {
        let (ho, wo) = outputSize(height: input.height, width: input.width)
        let (hp, wp) = (input.height, input.width)
        let rows = 3 * max(1, (ho + 12 * pool.threadCount - 1) / (12 * pool.threadCount))
        let scratchCount = Int(ak_conv_nested_scratch(Int32(inChannels), Int32(kernelSize)))
        var out = [Float](unsafeUninitializedCapacity: outChannels * ho * wo) { _, n in n = outChannels * ho * wo }
        input.data.withUnsafeBufferPointer { src in
            weights.withUnsafeBufferPointer { u in
                weightAndBias { _, b in
                    out.withUnsafeMutableBufferPointer { dst in
                        let (sp, up, dp) = (src.baseAddress!, u.baseAddress!, dst.baseAddress!)
                        pool.forEachBand(height: ho, rows: rows, scratchFloats: scratchCount) { y0, y1, scratch in
                            ak_conv_nested_rows(sp, Int32(inChannels), Int32(hp), Int32(wp), up, b, Int32(outChannels),
                                                Int32(kernelSize), dp, Int32(ho), Int32(wo), Int32(y0), Int32(y1),
                                                activation.rawValue, scratch)
                            return true
                        }
                    }
                }
            }
        }
        return Tensor(channels: outChannels, height: ho, width: wo, data: out)
    }
}
