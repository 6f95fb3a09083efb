import CKernels
import Foundation

/// A 3x3 stride-1 convolution, reflection-padded by 1, of a nearest-2x-upsampled map, computed
/// from the map itself: each of the four output phases is a 2x2 convolution of the
/// edge-repeated input (4 multiply-adds per input channel instead of 9, and the upsampled map is
/// never made). The expand layers of the style networks. Sums equal upsample-then-convolve
/// within float rounding (the 3x3 weights are summed in pairs once, in double).
public final class UpsamplingConv: @unchecked Sendable {
    /// Output channels.
    public let outChannels: Int
    /// Input channels.
    public let inChannels: Int
    private let packed: [Float]
    private let bias: [Float]?

    /// The layer of `weight` ([out][in][3][3]) and `bias` (nil: none), or nil when this CPU
    /// lacks AVX2/FMA (the caller upsamples and convolves instead).
    public init?(weight: [Float], bias: [Float]?, outChannels: Int, inChannels: Int) {
        guard weight.count == outChannels * inChannels * 9, bias.map({ $0.count == outChannels }) ?? true,
              ak_upconv3_eligible(Int32(inChannels), Int32(outChannels)) != 0 else { return nil }
        let count = Int(ak_upconv3_pack_floats(Int32(outChannels), Int32(inChannels)))
        packed = [Float](unsafeUninitializedCapacity: count) { p, n in
            ak_upconv3_pack(weight, Int32(outChannels), Int32(inChannels), p.baseAddress!)
            n = count
        }
        self.bias = bias
        self.outChannels = outChannels
        self.inChannels = inChannels
    }

    /// Whether `forward` runs `activation` (none, ReLU, ReLU6); otherwise upsample and convolve.
    public static func fuses(_ activation: Activation) -> Bool { [.none, .relu, .relu6].contains(activation) }

    /// The convolution of `input` (inChannels x H x W) upsampled to 2H x 2W: outChannels x 2H x 2W,
    /// bias and `activation` (one that `fuses` says yes to) applied. Bands of input rows go to
    /// whichever thread is free.
    public func forward(_ input: Tensor, activation: Activation, pool: WorkerPool = .shared) -> Tensor {
        precondition(input.channels == inChannels && Self.fuses(activation), "an upsampling conv got a wrong input or activation")
        let (h, w) = (input.height, input.width)
        let rows = max(1, (h + 4 * pool.threadCount - 1) / (4 * pool.threadCount))
        let scratchCount = Int(ak_upconv3_scratch(Int32(inChannels), Int32(outChannels), Int32(w)))
        let count = outChannels * 4 * h * w
        var out = [Float](unsafeUninitializedCapacity: count) { _, n in n = count }
        input.data.withUnsafeBufferPointer { src in
            packed.withUnsafeBufferPointer { u in
                withOptionalPointer(bias) { b in
                    out.withUnsafeMutableBufferPointer { dst in
                        let (sp, up, dp) = (src.baseAddress!, u.baseAddress!, dst.baseAddress!)
                        pool.forEachBand(height: h, rows: rows, scratchFloats: scratchCount) { i0, i1, scratch in
                            let done = ak_upconv3_rows(sp, Int32(inChannels), Int32(h), Int32(w), up, b, Int32(outChannels),
                                                       dp, Int32(i0), Int32(i1), activation.rawValue, scratch)
                            precondition(done != 0, "the upsampling kernel declined after init accepted")
                            return true
                        }
                    }
                }
            }
        }
        return Tensor(channels: outChannels, height: 2 * h, width: 2 * w, data: out)
    }
}
