import Runtime

/// An upscaling network ready to run: the layer list with its convolutions packed.
/// Immutable, so several tiles may run on it one after another from any thread.
public final class UpscalerNetwork: @unchecked Sendable {
    private enum Step {
        case conv(Conv2D)
        case concat
        case weightedSum([Float])
        case nearest(Int, Int)
        case pixelShuffle(Int)
    }

    private let steps: [(step: Step, inputs: [Int], output: Int)]
    /// For each step, the blobs whose last reader it is (freed after it runs).
    private let freed: [[Int]]
    private let output: Int
    private let blobCount: Int
    /// Output pixels per input pixel along each axis.
    public let scale: Int
    /// Multiply-adds times two per input pixel (for progress and benchmarks).
    public let flopsPerPixel: Double

    /// Packs every convolution of `graph`; `file` names the model in errors.
    public init(_ graph: UpscalerGraph, file: String) throws {
        func tensor(_ name: String?, _ count: Int) throws -> [Float] {
            guard let name, let values = graph.tensors[name], values.count == count else {
                throw UpscalerModelError.badGraph(file: file, reason: "weights \(name ?? "?") missing or of the wrong size")
            }
            return values
        }
        var steps: [(step: Step, inputs: [Int], output: Int)] = []
        var flops = 0.0
        var blobScale: [Int: Int] = [0: 1]
        for layer in graph.layers {
            let step: Step
            switch layer.kind {
            case .convolution:
                let o = layer.outChannels, c = layer.inChannels, k = layer.kernel
                let activation: ConvActivation
                switch layer.activation {
                case .none: activation = .none
                case .relu: activation = .relu
                case .leakyReLU: activation = .leakyReLU(slope: layer.slope)
                case .prelu: activation = .prelu(slopes: try tensor(layer.slopes, o))
                }
                do {
                    step = .conv(try Conv2D(weight: try tensor(layer.weight, o * c * k * k), bias: try tensor(layer.bias, o),
                                            outChannels: o, inChannels: c, kernelSize: k, padding: .zero, activation: activation))
                } catch let error as ConvError {
                    throw UpscalerModelError.badGraph(file: file, reason: error.description)
                }
                let s = Double(blobScale[layer.inputs.first ?? 0] ?? 1)
                flops += 2 * Double(o * c * k * k) * s * s
            case .concat: step = .concat
            case .weightedSum: step = .weightedSum(layer.coefficients)
            case .nearest: step = .nearest(layer.factor, layer.factor2)
            case .pixelShuffle: step = .pixelShuffle(layer.factor)
            }
            let inScale = blobScale[layer.inputs.first ?? 0] ?? 1
            switch layer.kind {
            case .nearest: blobScale[layer.output] = inScale * layer.factor
            case .pixelShuffle: blobScale[layer.output] = inScale * layer.factor
            default: blobScale[layer.output] = inScale
            }
            steps.append((step, layer.inputs, layer.output))
        }
        var lastUse: [Int: Int] = [:]
        for (i, s) in steps.enumerated() { for b in s.inputs { lastUse[b] = i } }
        var freed = [[Int]](repeating: [], count: steps.count)
        for (blob, i) in lastUse where blob != graph.output { freed[i].append(blob) }
        self.steps = steps
        self.freed = freed
        self.output = graph.output
        self.blobCount = (steps.map(\.output).max() ?? 0) + 1
        self.scale = graph.scale
        self.flopsPerPixel = flops
    }

    /// Runs the network on `input` (3 x H x W, RGB in [0, 1]) and returns the raw output
    /// (3 x scale H x scale W, not clamped). `cancelled` is polled between layers.
    public func run(_ input: Tensor, pool: WorkerPool = .shared, cancelled: () -> Bool = { false }) throws -> Tensor {
        var blobs = [Tensor?](repeating: nil, count: blobCount)
        blobs[0] = input
        for (i, s) in steps.enumerated() {
            if cancelled() { throw CancellationError() }
            let ins = s.inputs.map { blobs[$0]! }
            switch s.step {
            case .conv(let conv):
                blobs[s.output] = try conv.forward(ins[0], pool: pool)
            case .concat:
                blobs[s.output] = Tensor.concatenated(ins)
            case .weightedSum(let coefficients):
                var sum = ins[0]
                sum.scaledAdd(scale: coefficients[0], ins[1], otherScale: coefficients[1], pool: pool)
                for j in 2..<max(2, ins.count) { sum.scaledAdd(scale: 1, ins[j], otherScale: coefficients[j], pool: pool) }
                blobs[s.output] = sum
            case .nearest(let fy, let fx):
                blobs[s.output] = ins[0].upsampledNearest(vertical: fy, horizontal: fx, pool: pool)
            case .pixelShuffle(let r):
                blobs[s.output] = ins[0].pixelShuffled(factor: r, pool: pool)
            }
            for b in freed[i] { blobs[b] = nil }
        }
        return blobs[output]!
    }
}
