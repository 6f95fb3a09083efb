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
    let pool: WorkerPool
    /// When set, every layer's forward and backward pass (and the loss's terms) add their
    /// wall time to it (`atelier bench-polish --profile`).
    public var profile: PolishProfile?

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

    /// The activations of one forward pass and the backward pass's gradients, kept between
    /// evaluations so a polish allocates its feature maps once (a fresh map costs as much as
    /// the convolution that fills it: the kernel zeroes every new page).
    public final class Tape: @unchecked Sendable {
        /// The shape (channels, height, width) of the image the pass started from.
        public internal(set) var inputShape = (channels: 3, height: 1, width: 1)
        /// Every layer's output, in order.
        public internal(set) var outputs: [Tensor]
        /// gradients[i]: the loss's gradient with respect to layer i's output (after the last backward).
        var gradients: [Tensor]
        /// The gradient with respect to the input image (after the last backward).
        var inputGradient: Tensor

        init(layers: Int) {
            let empty = Tensor(channels: 1, height: 1, width: 1)
            outputs = Array(repeating: empty, count: layers)
            gradients = outputs
            inputGradient = empty
        }
    }

    /// An empty tape to run `forward(_:into:)` into.
    public func makeTape() -> Tape { Tape(layers: network.layers.count) }

    /// Runs the encoder on `image`, keeping every activation.
    public func forward(_ image: Tensor) throws -> Tape {
        let tape = makeTape()
        try forward(image, into: tape)
        return tape
    }

    /// Runs the encoder on `image` into `tape`, reusing its maps.
    public func forward(_ image: Tensor, into tape: Tape) throws {
        tape.inputShape = (image.channels, image.height, image.width)
        for (i, layer) in network.layers.enumerated() {
            let x = i == 0 ? image : tape.outputs[i - 1]
            try profile.time("forward " + layerName(i)) {
                switch layer {
                case .conv(_, let conv, let relu): try conv.forward(x, relu: relu, into: &tape.outputs[i], pool: pool)
                case .maxPool: x.maxPooled(into: &tape.outputs[i], pool: pool)
                case .upsample: preconditionFailure("an encoder has no upsample")
                }
            }
        }
    }

    /// Layer i's name for a profile: the conv's name, or "pool" and the index.
    private func layerName(_ i: Int) -> String {
        if case .conv(let name, _, _) = network.layers[i] { return name }
        return "pool\(i)"
    }

    /// The tapped features of a tape, in the order of `tapNames`.
    public func taps(of tape: Tape) -> [Tensor] { tapLayers.map { tape.outputs[$0] } }

    /// The gradient with respect to the input image of a loss whose gradient with respect to
    /// tap k's features is `tapGradients[k]` (nil: the loss does not read that tap). The result
    /// shares storage with the tape until the next backward pass.
    public func backward(_ tape: Tape, tapGradients: [Tensor?]) throws -> Tensor {
        precondition(tapGradients.count == tapLayers.count, "one gradient (or nil) per tap")
        var extras = [Tensor?](repeating: nil, count: network.layers.count)
        for (k, layer) in tapLayers.enumerated() { extras[layer] = tapGradients[k] }
        guard let top = extras.lastIndex(where: { $0 != nil }) else {
            return Tensor(channels: tape.inputShape.channels, height: tape.inputShape.height, width: tape.inputShape.width)
        }
        tape.gradients[top] = extras[top]!
        if case .conv(_, _, true) = network.layers[top] { tape.gradients[top].reluBackward(output: tape.outputs[top]) }
        for i in stride(from: top, through: 0, by: -1) {
            let dy = tape.gradients[i]
            guard i > 0 else {
                try profile.time("backward " + layerName(0)) {
                    try adjoints[0]!.inputGradient(dy, into: &tape.inputGradient, pool: pool)
                }
                break
            }
            // Layer i - 1's tap gradient and ReLU backward are fused into this layer's backward.
            let below = tape.outputs[i - 1], extra = extras[i - 1]
            var reluBelow = false
            if case .conv(_, _, true) = network.layers[i - 1] { reluBelow = true }
            try profile.time("backward " + layerName(i)) {
                switch network.layers[i] {
                case .conv:
                    try adjoints[i]!.inputGradient(dy, into: &tape.gradients[i - 1], extra: extra,
                                                   gate: reluBelow ? below : nil, pool: pool)
                case .maxPool:
                    below.maxPoolBackward(dy, into: &tape.gradients[i - 1], extra: extra, relu: reluBelow, pool: pool)
                case .upsample:
                    preconditionFailure("an encoder has no upsample")
                }
            }
        }
        return tape.inputGradient
    }

    /// Floats held by one tape (every activation and its gradient) and the loss's tap gradients for an h x w image
    /// (h, w multiples of 16): what bounds the size a polish can run at.
    public func floatsNeeded(height: Int, width: Int) -> Int {
        var (h, w, c) = (height, width, 3)
        var total = 2 * c * h * w
        for (i, layer) in network.layers.enumerated() {
            switch layer {
            case .conv(_, let conv, _): c = conv.outChannels
            case .maxPool: (h, w) = (h / 2, w / 2)
            case .upsample: (h, w) = (h * 2, w * 2)
            }
            total += 2 * c * h * w   // the activation and its gradient
            if tapLayers.contains(i) { total += c * h * w }   // the loss's gradient at a tap
        }
        return total
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
