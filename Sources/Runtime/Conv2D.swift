import CKernels
import Foundation

/// Why a convolution layer could not be built or run.
public enum ConvError: Error, CustomStringConvertible, Equatable {
    /// The kernel size is neither 1 nor 3.
    case unsupportedKernelSize(Int)
    /// A channel count is zero or negative.
    case badChannelCount(outChannels: Int, inChannels: Int)
    /// The weight array does not hold outChannels * inChannels * k * k values.
    case weightCount(expected: Int, actual: Int)
    /// The bias array does not hold outChannels values.
    case biasCount(expected: Int, actual: Int)
    /// A PReLU activation does not have one slope per output channel.
    case slopeCount(expected: Int, actual: Int)
    /// The input tensor's channel count differs from the layer's.
    case inputChannels(expected: Int, actual: Int)
    /// A 3x3 layer got an input smaller than 2x2 (reflection padding needs two pixels).
    case inputTooSmall(height: Int, width: Int)
    /// The kernels could not allocate the packed weights.
    case outOfMemory

    /// One-line description for users.
    public var description: String {
        switch self {
        case .unsupportedKernelSize(let k):
            return "conv layer: kernel size \(k) is not supported (only 1x1 and 3x3); check the checkpoint"
        case .badChannelCount(let o, let i):
            return "conv layer: channel counts \(o) out, \(i) in must be positive; check the checkpoint"
        case .weightCount(let e, let a):
            return "conv layer: weight has \(a) values, expected \(e); check the checkpoint"
        case .biasCount(let e, let a):
            return "conv layer: bias has \(a) values, expected \(e); check the checkpoint"
        case .slopeCount(let e, let a):
            return "conv layer: PReLU has \(a) slopes, expected \(e); check the model file"
        case .inputChannels(let e, let a):
            return "conv layer: input has \(a) channels, the layer expects \(e)"
        case .inputTooSmall(let h, let w):
            return "conv layer: a \(h)x\(w) input is too small for 3x3 reflection padding (needs at least 2x2)"
        case .outOfMemory:
            return "conv layer: out of memory while packing weights; close other work and retry"
        }
    }
}

/// How a 3x3 layer pads its input by one pixel.
public enum ConvPadding: Sendable, Equatable {
    /// Reflection, the edge pixel not repeated (the style networks).
    case reflect
    /// Zeros (the ncnn upscaling networks).
    case zero
}

/// The activation a layer applies to its output as it stores it.
public enum ConvActivation: Sendable, Equatable {
    /// None (unless `forward` asks for ReLU).
    case none
    /// max(v, 0).
    case relu
    /// v for v > 0, else slope * v.
    case leakyReLU(slope: Float)
    /// v for v > 0, else slopes[c] * v (one slope per output channel).
    case prelu(slopes: [Float])
}

/// A stride-1 convolution layer (1x1, or 3x3 with 1-pixel reflection or zero padding) with bias
/// and an activation fused into the store, its weights packed once for the C kernels.
///
/// A layer is immutable after creation, so one instance may run on several threads at once.
public final class Conv2D: @unchecked Sendable {
    /// Output channels.
    public let outChannels: Int
    /// Input channels.
    public let inChannels: Int
    /// Kernel size: 1 or 3.
    public let kernelSize: Int
    /// How 3x3 layers pad their input.
    public let padding: ConvPadding
    /// The activation applied at the store.
    public let activation: ConvActivation

    let layer: OpaquePointer

    /// Packs `weight` (laid out [outChannels][inChannels][k][k]) and `bias` ([outChannels]).
    public init(weight: [Float], bias: [Float], outChannels: Int, inChannels: Int, kernelSize: Int,
                padding: ConvPadding = .reflect, activation: ConvActivation = .none) throws {
        guard kernelSize == 1 || kernelSize == 3 else { throw ConvError.unsupportedKernelSize(kernelSize) }
        guard outChannels > 0, inChannels > 0 else {
            throw ConvError.badChannelCount(outChannels: outChannels, inChannels: inChannels)
        }
        let expected = outChannels * inChannels * kernelSize * kernelSize
        guard weight.count == expected else { throw ConvError.weightCount(expected: expected, actual: weight.count) }
        guard bias.count == outChannels else { throw ConvError.biasCount(expected: outChannels, actual: bias.count) }
        let slopes: [Float]?
        switch activation {
        case .none, .relu: slopes = nil
        case .leakyReLU(let slope): slopes = [Float](repeating: slope, count: outChannels)
        case .prelu(let values):
            guard values.count == outChannels else { throw ConvError.slopeCount(expected: outChannels, actual: values.count) }
            slopes = values
        }
        guard let layer = ak_conv_create(weight, bias, Int32(outChannels), Int32(inChannels), Int32(kernelSize)) else {
            throw ConvError.outOfMemory
        }
        let configured = withOptionalPointer(slopes) { ak_conv_configure(layer, padding == .zero ? 1 : 0, $0) }
        guard configured != 0 else {
            ak_conv_destroy(layer)
            throw ConvError.outOfMemory
        }
        self.layer = layer
        self.padding = padding
        self.activation = activation
        self.outChannels = outChannels
        self.inChannels = inChannels
        self.kernelSize = kernelSize
    }

    deinit { ak_conv_destroy(layer) }

    /// The kernel family in use: 0 im2col + sgemm, 1 direct AVX2, 2 direct AVX-512,
    /// 3 Winograd F(4x4, 3x3) AVX-512, 4 Winograd F(4x4, 3x3) AVX2 (each Winograd family runs
    /// its direct one where Winograd does not apply).
    var kernelFamily: Int { Int(ak_conv_path(layer)) }

