import Foundation
import Runtime

/// Where every conditional instance norm takes its gamma and beta from: one or more components,
/// each a per-pixel weight map on the padded input grid (nil: 1 everywhere) and a style
/// parameter (a 100-d style vector, or a normalised 26-weight mix). The maps sum to 1 at every
/// pixel. `affine(norm, parameter)` gives one component's per-channel (gamma, beta).
public struct CINConditioning: Sendable {
    /// One component of the conditioning.
    public struct Component: Sendable {
        /// Weights on the padded input grid (width x height of the padded content), or nil.
        public var weights: [Float]?
        /// The style vector or 26-weight mix.
        public var parameter: [Float]
    }

    /// The components; one with nil weights when there are no regions.
    public var components: [Component]
    /// The padded input grid the weight maps live on.
    public var gridWidth: Int, gridHeight: Int
    /// One component's per-channel gamma and beta at a norm.
    public var affine: @Sendable (_ norm: String, _ parameter: [Float]) throws -> (gamma: [Float], beta: [Float])

    /// Gamma and beta of norm `norm` for an h x w feature map: per channel (C values) without
    /// regions, per channel and pixel (C x h x w) with them; the weight maps area-averaged.
    func gammaBeta(_ norm: String, height h: Int, width w: Int) throws -> (gamma: [Float], beta: [Float]) {
        try gammaBeta(norm, rows: 0..<h, height: h, width: w)
    }

    /// The same for rows `rows` of the h x w map only (per pixel: C x rows x w), with the same
    /// values the whole map gets there: a tiled run asks strip by strip.
    func gammaBeta(_ norm: String, rows: Range<Int>, height h: Int, width w: Int) throws -> (gamma: [Float], beta: [Float]) {
        if components.count == 1, components[0].weights == nil {
            return try affine(norm, components[0].parameter)
        }
        var gamma: [Float] = [], beta: [Float] = []
        let n = rows.count * w
        let f = gridHeight / h
        let gridRows = (rows.lowerBound * f * gridWidth)..<(rows.upperBound * f * gridWidth)
        for component in components {
            let (g, b) = try affine(norm, component.parameter)
            if gamma.isEmpty {
                gamma = [Float](repeating: 0, count: g.count * n)
                beta = gamma
            }
            let map = component.weights.map {
                RegionMasks.average(Array($0[gridRows]), width: gridWidth, height: rows.count * f,
                                    featureWidth: w, featureHeight: rows.count)
            }
            for c in 0..<g.count {
                for i in 0..<n {
                    let a = map?[i] ?? 1
                    gamma[c * n + i] += a * g[c]
                    beta[c * n + i] += a * b[c]
                }
            }
        }
        return (gamma, beta)
    }
}

/// A feed-forward CIN network (the Magenta transformer, CIN-26) run from its layer list.
public final class CINNetwork: @unchecked Sendable {
    /// The steps in order.
    public let steps: [NetworkStep]
    /// Instance-norm epsilon.
    public let epsilon: Double
    let layers: [String: Layer]
    /// The upsampling 3x3 layers again, run on the map before its upsample (no upsampled map,
    /// 4 multiply-adds where 9 were); absent without AVX2/FMA.
    let upsampling: [String: UpsamplingConv]

    /// A convolution as the runtime runs it: 3x3 stride-1 layers with 1-pixel reflection padding
    /// on the fast kernels of `Conv2D` (which pad by themselves), every other one padded first
    /// and run by `GeneralConv`.
    enum Layer {
        case reflect3x3(Conv2D)
        case general(GeneralConv)

        /// `norm`: the previous layer's instance norm, still to be applied to `x` as it is read
        /// (only where `readsNormalised` said yes).
        func forward(_ x: Tensor, pad: Int, activation: Activation, reading norm: InputNormalisation? = nil,
                     pool: WorkerPool) throws -> Tensor {
            switch self {
            case .reflect3x3(let conv):
                precondition(norm == nil, "a 3x3 stride-1 layer does not normalise its input")
                if activation == .none || activation == .relu { return try conv.forward(x, relu: activation == .relu, pool: pool) }
                return try conv.forward(x, relu: false, pool: pool).activated(activation)
            case .general(let conv):
                return try conv.forward(x, reflectPad: pad, activation: activation, reading: norm, pool: pool)
            }
        }

        /// Whether this layer can apply the previous layer's per-channel norm (with
        /// `normActivation`) to its h x w input while it gathers it.
        func readsNormalised(height h: Int, width w: Int, pad: Int, activation: Activation, normActivation: Activation) -> Bool {
            guard case .general(let conv) = self else { return false }
            return conv.readsNormalised(height: h, width: w, pad: pad, activation: activation, normActivation: normActivation)
        }

        /// 2 x multiply-adds for an h x w output.
        func flops(height: Int, width: Int) -> Double {
            switch self {
            case .reflect3x3(let conv): return conv.flops(height: height, width: width)
            case .general(let conv):
                let perPixel = conv.outChannels * (conv.depthwise ? 1 : conv.inChannels) * conv.kernelSize * conv.kernelSize
                return 2 * Double(perPixel) * Double(height * width)
            }
        }
    }

