import Runtime

/// A per-pixel affine map of feature vectors, y = A x + b, with A a channels x channels matrix.
///
/// Both feature transforms are of this form once their statistics are known (AdaIN with a
/// diagonal A), and a weighted blend of such maps is again one, so a multi-style blend costs a
/// single pass over the features.
public struct ChannelAffineMap: Equatable, Sendable {
    /// Number of channels.
    public let channels: Int
    /// Row-major channels x channels matrix.
    public var matrix: [Double]
    /// One offset per channel.
    public var bias: [Double]

    /// Creates a map from a full matrix and bias.
    public init(channels: Int, matrix: [Double], bias: [Double]) {
        precondition(matrix.count == channels * channels && bias.count == channels, "map sizes do not match")
        self.channels = channels
        self.matrix = matrix
        self.bias = bias
    }

    /// The map that sends every feature vector to zero.
    public static func zero(channels: Int) -> ChannelAffineMap {
        ChannelAffineMap(channels: channels, matrix: [Double](repeating: 0, count: channels * channels),
                         bias: [Double](repeating: 0, count: channels))
    }

    /// A diagonal map: y_c = scale_c * x_c + shift_c.
    public static func diagonal(scale: [Double], shift: [Double]) -> ChannelAffineMap {
        let c = scale.count
        var m = zero(channels: c)
        for i in 0..<c { m.matrix[i * c + i] = scale[i] }
        m.bias = shift
        return m
    }

    /// Whether every off-diagonal entry is zero.
    public var isDiagonal: Bool {
        for i in 0..<channels {
            for j in 0..<channels where i != j && matrix[i * channels + j] != 0 { return false }
        }
        return true
    }

    /// Adds `weight * other` to this map.
    public mutating func add(_ other: ChannelAffineMap, weight: Double) {
        precondition(other.channels == channels, "channel counts differ")
        for i in matrix.indices { matrix[i] += weight * other.matrix[i] }
        for i in bias.indices { bias[i] += weight * other.bias[i] }
    }

    /// Applies the map to every pixel of `features`.
    public func apply(to features: Tensor, pool: WorkerPool = .shared) -> Tensor {
        precondition(features.channels == channels, "channel counts differ")
        if isDiagonal {
            let scale = (0..<channels).map { Float(matrix[$0 * channels + $0]) }
            return features.channelAffine(scale: scale, shift: bias.map { Float($0) }, pool: pool)
        }
        return features.channelMix(matrix.map { Float($0) }, outChannels: channels,
                                   bias: bias.map { Float($0) }, pool: pool)
    }
}
