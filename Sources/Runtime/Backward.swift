import CKernels

/// The gradient of a frozen `Conv2D` with respect to its input (weights and bias fixed, so the
/// bias drops out): the adjoint convolution, run on the forward kernels.
///
/// A 3x3 layer with reflection padding computes y = W ⋆ R(x), R padding one pixel by
/// reflection. Its adjoint is dx = Rᵀ(Wᵀ ⋆_full dy). The transposed, flipped weights run as a
/// ZERO-padded 3x3 convolution on dy itself (the same packed Winograd/direct kernels, no copy
/// of dy): that gives the gradient of the padded input at rows 1 … H and columns 1 … W, i.e. at
/// x's own pixels. The padded ring (rows 0 and H+1, columns 0 and W+1) is a 1-D sum over one
/// edge row or column of dy each, added onto the row or column it reflects
/// (`ak_conv_adjoint_ring`). A backward pass's next steps (adding a tapped feature's own
/// gradient, the previous layer's ReLU backward) happen at the adjoint's store. A zero-padded layer's adjoint has no ring. A 1x1 layer's adjoint
/// is the 1x1 convolution with transposed weights.
public final class ConvBackward: @unchecked Sendable {
    /// The forward layer.
    public let forward: Conv2D
    /// Its adjoint: inChannels <- outChannels, weights transposed and flipped, no bias, zero padding.
    public let adjoint: Conv2D

    /// Packs the adjoint of `forward`.
    public init(_ forward: Conv2D) throws {
        self.forward = forward
        var weights = [Float](repeating: 0, count: forward.outChannels * forward.inChannels
                                                     * forward.kernelSize * forward.kernelSize)
        weights.withUnsafeMutableBufferPointer { ak_conv_adjoint_weights(forward.layer, $0.baseAddress) }
        adjoint = try Conv2D(weight: weights, bias: [Float](repeating: 0, count: forward.inChannels),
                             outChannels: forward.inChannels, inChannels: forward.outChannels,
                             kernelSize: forward.kernelSize, padding: .zero)
    }

    /// Multiply-adds times two of one backward pass over an h x w map.
    public func flops(height: Int, width: Int) -> Double {
        adjoint.flops(height: height, width: width)
    }

    /// dL/dx for dL/dy = `outputGradient` (outChannels x H x W, before any ReLU: apply
    /// `reluBackward` first when the layer has one).
    public func inputGradient(_ outputGradient: Tensor, pool: WorkerPool = .shared) throws -> Tensor {
        var out = Tensor(channels: 1, height: 1, width: 1)
        try inputGradient(outputGradient, into: &out, pool: pool)
        return out
    }

    /// `inputGradient` written into `result` (its storage reused when it has the shape and is
    /// not shared), then `extra` added (a tapped feature's own gradient, same shape) and the
    /// sum zeroed wherever `gate` (the previous layer's ReLU output) is not positive: the
    /// previous layer's ReLU backward, fused into the same pass.
    public func inputGradient(_ outputGradient: Tensor, into result: inout Tensor, extra: Tensor? = nil,
                              gate: Tensor? = nil, pool: WorkerPool = .shared) throws {
        precondition(outputGradient.channels == forward.outChannels, "gradient channels differ from the layer's output")
        // extra and gate at the adjoint's store; the ring, added after, gated the same way
        // (the gate is linear: gate(a + e + r) = gate(a + e) + gate(r)).
        try adjoint.forward(outputGradient, into: &result, extra: extra, gate: gate, pool: pool)
        guard forward.kernelSize == 3 && forward.padding == .reflect else { return }
        let (h, w) = (outputGradient.height, outputGradient.width)
        let layer = forward.layer
        outputGradient.data.withUnsafeBufferPointer { dy in
            result.data.withUnsafeMutableBufferPointer { dx in
                withOptionalPointer(gate?.data) { g in
                    let (dyp, dxp) = (dy.baseAddress!, dx.baseAddress!)
                    pool.forChannelRanges(forward.inChannels) { c0, c1 in
                        ak_conv_adjoint_ring(layer, dyp, Int32(h), Int32(w), dxp, g, c0, c1)
                    }
                }
            }
        }
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

    /// `maxPoolBackward` into `result` (storage reused when it has the shape), fused with what
    /// follows it: `extra` added, and with `relu` the result zeroed wherever this tensor (the
    /// pool's input, a ReLU output) is not positive.
    public func maxPoolBackward(_ outputGradient: Tensor, into result: inout Tensor, extra: Tensor? = nil,
                                relu: Bool, pool: WorkerPool = .shared) {
        precondition(outputGradient.channels == channels && outputGradient.height == height / 2
                     && outputGradient.width == width / 2, "gradient shape differs from the pool's output")
        if result.channels != channels || result.height != height || result.width != width {
            result = Tensor(uninitializedChannels: channels, height: height, width: width)
        }
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            outputGradient.data.withUnsafeBufferPointer { g in
                result.data.withUnsafeMutableBufferPointer { dst in
                    withOptionalPointer(extra?.data) { e in
                        let (s, gp, d) = (src.baseAddress!, g.baseAddress!, dst.baseAddress!)
                        pool.forChannelRanges(channels) { c0, c1 in
                            ak_maxpool2_backward_fused(s, Int32(h), Int32(w), gp, e, relu ? 1 : 0, d, c0, c1)
                        }
                    }
                }
            }
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

extension Tensor {
    /// `maxPooled` written into `result` (storage reused when it has the shape and is not shared).
    public func maxPooled(into result: inout Tensor, pool: WorkerPool = .shared) {
        if result.channels != channels || result.height != height / 2 || result.width != width / 2 {
            result = Tensor(uninitializedChannels: channels, height: height / 2, width: width / 2)
        }
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            result.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in ak_maxpool2(s, Int32(h), Int32(w), d, c0, c1) }
            }
        }
    }
}
