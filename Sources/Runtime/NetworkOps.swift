import CKernels
import Foundation

/// What follows a convolution or a normalisation in the same pass.
public enum Activation: Int32, Sendable, Codable {
    case none = 0, relu = 1, relu6 = 2, sigmoid = 3
}

/// How `padded` fills the border.
public enum PaddingMode: Int32, Sendable, Codable {
    /// Zeros (TF "SAME", ONNX Conv pads).
    case zero = 0
    /// Reflection without repeating the edge (numpy "reflect"), mirrored as often as needed.
    case reflect = 1
}

/// A convolution of any square kernel size and stride with no padding of its own (pad the
/// input first with `padded`), bias and activation fused; weights [out][in][k][k]. Depthwise
/// 3x3 layers (one input channel per output channel) use their own kernel.
public final class GeneralConv: @unchecked Sendable {
    /// Output channels.
    public let outChannels: Int
    /// Input channels (equal to `outChannels` for a depthwise layer).
    public let inChannels: Int
    /// Kernel size k (k x k).
    public let kernelSize: Int
    /// Stride in both directions.
    public let stride: Int
    /// Whether each output channel reads only its own input channel.
    public let depthwise: Bool
    private let weight: [Float]
    private let bias: [Float]?
    /// The weights transformed for the nested Winograd kernel (k x k stride 1, k = 6, 9, 12,
    /// AVX2/FMA), or nil where it does not apply.
    let nestedWeights: [Float]?

    /// A layer from weights laid out [out][in / groups][k][k]; `depthwise` needs k == 3.
    public init(weight: [Float], bias: [Float]?, outChannels: Int, inChannels: Int, kernelSize: Int,
                stride: Int, depthwise: Bool = false) throws {
        guard outChannels > 0, inChannels > 0 else {
            throw ConvError.badChannelCount(outChannels: outChannels, inChannels: inChannels)
        }
        guard kernelSize > 0, stride > 0, !depthwise || (kernelSize == 3 && inChannels == outChannels) else {
            throw ConvError.unsupportedKernelSize(kernelSize)
        }
        let expected = outChannels * (depthwise ? 1 : inChannels) * kernelSize * kernelSize
        guard weight.count == expected else { throw ConvError.weightCount(expected: expected, actual: weight.count) }
        if let bias, bias.count != outChannels { throw ConvError.biasCount(expected: outChannels, actual: bias.count) }
        self.weight = weight
        self.bias = bias
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.depthwise = depthwise
        nestedWeights = Self.nestedWeights(weight, outChannels: outChannels, inChannels: inChannels,
                                           kernelSize: kernelSize, stride: stride, depthwise: depthwise)
    }

    /// Runs `body` with pointers to the weights and the bias (nil when there is none).
    func weightAndBias<R>(_ body: (UnsafePointer<Float>, UnsafePointer<Float>?) -> R) -> R {
        weight.withUnsafeBufferPointer { w in withOptionalPointer(bias) { body(w.baseAddress!, $0) } }
    }

