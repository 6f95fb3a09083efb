import Runtime

/// One step of a network: a convolution (with or without ReLU), a 2x2 max pool or a 2x upsample.
public enum Layer: Sendable {
    /// A convolution named as in the checkpoint (e.g. "conv31"), optionally followed by ReLU.
    case conv(name: String, Conv2D, relu: Bool)
    /// 2x2 max pool, stride 2.
    case maxPool
    /// Nearest-neighbour 2x upsample.
    case upsample

    /// A short label for logs and errors.
    public var label: String {
        switch self {
        case .conv(let name, _, let relu): return relu ? "\(name)+relu" : name
        case .maxPool: return "pool"
        case .upsample: return "upsample"
        }
    }
}

/// A feed-forward network: a list of layers built from a checkpoint's tensors.
public struct Network: Sendable {
    /// The layers, in the order they run.
    public let layers: [Layer]

    /// Wraps a layer list.
    public init(layers: [Layer]) {
        self.layers = layers
    }

    /// Output channels of the last convolution.
    public var outputChannels: Int {
        for layer in layers.reversed() {
            if case .conv(_, let conv, _) = layer { return conv.outChannels }
        }
        return 0
    }

    /// Runs every layer on `input`. `beforeLayer` is called before each layer (cancellation
    /// checks and progress go there; throwing from it stops the pass).
    public func forward(_ input: Tensor, pool: WorkerPool = .shared,
                        beforeLayer: (Int) throws -> Void = { _ in }) throws -> Tensor {
        var x = input
        for (index, layer) in layers.enumerated() {
            try beforeLayer(index)
            switch layer {
            case .conv(_, let conv, let relu): x = try conv.forward(x, relu: relu, pool: pool)
            case .maxPool: x = x.maxPooled(pool: pool)
            case .upsample: x = x.upsampled(pool: pool)
            }
        }
        return x
    }
}
