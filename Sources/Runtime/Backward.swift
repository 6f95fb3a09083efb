import CKernels

/// The gradient of a frozen `Conv2D` with respect to its input (weights and bias fixed, so the
/// bias drops out): the adjoint convolution, run on the forward kernels.
///
/// A 3x3 layer with reflection padding computes y = W ⋆ R(x), R padding one pixel by
/// reflection. Its adjoint is dx = Rᵀ(Wᵀ ⋆_full dy): the output gradient is zero-padded by two,
/// convolved (by the same packed kernels, reflection never reached) with the transposed,
/// flipped weights, and every padded row and column is folded back onto the row or column it
/// reflects. A 1x1 layer's adjoint is the 1x1 convolution with transposed weights.
public final class ConvBackward: @unchecked Sendable {
    /// The forward layer.
    public let forward: Conv2D
    /// Its adjoint: inChannels <- outChannels, weights transposed and flipped, no bias.
    public let adjoint: Conv2D

    /// Packs the adjoint of `forward`.
    public init(_ forward: Conv2D) throws {
        self.forward = forward
        var weights = [Float](repeating: 0, count: forward.outChannels * forward.inChannels
                                                     * forward.kernelSize * forward.kernelSize)
        weights.withUnsafeMutableBufferPointer { ak_conv_adjoint_weights(forward.layer, $0.baseAddress) }
        adjoint = try Conv2D(weight: weights, bias: [Float](repeating: 0, count: forward.inChannels),
                             outChannels: forward.inChannels, inChannels: forward.outChannels,
                             kernelSize: forward.kernelSize)
    }

    /// Multiply-adds times two of one backward pass over an h x w map (the padded map's size).
    public func flops(height: Int, width: Int) -> Double {
        let pad = forward.kernelSize == 3 ? 4 : 0
        return adjoint.flops(height: height + pad, width: width + pad)
    }

    /// dL/dx for dL/dy = `outputGradient` (outChannels x H x W, before any ReLU: apply
    /// `reluBackward` first when the layer has one).
    public func inputGradient(_ outputGradient: Tensor, pool: WorkerPool = .shared) throws -> Tensor {
        precondition(outputGradient.channels == forward.outChannels, "gradient channels differ from the layer's output")
        if forward.kernelSize == 1 { return try adjoint.forward(outputGradient, relu: false, pool: pool) }
        let (h, w) = (outputGradient.height, outputGradient.width)
        let padded = outputGradient.zeroPadded(2, pool: pool)
        let big = try adjoint.forward(padded, relu: false, pool: pool)
        var out = Tensor(channels: forward.inChannels, height: h, width: w)
        big.data.withUnsafeBufferPointer { b in
            out.data.withUnsafeMutableBufferPointer { o in
                let (bp, op) = (b.baseAddress!, o.baseAddress!)
                pool.forChannelRanges(forward.inChannels) { c0, c1 in
                    ak_reflect_pad_adjoint(bp, Int32(h), Int32(w), op, c0, c1)
                }
            }
        }
        return out
    }
}

extension Tensor {
    /// Zero padding by `p` pixels on every side.
    public func zeroPadded(_ p: Int, pool: WorkerPool = .shared) -> Tensor {
        var out = Tensor(channels: channels, height: height + 2 * p, width: width + 2 * p)
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in ak_pad_zero(s, Int32(h), Int32(w), Int32(p), Int32(p), Int32(p), Int32(p), d, c0, c1) }
            }
        }
        return out
    }

    /// ReLU backward in place: zeroes this gradient wherever the layer's output `output` is not
    /// positive (ReLU's output is positive exactly where its input was).
    public mutating func reluBackward(output: Tensor) {
        precondition(output.count == count, "shapes differ")
        let n = count
        output.data.withUnsafeBufferPointer { y in
            data.withUnsafeMutableBufferPointer { g in ak_relu_backward(y.baseAddress!, g.baseAddress!, n) }
        }
    }

    /// The gradient of a 2x2 max pool's input: each value of `outputGradient` goes to the
    /// element of this tensor (the pool's input) the forward pass took.
    public func maxPoolBackward(_ outputGradient: Tensor, pool: WorkerPool = .shared) -> Tensor {
        precondition(outputGradient.channels == channels && outputGradient.height == height / 2
                     && outputGradient.width == width / 2, "gradient shape differs from the pool's output")
        var out = Tensor(channels: channels, height: height, width: width)
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            outputGradient.data.withUnsafeBufferPointer { g in
                out.data.withUnsafeMutableBufferPointer { dst in
                    let (s, gp, d) = (src.baseAddress!, g.baseAddress!, dst.baseAddress!)
                    pool.forChannelRanges(channels) { c0, c1 in ak_maxpool2_backward(s, Int32(h), Int32(w), gp, d, c0, c1) }
                }
            }
        }
        return out
    }
}