    /// The network of `steps` with the convolutions of `network`.
    public init(steps: [NetworkStep], network: ImportedNetwork, epsilon: Double) throws {
        var layers: [String: Layer] = [:]
        var upsampling: [String: UpsamplingConv] = [:]
        for case .conv(let name, let pad, let upsample, _, _) in steps {
            let c = try network.conv(name)
            if upsample, pad == 1, c.kernelSize == 3, c.stride == 1, c.groups == 1 {
                upsampling[name] = UpsamplingConv(weight: c.weight, bias: c.bias, outChannels: c.outChannels, inChannels: c.inChannels)
            }
            if pad == 1, c.kernelSize == 3, c.stride == 1, c.groups == 1 {
                layers[name] = .reflect3x3(try Conv2D(weight: c.weight, bias: c.bias ?? [Float](repeating: 0, count: c.outChannels),
                                                      outChannels: c.outChannels, inChannels: c.inChannels, kernelSize: 3))
            } else {
                layers[name] = .general(try c.layer())
            }
        }
        self.steps = steps
        self.epsilon = epsilon
        self.layers = layers
        self.upsampling = upsampling
    }

    /// Runs the network on a padded content (3 x H x W, H and W multiples of 4); the result is
    /// 3 x H x W (after the sigmoid). `cancelled` is polled between layers. With `clip` (a
    /// frame of a clip) each norm uses its instance statistics smoothed over the clip's frames.
    /// `timing`, when given, hears each stage's wall time (`atelier bench --layers`).
    public func run(_ input: Tensor, conditioning: CINConditioning, clip: ClipStatistics? = nil, pool: WorkerPool = .shared,
                    cancelled: () -> Bool = { false }, timing: ((StageTime) -> Void)? = nil) throws -> Tensor {
        var x = input
        var residual: [Tensor] = []
        var clock = StageClock(report: timing)
        // A norm the next convolution applies to `x` as it reads it (x itself stays raw).
        var pending: InputNormalisation?
        for (index, step) in steps.enumerated() {
            if cancelled() { throw StylizationError.cancelled }
            switch step {
            case .saveResidual:
                residual.append(x)
            case .addResidual:
                x.add(residual.removeLast(), pool: pool)
                clock.lap("residual add")
            case .conv(let name, let pad, let upsample, let norm, let activation):
                let layer = layers[name]!
                let convActivation = norm == nil ? activation : .none
                if upsample, pending == nil, UpsamplingConv.fuses(convActivation), let fused = upsampling[name] {
                    x = fused.forward(x, activation: convActivation, pool: pool)
                } else {
                    if upsample { x = x.upsampled(pool: pool) }
                    x = try layer.forward(x, pad: pad, activation: convActivation, reading: pending, pool: pool)
                }
                pending = nil
                clock.lap(name, flops: layer.flops(height: x.height, width: x.width))
                guard let norm else { continue }
                let (gamma, beta) = try conditioning.gammaBeta(norm, height: x.height, width: x.width)
                let statistics = clip.map { Self.smoothedStatistics(of: x, clip: $0, key: "norm/" + norm, pool: pool) }
                if readsNormalised(after: index, height: x.height, width: x.width, normActivation: activation),
                   let fused = x.instanceNormalisation(gamma: gamma, beta: beta, epsilon: epsilon, activation: activation,
                                                       statistics: statistics, pool: pool) {
                    pending = fused
                } else {
                    x.instanceNormalize(gamma: gamma, beta: beta, epsilon: epsilon, activation: activation,
                                        statistics: statistics, pool: pool)
                }
                clock.lap("instance norm")
            }
        }
        return x
    }

    /// Whether the step after `index` is a convolution that applies the norm ending step `index`
    /// (an h x w map, `normActivation` after it) while it gathers its input, with no pass of its own.
    private func readsNormalised(after index: Int, height h: Int, width w: Int, normActivation: Activation) -> Bool {
        guard index + 1 < steps.count, case .conv(let name, let pad, false, let norm, let activation) = steps[index + 1] else {
            return false
        }
        return layers[name]!.readsNormalised(height: h, width: w, pad: pad, activation: norm == nil ? activation : .none,
                                             normActivation: normActivation)
    }

    /// `x`'s per-channel mean and variance, moved by the clip's moving average under `key`.
    static func smoothedStatistics(of x: Tensor, clip: ClipStatistics, key: String,
                                   pool: WorkerPool) -> (mean: [Double], variance: [Double]) {
        let fresh = x.instanceStatistics(pool: pool)
        let both = clip.smoothed(fresh.mean + fresh.variance, key: key)
        return (Array(both[..<x.channels]), Array(both[x.channels...]))
    }
}

/// One stage of a network run and its wall time: a convolution (with its padding or upsampling
/// and the FLOPs it did), an instance norm, a residual add.
public struct StageTime: Sendable {
    /// The layer's name, or "instance norm" / "residual add".
    public var stage: String
    /// Wall-clock seconds.
    public var seconds: Double
    /// CPU seconds of the whole process (every thread) in the same span: what the stage cost
    /// on a loaded machine, where wall time also counts waiting for a core.
    public var cpuSeconds: Double
    /// 2 x multiply-adds (0 for stages that are not convolutions).
    public var flops: Double
}

/// Measures the time between laps and hands each to `report` (nothing when it is nil).
struct StageClock {
    let report: ((StageTime) -> Void)?
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = StageClock.cpuSeconds()

    init(report: ((StageTime) -> Void)?) { self.report = report }

    mutating func lap(_ stage: String, flops: Double = 0) {
        guard let report else { return }
        let now = DispatchTime.now().uptimeNanoseconds, cpu = Self.cpuSeconds()
        report(StageTime(stage: stage, seconds: Double(now - last) / 1e9, cpuSeconds: cpu - lastCPU, flops: flops))
        last = DispatchTime.now().uptimeNanoseconds
        lastCPU = Self.cpuSeconds()
    }

    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
