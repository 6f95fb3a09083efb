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
    ///
    /// Convolution outputs are written into the storage of earlier outputs the pass no longer
    /// needs, when one of the same element count is at hand: a fresh 100 MB tensor costs page
    /// faults and zeroing that take longer than the convolution itself. On a one-thread pool
    /// (a clip's frames in flight) the pass runs a few rows at a time through all layers
    /// instead, with the same result (`forwardInRows`).
    public func forward(_ input: Tensor, pool: WorkerPool = .shared,
                        beforeLayer: (Int) throws -> Void = { _ in }) throws -> Tensor {
        if runsInRows(input, pool: pool) { return try forwardInRows(input, beforeLayer: beforeLayer) }
        var x = input
        var spares = SpareStorage()
        for (index, layer) in layers.enumerated() {
            try beforeLayer(index)
            let previous = x
            switch layer {
            case .conv(_, let conv, let relu):
                if var out = spares.take(channels: conv.outChannels, height: x.height, width: x.width) {
                    try conv.forward(x, relu: relu, into: &out, pool: pool)
                    x = out
                } else {
                    x = try conv.forward(x, relu: relu, pool: pool)
                }
            case .maxPool: x = x.maxPooled(pool: pool)
            case .upsample: x = x.upsampled(pool: pool)
            }
            if index > 0 { spares.give(previous) }   // never recycle the caller's input
        }
        return x
    }
}

/// Tensors a forward pass has finished with, kept so their storage can hold later outputs.
private struct SpareStorage {
    private var tensors: [Tensor] = []

    /// Keeps `tensor` (at most two are kept; the oldest goes).
    mutating func give(_ tensor: Tensor) {
        tensors.append(tensor)
        if tensors.count > 2 { tensors.removeFirst() }
    }

    /// A tensor of the given shape built on a kept tensor's storage of the same element count.
    mutating func take(channels: Int, height: Int, width: Int) -> Tensor? {
        let count = channels * height * width
        guard let i = tensors.firstIndex(where: { $0.count == count }) else { return nil }
        let data = tensors.remove(at: i).data
        return Tensor(channels: channels, height: height, width: width, data: data)
    }
}
