import Runtime

/// One convolution of an imported network, dequantised to float32.
public struct ImportedConv: Sendable, Equatable {
    /// The layer's name, e.g. `"transformer/contract/conv1"` or `"contract.0"`.
    public var name: String
    /// Weights laid out [out][in / groups][k][k].
    public var weight: [Float]
    /// One bias per output channel, or nil.
    public var bias: [Float]?
    /// Output channels.
    public var outChannels: Int
    /// Input channels (of the whole layer, not per group).
    public var inChannels: Int
    /// Kernel side.
    public var kernelSize: Int
    /// Stride (both directions).
    public var stride: Int
    /// 1, or `inChannels` for a depthwise layer.
    public var groups: Int

    /// The runtime layer.
    func layer() throws -> GeneralConv {
        try GeneralConv(weight: weight, bias: bias, outChannels: outChannels, inChannels: inChannels,
                        kernelSize: kernelSize, stride: stride, depthwise: groups > 1)
    }
}

/// An imported network: its convolutions by name and its other float constants (CIN tables,
/// epsilons) by name with their shapes.
public struct ImportedNetwork: Sendable {
    /// Convolutions by layer name.
    public var convs: [String: ImportedConv]
    /// Float constants by initializer name: shape and values.
    public var constants: [String: (shape: [Int], values: [Float])]

    /// The layer called `name`, or an error naming it.
    func conv(_ name: String) throws -> ImportedConv {
        guard let conv = convs[name] else { throw MagentaError.missingLayer(name) }
        return conv
    }
}

/// One step of a feed-forward style network: the layer list the CIN networks run.
///
/// `conv` reads its input reflect-padded by `pad` (after a nearest 2x upsample when `upsample`),
/// convolves, then applies the named conditional instance norm (if any) and the activation.
/// `saveResidual` remembers the current map; `addResidual` adds it back.
public enum NetworkStep: Sendable, Equatable {
    case conv(name: String, pad: Int, upsample: Bool, norm: String?, activation: Activation)
    case saveResidual
    case addResidual
}