    /// The output size for an (already padded) h x w input.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        ((height - kernelSize) / stride + 1, (width - kernelSize) / stride + 1)
    }

    /// Convolves an already padded input (inChannels x H x W, H and W at least the kernel size).
    public func forward(_ input: Tensor, activation: Activation = .none, pool: WorkerPool = .shared) throws -> Tensor {
        guard input.channels == inChannels else {
            throw ConvError.inputChannels(expected: inChannels, actual: input.channels)
        }
        guard input.height >= kernelSize, input.width >= kernelSize else {
            throw ConvError.inputTooSmall(height: input.height, width: input.width)
        }
        let (ho, wo) = outputSize(height: input.height, width: input.width)
        if let nestedWeights, wo >= Self.nestedMinimumWidth {
            return forwardNested(input, weights: nestedWeights, activation: activation, pool: pool)
        }
        let (hp, wp) = (input.height, input.width)
        let (k, s, cin, cout, act) = (Int32(kernelSize), Int32(stride), Int32(inChannels), Int32(outChannels), activation.rawValue)
        var out = [Float](unsafeUninitializedCapacity: outChannels * ho * wo) { _, n in n = outChannels * ho * wo }
        input.data.withUnsafeBufferPointer { src in
            weight.withUnsafeBufferPointer { w in
                withOptionalPointer(bias) { b in
                    out.withUnsafeMutableBufferPointer { dst in
                        let (sp, wptr, dp) = (src.baseAddress!, w.baseAddress!, dst.baseAddress!)
                        if depthwise {
                            pool.forChannelRanges(outChannels) { c0, c1 in
                                ak_depthwise3_valid(sp, Int32(hp), Int32(wp), wptr, b, s, dp, Int32(ho), Int32(wo), act, c0, c1)
                            }
                            return
                        }
                        // The direct kernels need no im2col: four tall bands per thread, so the
                        // input rows two neighbouring bands share are read once per band, not once
                        // per few output rows (3-row bands of a 9x9 layer cost ~1.5x in CPU time).
                        // The sgemm path: bands whose im2col scratch stays near 4 MB, halves at
                        // most, NOT following the thread count: OpenBLAS sums in another order for
                        // other matrix sizes, and a picture must not change with the threads.
                        let perRow = max(1, inChannels * kernelSize * kernelSize * wo)
                        let rows = ak_conv_valid_direct(k, s) != 0
                            ? max(1, (ho + 4 * pool.threadCount - 1) / (4 * pool.threadCount))
                            : max(1, min((1 << 20) / perRow, (ho + 1) / 2))
                        let scratchCount = Int(ak_conv_valid_scratch(cin, k, s, Int32(rows), Int32(wp), Int32(wo)))
                        // Bands go to whichever thread is free: one held up by other work on the
                        // machine leaves the rest to the others.
                        pool.forEachBand(height: ho, rows: rows, scratchFloats: scratchCount) { y0, y1, scratch in
                            ak_conv_valid_rows(sp, cin, Int32(hp), Int32(wp), wptr, b, cout, k, s, dp,
                                               Int32(ho), Int32(wo), Int32(y0), Int32(y1), act, scratch)
                            return true
                        }
                    }
                }
            }
        }
        return Tensor(channels: outChannels, height: ho, width: wo, data: out)
    }
}

/// A per-channel instance norm and activation, `act((x - mean) * scale + shift)`, that a layer
/// applies to its input as it reads it (`Tensor.instanceNormalisation` makes one).
public struct InputNormalisation: Sendable {
    /// Per channel: the mean, gamma / sqrt(variance + epsilon), beta.
    public var mean: [Float], scale: [Float], shift: [Float]
    /// The activation after the affine.
    public var activation: Activation

    /// [mean, scale, shift] back to back, as the kernels read them.
    var packed: [Float] { mean + scale + shift }
}

extension GeneralConv {
    /// Whether `forward(_:reflectPad:activation:reading:)` can apply an input normalisation
    /// with `activation` while it gathers an h x w input reflect-padded by `pad` (a 3x3
    /// stride-2 layer on a CPU with AVX2/FMA); otherwise the caller normalises first.
    public func readsNormalised(height h: Int, width w: Int, pad: Int, activation: Activation,
                                normActivation: Activation) -> Bool {
        reflectsWhileGathering(height: h, width: w, pad: pad, activation: activation)
            && [.none, .relu, .relu6].contains(normActivation) && ak_conv_valid_direct(3, 2) != 0
    }

    private func reflectsWhileGathering(height h: Int, width w: Int, pad: Int, activation: Activation) -> Bool {
        kernelSize == 3 && stride == 2 && !depthwise && pad > 0 && pad < min(h, w)
            && [.none, .relu, .relu6].contains(activation)
    }

