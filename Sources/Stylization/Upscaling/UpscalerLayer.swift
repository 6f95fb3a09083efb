/// One layer of an upscaling network in Atelier's own layer list (what an ncnn graph converts
/// to, stored as JSON beside the weights). Blobs are numbered; blob 0 is the RGB input.
public struct UpscalerLayer: Codable, Equatable, Sendable {
    /// What a layer computes.
    public enum Kind: String, Codable, Sendable {
        /// 1x1 or 3x3 convolution, zero padding `kernel / 2`, bias, fused activation.
        case convolution
        /// Inputs stacked along channels.
        case concat
        /// sum of coefficients[i] * inputs[i] (the scaled residual add).
        case weightedSum
        /// Nearest upsampling by whole factors `factor` (vertical) x `factor2` (horizontal).
        case nearest
        /// Pixel shuffle by `factor` (PyTorch order).
        case pixelShuffle
    }

    /// The fused activation of a convolution.
    public enum Activation: String, Codable, Sendable {
        case none, relu, leakyReLU, prelu
    }

    public var kind: Kind
    public var inputs: [Int]
    public var output: Int
    /// Convolution: output and input channels, kernel size, activation; `slope` for leakyReLU.
    public var outChannels: Int = 0
    public var inChannels: Int = 0
    public var kernel: Int = 0
    public var activation: Activation = .none
    public var slope: Float = 0
    /// Tensor names in the weights file: weight [out][in][k][k], bias [out], PReLU slopes [out].
    public var weight: String?
    public var bias: String?
    public var slopes: String?
    /// weightedSum.
    public var coefficients: [Float] = []
    /// nearest (vertical, horizontal) and pixelShuffle (factor).
    public var factor: Int = 0
    public var factor2: Int = 0

    public init(kind: Kind, inputs: [Int], output: Int) {
        self.kind = kind
        self.inputs = inputs
        self.output = output
    }
}

/// A converted upscaling network: the layer list and its weights by name.
public struct UpscalerGraph: Sendable {
    /// Layers in execution order.
    public var layers: [UpscalerLayer]
    /// The blob holding the result.
    public var output: Int
    /// Float32 weights by tensor name.
    public var tensors: [String: [Float]]
    /// Output pixels per input pixel along each axis (4 for the x4 networks).
    public var scale: Int
}
