import Runtime

/// The UST-16x model: an encoder and a decoder per VGG-19 level 1...5, built from checkpoints.
public final class UST16xModel: @unchecked Sendable {
    /// Encoder networks by level.
    public let encoders: [Int: Network]
    /// Decoder networks by level.
    public let decoders: [Int: Network]

    /// Builds all ten networks; `tensors(part)` returns the lookup for part "se1"..."se5",
    /// "sd1"..."sd5".
    public init(tensors: (String) throws -> UST16xArchitecture.TensorLookup) throws {
        var encoders: [Int: Network] = [:]
        var decoders: [Int: Network] = [:]
        for level in UST16xArchitecture.levels {
            encoders[level] = try UST16xArchitecture.encoder(level: level, tensors: try tensors("se\(level)"))
            decoders[level] = try UST16xArchitecture.decoder(level: level, tensors: try tensors("sd\(level)"))
            guard encoders[level]!.outputChannels == Self.channelWidths[level] else {
                throw ModelError.inconsistentChannels(part: "se\(level)")
            }
        }
        self.encoders = encoders
        self.decoders = decoders
    }

    /// Encoder output channels per level.
    public static let channelWidths = [1: 24, 2: 32, 3: 64, 4: 128, 5: 128]

    /// Encodes an image tensor (3 x H x W, H and W multiples of 16) to level `level` features.
    public func encode(_ image: Tensor, level: Int, pool: WorkerPool = .shared,
                       beforeLayer: (Int) throws -> Void = { _ in }) throws -> Tensor {
        guard let network = encoders[level] else { throw ModelError.badLevel(level) }
        return try network.forward(image, pool: pool, beforeLayer: beforeLayer)
    }

    /// Decodes level `level` features back to an image tensor (3 x H x W).
    public func decode(_ features: Tensor, level: Int, pool: WorkerPool = .shared,
                       beforeLayer: (Int) throws -> Void = { _ in }) throws -> Tensor {
        guard let network = decoders[level] else { throw ModelError.badLevel(level) }
        return try network.forward(features, pool: pool, beforeLayer: beforeLayer)
    }
}
