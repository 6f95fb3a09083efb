import Runtime

/// The layer order of the UST-16x encoders and decoders, as `ust_reference.py` specifies it.
///
/// Encoder level L: conv0 (1x1, no ReLU), then the VGG-19 layers up to and including reluL_1,
/// every 3x3 conv followed by ReLU, 'P' a 2x2 max pool. Decoder level L: its convolutions in the
/// order below (those present in the checkpoint), each followed by ReLU, and a 2x upsample after
/// the first conv of each stage (conv51, conv41, conv31, conv21).
public enum UST16xArchitecture {
    /// Encoder layer names after conv0; "P" is a max pool.
    static let encoderLayers = ["conv11", "conv12", "P", "conv21", "conv22", "P",
                                "conv31", "conv32", "conv33", "conv34", "P",
                                "conv41", "conv42", "conv43", "conv44", "P", "conv51"]
    /// The last encoder layer of each level.
    static let lastEncoderLayer = [1: "conv11", 2: "conv21", 3: "conv31", 4: "conv41", 5: "conv51"]
    /// Decoder convolutions, in the order they run.
    static let decoderOrder = ["conv51", "conv44", "conv43", "conv42", "conv41",
                               "conv34", "conv33", "conv32", "conv31",
                               "conv22", "conv21", "conv12", "conv11"]
    /// Decoder convolutions followed by an upsample.
    static let upsampleAfter: Set<String> = ["conv51", "conv41", "conv31", "conv21"]

    /// The valid levels.
    public static let levels = 1...5

    /// Looks up a named tensor of a checkpoint: its shape and values, or nil if absent.
    public typealias TensorLookup = (String) -> (shape: [Int], values: [Float])?

    /// Builds encoder `level` from its checkpoint tensors.
    public static func encoder(level: Int, tensors: TensorLookup) throws -> Network {
        guard let last = lastEncoderLayer[level] else { throw ModelError.badLevel(level) }
        var layers = [try conv("conv0", relu: false, tensors: tensors, part: "se\(level)")]
        for name in encoderLayers {
            if name == "P" {
                layers.append(.maxPool)
                continue
            }
            layers.append(try conv(name, relu: true, tensors: tensors, part: "se\(level)"))
            if name == last { return Network(layers: layers) }
        }
        throw ModelError.badLevel(level)
    }

    /// Builds decoder `level` from its checkpoint tensors.
    public static func decoder(level: Int, tensors: TensorLookup) throws -> Network {
        guard levels.contains(level) else { throw ModelError.badLevel(level) }
        var layers: [Layer] = []
        for name in decoderOrder where tensors(name + ".weight") != nil {
            layers.append(try conv(name, relu: true, tensors: tensors, part: "sd\(level)"))
            if upsampleAfter.contains(name) { layers.append(.upsample) }
        }
        guard !layers.isEmpty else { throw ModelError.missingTensor(part: "sd\(level)", name: "conv*.weight") }
        return Network(layers: layers)
    }

    private static func conv(_ name: String, relu: Bool, tensors: TensorLookup, part: String) throws -> Layer {
        guard let weight = tensors(name + ".weight") else { throw ModelError.missingTensor(part: part, name: name + ".weight") }
        guard let bias = tensors(name + ".bias") else { throw ModelError.missingTensor(part: part, name: name + ".bias") }
        let shape = weight.shape
        guard shape.count == 4, shape[2] == shape[3], shape[2] == 1 || shape[2] == 3, bias.shape == [shape[0]] else {
            throw ModelError.badShape(part: part, name: name, shape: shape)
        }
        do {
            let conv = try Conv2D(weight: weight.values, bias: bias.values, outChannels: shape[0],
                                  inChannels: shape[1], kernelSize: shape[2])
            return .conv(name: name, conv, relu: relu)
        } catch {
            throw ModelError.badShape(part: part, name: name, shape: shape)
        }
    }
}

/// Problems with the model's tensors.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// A level outside 1...5.
    case badLevel(Int)
    /// A tensor the architecture needs is not in the checkpoint.
    case missingTensor(part: String, name: String)
    /// A tensor has a shape the architecture cannot use.
    case badShape(part: String, name: String, shape: [Int])
    /// Consecutive layers do not fit together.
    case inconsistentChannels(part: String)

    public var description: String {
        switch self {
        case .badLevel(let level): return "model level \(level) does not exist (levels are 1 to 5)"
        case .missingTensor(let part, let name):
            return "model file \(part) has no tensor \(name); reinstall with `atelier models install`"
        case .badShape(let part, let name, let shape):
            return "model file \(part): tensor \(name) has unusable shape \(shape); reinstall with `atelier models install`"
        case .inconsistentChannels(let part):
            return "model file \(part): layer channel counts do not chain; reinstall with `atelier models install`"
        }
    }
}