    /// Convolves `input` read as if reflect-padded by `pad` on every side. A 3x3 stride-2 layer
    /// reflects while it gathers its rows (no padded copy of the map is made); every other
    /// layer, or a CPU without AVX2/FMA, pads first and runs `forward`. With `norm` (only where
    /// `readsNormalised` says so) every input value goes through it as it is gathered: the
    /// result equals normalising the input first, bit for bit, without a pass over the map.
    public func forward(_ input: Tensor, reflectPad pad: Int, activation: Activation = .none,
                        reading norm: InputNormalisation? = nil, pool: WorkerPool = .shared) throws -> Tensor {
        let (h, w) = (input.height, input.width)
        if let norm {
            precondition(readsNormalised(height: h, width: w, pad: pad, activation: activation, normActivation: norm.activation)
                         && norm.mean.count == inChannels, "a layer that cannot normalise its input was given a norm")
        }
        let direct = reflectsWhileGathering(height: h, width: w, pad: pad, activation: activation) && input.channels == inChannels
        guard direct, let out = try reflectedStride2(input, pad: pad, activation: activation, norm: norm, pool: pool) else {
            precondition(norm == nil, "the stride-2 kernel declined a normalised input")
            return try forward(input.padded(top: pad, left: pad, bottom: pad, right: pad, mode: .reflect, pool: pool),
                               activation: activation, pool: pool)
        }
        return out
    }

    /// A 3x3 stride-2 layer on `input` zero-padded TF "SAME" on an even map: one row and one
    /// column, below and on the right (MobileNetV2's stem). On AVX2/FMA the padding happens as
    /// the rows are split (no padded copy, the same sums); otherwise pads first and runs `forward`.
    public func forward(_ input: Tensor, zeroPadBottomRight activation: Activation, pool: WorkerPool = .shared) throws -> Tensor {
        let (h, w) = (input.height, input.width)
        if kernelSize == 3 && stride == 2 && !depthwise && h % 2 == 0 && w % 2 == 0 && input.channels == inChannels
            && [.none, .relu, .relu6].contains(activation),
           let out = zeroPaddedStride2(input, activation: activation, pool: pool) {
            return out
        }
        return try forward(input.padded(top: 0, left: 0, bottom: 1, right: 1, mode: .zero, pool: pool),
                           activation: activation, pool: pool)
    }

    /// The C kernel behind a TF "SAME" stride-2 layer: `direct` cuts its tiles for many input
    /// channels, `gatheredTaps` (the stem) multiplies a few rows' gathered taps as one 1x1.
    enum ZeroPaddedStride2Kernel { case direct, gatheredTaps }

    /// `forward(_:zeroPadBottomRight:)` on AVX2/FMA through `kernel`, or nil when it declines.
    func zeroPaddedStride2(_ input: Tensor, activation: Activation, pool: WorkerPool,
                           kernel: ZeroPaddedStride2Kernel = .direct) -> Tensor? {
        let (h, w) = (input.height, input.width)
        let (ho, wo) = (h / 2, w / 2)
        let rows = max(1, (ho + 4 * pool.threadCount - 1) / (4 * pool.threadCount))
        let scratchCount = kernel == .direct ? Int(ak_conv_s2_zero_scratch(Int32(inChannels), Int32(rows), Int32(wo)))
                                             : Int(ak_stem_s2_zero_scratch(Int32(inChannels), Int32(wo)))
        let runRows = kernel == .direct ? ak_conv_s2_zero_rows : ak_stem_s2_zero_rows
        var declined = false
        let declinedLock = NSLock()
        var out = [Float](unsafeUninitializedCapacity: outChannels * ho * wo) { _, n in n = outChannels * ho * wo }
        input.data.withUnsafeBufferPointer { src in
            weightAndBias { wptr, b in
                out.withUnsafeMutableBufferPointer { dst in
                    let (sp, dp) = (src.baseAddress!, dst.baseAddress!)
                    pool.forEachBand(height: ho, rows: rows, scratchFloats: scratchCount) { y0, y1, scratch in
                        if runRows(sp, Int32(inChannels), Int32(h), Int32(w), wptr, b, Int32(outChannels),
                                   dp, Int32(ho), Int32(wo), Int32(y0), Int32(y1), activation.rawValue, scratch) != 0 {
                            return true
                        }
                        declinedLock.lock(); declined = true; declinedLock.unlock()
                        return false
                    }
                }
            }
        }
        return declined ? nil : Tensor(channels: outChannels, height: ho, width: wo, data: out)
    }

