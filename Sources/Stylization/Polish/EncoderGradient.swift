import Runtime

/// The level-5 encoder (`se5`) run forward with every activation kept, and its backward pass
/// with frozen weights: the gradient of a loss on the tapped features (relu1_1 ... relu5_1)
/// with respect to the input image.
public final class EncoderGradient: @unchecked Sendable {
    /// The tapped layers: relu1_1, relu2_1, relu3_1, relu4_1, relu5_1 of VGG-19.
    public static let tapNames = ["conv11", "conv21", "conv31", "conv41", "conv51"]

    /// The encoder, cut after its last tapped layer.
    public let network: Network
    /// Index in `network.layers` of each tap, in the order of `tapNames`.
    public let tapLayers: [Int]
    private let adjoints: [ConvBackward?]
    private let pool: WorkerPool

    /// Wraps `encoder` (the UST-16x `se5` network) and packs its adjoint convolutions.
    public init(encoder: Network, pool: WorkerPool = .shared) throws {
        var taps: [Int] = []
        for name in Self.tapNames {
            guard let i = encoder.layers.firstIndex(where: { if case .conv(name, _, _) = $0 { return true }; return false }) else {
                throw ModelError.missingTensor(part: "se5", name: name + ".weight")
            }
            taps.append(i)
        }
        network = Network(layers: Array(encoder.layers[...taps.last!]))
        tapLayers = taps
        adjoints = try network.layers.map { layer in
            if case .conv(_, let conv, _) = layer { return try ConvBackward(conv) }
            return nil
        }
        self.pool = pool
    }

    /// The activations of one forward pass: `outputs[i]` is layer i's output.
    public struct Tape {
        /// The image the pass started from.
        public let input: Tensor
        /// Every layer's output, in order.
        public let outputs: [Tensor]
    }

    /// Runs the encoder on `image`, keeping every activation.
    public func forward(_ image: Tensor) throws -> Tape {
        var outputs: [Tensor] = []
        outputs.reserveCapacity(network.layers.count)
        var x = image
        for layer in network.layers {
            switch layer {
            case .conv(_, let conv, let relu): x = try conv.forward(x, relu: relu, pool: pool)
            case .maxPool: x = x.maxPooled(pool: pool)
            case .upsample: preconditionFailure("an encoder has no upsample")
            }
            outputs.append(x)
        }
        return Tape(input: image, outputs: outputs)
    }

    /// The tapped features of a tape, in the order of `tapNames`.
    public func taps(of tape: Tape) -> [Tensor] { tapLayers.map { tape.outputs[$0] } }

    /// The gradient with respect to the input image of a loss whose gradient with respect to
    /// tap k's features is `tapGradients[k]` (nil: the loss does not read that tap).
    public func backward(_ tape: Tape, tapGradients: [Tensor?]) throws -> Tensor {
        precondition(tapGradients.count == tapLayers.count, "one gradient (or nil) per tap")
        var grad: Tensor?
        for i in stride(from: network.layers.count - 1, through: 0, by: -1) {
            if let k = tapLayers.firstIndex(of: i), let tapGradient = tapGradients[k] {
                if grad == nil { grad = tapGradient } else { grad!.add(tapGradient) }
            }
            guard var g = grad else { continue }
            let input = i > 0 ? tape.outputs[i - 1] : tape.input
            switch network.layers[i] {
            case .conv(_, _, let relu):
                if relu { g.reluBackward(output: tape.outputs[i]) }
                g = try adjoints[i]!.inputGradient(g, pool: pool)
            case .maxPool:
                g = input.maxPoolBackward(g, pool: pool)
            case .upsample:
                preconditionFailure("an encoder has no upsample")
            }
            grad = g
        }
        return grad ?? Tensor(channels: tape.input.channels, height: tape.input.height, width: tape.input.width)
    }

    /// Floats held by one tape plus the backward pass's working tensors for an h x w image
    /// (h, w multiples of 16): what bounds the size a polish can run at.
    public func floatsNeeded(height: Int, width: Int) -> Int {
        var (h, w, c) = (height, width, 3)
        var total = c * h * w, widest = 0
        for layer in network.layers {
            switch layer {
            case .conv(_, let conv, _):
                c = conv.outChannels
                widest = max(widest, max(conv.inChannels, conv.outChannels) * (h + 4) * (w + 4))
            case .maxPool: (h, w) = (h / 2, w / 2)
            case .upsample: (h, w) = (h * 2, w * 2)
            }
            total += c * h * w
        }
        return total + 3 * widest
    }
}

extension Tensor {
    /// Adds `other` elementwise.
    mutating func add(_ other: Tensor) {
        precondition(other.count == count, "shapes differ")
        data.withUnsafeMutableBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += b[i] }
            }
        }
    }
}