    /// Every kernel family number (not all run on every CPU).
    static let kernelFamilies = Array(0...4)

    /// Switches to kernel family `family` so tests can check every family on one machine;
    /// false (nothing changed) when the CPU cannot run it. Not safe during a forward call.
    func useKernelFamily(_ family: Int) -> Bool {
        ak_conv_use_path(layer, Int32(family)) != 0
    }

    /// Multiply-adds times two for one h x w input: the figure GFLOP/s rates are quoted in.
    public func flops(height: Int, width: Int) -> Double {
        2 * Double(outChannels * inChannels * kernelSize * kernelSize) * Double(height * width)
    }

    /// Convolves `input` into outChannels x H x W with the layer's own activation.
    public func forward(_ input: Tensor, pool: WorkerPool = .shared) throws -> Tensor {
        try forward(input, relu: activation == .relu, pool: pool, bandRows: nil)
    }

    /// Convolves `input` (inChannels x H x W) into outChannels x H x W, adding the bias and
    /// applying ReLU when `relu` is set (a leaky or PReLU activation applies instead). Rows are split into bands spread over `pool`.
    public func forward(_ input: Tensor, relu: Bool, pool: WorkerPool = .shared) throws -> Tensor {
        try forward(input, relu: relu, pool: pool, bandRows: nil)
    }

    /// `forward` writing into `output`, whose storage is reused when it already has the result's
    /// shape and is not shared (otherwise it is replaced). On wide maps a fresh output costs
    /// more than the convolution itself (the kernel zeroes every new page), so a pipeline that
    /// keeps two tensors and alternates between them runs markedly faster.
    public func forward(_ input: Tensor, relu: Bool, into output: inout Tensor, pool: WorkerPool = .shared) throws {
        try check(input)
        let h = input.height, w = input.width
        if output.channels != outChannels || output.height != h || output.width != w {
            output = try forward(input, relu: relu, pool: pool, bandRows: nil)
            return
        }
        output.data.withUnsafeMutableBufferPointer { out in
            run(input, relu: relu, pool: pool, bandRows: nil, into: out.baseAddress)
        }
    }

    /// The convolution without bias activation, fused with a backward pass's next step:
    /// `extra` (the output's shape) added and the sum zeroed wherever `gate` (same shape) is
    /// not positive, band by band (at the AVX2 Winograd's store, or while the band is in
    /// cache). Either may be nil. `output`'s storage is reused when it has the shape.
    public func forward(_ input: Tensor, into output: inout Tensor, extra: Tensor?, gate: Tensor?,
                        pool: WorkerPool = .shared) throws {
        try check(input)
        let h = input.height, w = input.width
        for side in [extra, gate] {
            precondition(side.map { $0.channels == outChannels && $0.height == h && $0.width == w } ?? true,
                         "extra and gate have the output's shape")
        }
        if output.channels != outChannels || output.height != h || output.width != w {
            output = Tensor(uninitializedChannels: outChannels, height: h, width: w)
        }
        output.data.withUnsafeMutableBufferPointer { out in
            withOptionalPointer(extra?.data) { e in
                withOptionalPointer(gate?.data) { g in
                    run(input, relu: false, pool: pool, bandRows: nil, into: out.baseAddress, extra: e, gate: g)
                }
            }
        }
    }

    /// `forward` with a chosen band height (tests use it to check that banding never changes
    /// the result); nil lets the kernels choose.
    func forward(_ input: Tensor, relu: Bool, pool: WorkerPool, bandRows: Int?) throws -> Tensor {
        try check(input)
        let h = input.height, w = input.width, count = outChannels * h * w
        let data = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            run(input, relu: relu, pool: pool, bandRows: bandRows, into: out.baseAddress)
            initialized = count
        }
        return Tensor(channels: outChannels, height: h, width: w, data: data)
    }

    private func check(_ input: Tensor) throws {
        guard input.channels == inChannels else {
            throw ConvError.inputChannels(expected: inChannels, actual: input.channels)
        }
        if kernelSize == 3 && padding == .reflect && (input.height < 2 || input.width < 2) {
            throw ConvError.inputTooSmall(height: input.height, width: input.width)
        }
    }

    /// Runs every band of a checked input into `out` (outChannels x H x W floats).
    private func run(_ input: Tensor, relu: Bool, pool: WorkerPool, bandRows requestedRows: Int?,
                     into out: UnsafeMutablePointer<Float>?, extra: UnsafePointer<Float>? = nil,
                     gate: UnsafePointer<Float>? = nil) {
        let h = input.height, w = input.width
        let bandRows = max(1, requestedRows ?? Int(ak_conv_band_rows(layer, Int32(h), Int32(w), Int32(pool.threadCount))))
        let scratchFloats = max(1, Int(ak_conv_scratch_floats(layer, Int32(h), Int32(w), Int32(bandRows))))
        let layer = self.layer
        input.data.withUnsafeBufferPointer { inBuf in
            let inBase = inBuf.baseAddress
            pool.forEachBand(height: h, rows: bandRows, scratchFloats: scratchFloats) { y0, y1, scratch in
                if extra == nil && gate == nil {
                    ak_conv_forward_rows(layer, inBase, Int32(h), Int32(w), out,
                                         Int32(y0), Int32(y1), relu ? 1 : 0, scratch)
                } else {
                    ak_conv_forward_rows_gated(layer, inBase, Int32(h), Int32(w), out,
                                               Int32(y0), Int32(y1), scratch, extra, gate)
                }
                return true
            }
        }
    }
}