    /// The stride-2 case of `forward(_:reflectPad:)`, or nil when the kernel declines.
    private func reflectedStride2(_ input: Tensor, pad: Int, activation: Activation, norm: InputNormalisation?,
                                  pool: WorkerPool) throws -> Tensor? {
        let (h, w) = (input.height, input.width)
        let (ho, wo) = outputSize(height: h + 2 * pad, width: w + 2 * pad)
        let rows = max(1, (ho + 4 * pool.threadCount - 1) / (4 * pool.threadCount))
        let scratchCount = Int(ak_conv_s2_reflect_scratch(Int32(inChannels), Int32(rows), Int32(w), Int32(pad)))
        var declined = false
        let declinedLock = NSLock()
        var out = [Float](unsafeUninitializedCapacity: outChannels * ho * wo) { _, n in n = outChannels * ho * wo }
        let packed = norm?.packed, normActivation = norm?.activation.rawValue ?? 0
        input.data.withUnsafeBufferPointer { src in
            weightAndBias { wptr, b in
                out.withUnsafeMutableBufferPointer { dst in
                  withOptionalPointer(packed) { np in
                    let (sp, dp) = (src.baseAddress!, dst.baseAddress!)
                    pool.forEachBand(height: ho, rows: rows, scratchFloats: scratchCount) { y0, y1, scratch in
                        if ak_conv_s2_reflect_rows(sp, Int32(inChannels), Int32(h), Int32(w), Int32(pad), wptr, b,
                                                   Int32(outChannels), dp, Int32(ho), Int32(wo), Int32(y0), Int32(y1),
                                                   activation.rawValue, np, normActivation, scratch) != 0 { return true }
                        declinedLock.lock(); declined = true; declinedLock.unlock()
                        return false
                    }
                  }
                }
            }
        }
        return declined ? nil : Tensor(channels: outChannels, height: ho, width: wo, data: out)
    }
}

extension Tensor {
    /// Pads every channel by any widths with zeros or by reflection (numpy "reflect"; widths
    /// beyond the size mirror back and forth).
    public func padded(top: Int, left: Int, bottom: Int, right: Int, mode: PaddingMode,
                       pool: WorkerPool = .shared) -> Tensor {
        precondition(top >= 0 && left >= 0 && bottom >= 0 && right >= 0, "padding must be non-negative")
        if top == 0 && left == 0 && bottom == 0 && right == 0 { return self }
        var out = Tensor(uninitializedChannels: channels, height: height + top + bottom, width: width + left + right)
        let (h, w) = (Int32(height), Int32(width))
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in
                    ak_pad(s, h, w, Int32(top), Int32(left), Int32(bottom), Int32(right), mode.rawValue, d, c0, c1)
                }
            }
        }
        return out
    }

    /// The activation applied to every value.
    public func activated(_ activation: Activation) -> Tensor {
        var out = self
        let n = count
        out.data.withUnsafeMutableBufferPointer { ak_activate($0.baseAddress!, n, activation.rawValue) }
        return out
    }

    /// Global average pooling: each channel's mean (accumulated in double), as a C x 1 x 1 tensor.
    public func globalAveragePooled(pool: WorkerPool = .shared) -> Tensor {
        var mean = [Double](repeating: 0, count: channels)
        let n = planeSize
        data.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { m in
                let (xp, mp) = (x.baseAddress!, m.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in ak_channel_mean(xp, n, mp, c0, c1) }
            }
        }
        return Tensor(channels: channels, height: 1, width: 1, data: mean.map { Float($0) })
    }

    /// Elementwise sum with a tensor of the same shape.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        var out = a
        out.add(b)
        return out
    }

    /// Adds a tensor of the same shape in place (no copy when this tensor's storage is not
    /// shared), channels spread over `pool`.
    public mutating func add(_ other: Tensor, pool: WorkerPool = .shared) {
        precondition(channels == other.channels && height == other.height && width == other.width, "shapes differ")
        let n = planeSize
        data.withUnsafeMutableBufferPointer { o in
            other.data.withUnsafeBufferPointer { b in
                let (op, bp) = (o.baseAddress!, b.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in
                    let start = Int(c0) * n
                    ak_add(op + start, bp + start, Int(c1 - c0) * n, op + start)
                }
            }
        }
    }

    /// Instance normalisation with affine and activation:
    /// `act((x - mean) / sqrt(var + epsilon) * gamma + beta)`, statistics per channel over the
    /// plane (population variance, double precision) unless `statistics` gives them (a tiled
    /// run passes whole-image statistics). `gamma`/`beta` hold one value per channel, or one
    /// per channel and pixel (C x H x W, for spatial regions).
    public func instanceNormalized(gamma: [Float], beta: [Float], epsilon: Double, activation: Activation = .none,
                                   statistics: (mean: [Double], variance: [Double])? = nil,
                                   pool: WorkerPool = .shared) -> Tensor {
        var out = self
        out.instanceNormalize(gamma: gamma, beta: beta, epsilon: epsilon, activation: activation,
                              statistics: statistics, pool: pool)
        return out
    }

    /// `instanceNormalized` in place: no new map when this tensor's storage is not shared.
    public mutating func instanceNormalize(gamma: [Float], beta: [Float], epsilon: Double, activation: Activation = .none,
                                           statistics: (mean: [Double], variance: [Double])? = nil,
                                           pool: WorkerPool = .shared) {
        let perPixel = gamma.count == count
        precondition((perPixel || gamma.count == channels) && beta.count == gamma.count, "one gamma and beta per channel or per value")
        let (mean, variance) = statistics ?? instanceStatistics(pool: pool)
        let inverse = variance.map { 1 / ($0 + epsilon).squareRoot() }
        let n = planeSize
        data.withUnsafeMutableBufferPointer { x in
            mean.withUnsafeBufferPointer { m in
                inverse.withUnsafeBufferPointer { r in
                    gamma.withUnsafeBufferPointer { g in
                        beta.withUnsafeBufferPointer { b in
                            let (xp, mp, rp, gp, bp) = (x.baseAddress!, m.baseAddress!, r.baseAddress!, g.baseAddress!, b.baseAddress!)
                            pool.forChannelRanges(channels) { c0, c1 in
                                ak_instance_norm(xp, n, mp, rp, gp, bp, perPixel ? 1 : 0, activation.rawValue, xp, c0, c1)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The per-channel affine `instanceNormalize` would apply (same statistics, same float
    /// rounding), for a layer that reads this map normalised; nil when gamma/beta vary per
    /// pixel.
    public func instanceNormalisation(gamma: [Float], beta: [Float], epsilon: Double, activation: Activation = .none,
                                      statistics: (mean: [Double], variance: [Double])? = nil,
                                      pool: WorkerPool = .shared) -> InputNormalisation? {
        guard gamma.count == channels, beta.count == channels else { return nil }
        let (mean, variance) = statistics ?? instanceStatistics(pool: pool)
        let scale = (0..<channels).map { Float(1 / (variance[$0] + epsilon).squareRoot() * Double(gamma[$0])) }
        return InputNormalisation(mean: mean.map { Float($0) }, scale: scale, shift: beta, activation: activation)
    }

    /// Per-channel mean and population variance over the plane, in double precision.
    public func instanceStatistics(pool: WorkerPool = .shared) -> (mean: [Double], variance: [Double]) {
        let (mean, std) = channelStatistics(pool: pool)
        return (mean, std.map { $0 * $0 })
    }
}
