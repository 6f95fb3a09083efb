import Runtime

/// The epsilon of the reference: added to standard deviations (AdaIN) and to the content
/// covariance's diagonal (WCT).
let transformEpsilon = 1e-5

/// The statistics of a set of feature vectors that a feature transform needs: per-channel
/// means plus either standard deviations (AdaIN) or the full covariance (WCT).
///
/// Splitting "features -> statistics" from "statistics -> map" lets the tiled renderer
/// accumulate statistics over a whole image tile by tile and build the same maps from them.
public enum FeatureStatistics: Equatable, Sendable {
    /// Per-channel mean and population standard deviation (divide by the weight sum).
    case meanAndStd(mean: [Double], std: [Double])
    /// Per-channel mean and covariance (divide by max(weight sum - 1, 1)).
    case meanAndCovariance(mean: [Double], covariance: SymmetricMatrix)

    /// The per-channel means.
    public var mean: [Double] {
        switch self {
        case .meanAndStd(let mean, _), .meanAndCovariance(let mean, _): return mean
        }
    }
}

extension FeatureStatistics {
    /// These statistics averaged over a clip's frames by `clip` under `key` (see
    /// `ClipStatistics`): means and standard deviations, or means and covariances, each moved
    /// by the same moving average.
    public func smoothed(by clip: ClipStatistics, key: String) -> FeatureStatistics {
        switch self {
        case .meanAndStd(let mean, let std):
            let both = clip.smoothed(mean + std, key: key)
            return .meanAndStd(mean: Array(both[..<mean.count]), std: Array(both[mean.count...]))
        case .meanAndCovariance(let mean, let covariance):
            let both = clip.smoothed(mean + covariance.values, key: key)
            return .meanAndCovariance(mean: Array(both[..<mean.count]),
                                      covariance: SymmetricMatrix(order: covariance.order, values: Array(both[mean.count...])))
        }
    }
}

extension FeatureTransform {
    /// The affine map that moves `content` features (statistics taken where `mask` weighs them;
    /// nil = everywhere) to the statistics of `style` features.
    public func map(content: Tensor, mask: [Float]?, style: Tensor, pool: WorkerPool = .shared) throws -> ChannelAffineMap {
        precondition(content.channels == style.channels, "content and style features differ in channels")
        return try map(content: statistics(of: content, mask: mask, pool: pool),
                       style: statistics(of: style, mask: nil, pool: pool))
    }

    /// The statistics this transform needs of `features`, weighted by `mask` (one weight per
    /// pixel; nil = all ones).
    public func statistics(of features: Tensor, mask: [Float]?, pool: WorkerPool = .shared) -> FeatureStatistics {
        switch self {
        case .adain:
            let s = features.channelStatistics(mask: mask, pool: pool)
            return .meanAndStd(mean: s.mean, std: s.std)
        case .wct:
            let s = features.covariance(mask: mask, pool: pool)
            return .meanAndCovariance(mean: s.mean, covariance: s.covariance)
        }
    }

    /// The affine map from content statistics to style statistics. Both must be of the kind
    /// `statistics(of:mask:pool:)` produces for this transform.
    public func map(content: FeatureStatistics, style: FeatureStatistics) throws -> ChannelAffineMap {
        switch (self, content, style) {
        case (.adain, .meanAndStd(let cm, let cs), .meanAndStd(let sm, let ss)):
            return adainMap(contentMean: cm, contentStd: cs, styleMean: sm, styleStd: ss)
        case (.wct, .meanAndCovariance(let cm, let cc), .meanAndCovariance(let sm, let sc)):
            return try wctMap(contentMean: cm, contentCovariance: cc, styleMean: sm, styleCovariance: sc)
        default:
            preconditionFailure("statistics of the wrong kind for \(rawValue)")
        }
    }

    /// AdaIN: y = (x - mean_c) / (std_c + eps) * (std_s + eps) + mean_s, per channel, with
    /// population statistics.
    private func adainMap(contentMean: [Double], contentStd: [Double], styleMean: [Double], styleStd: [Double]) -> ChannelAffineMap {
        let n = contentMean.count
        precondition(styleMean.count == n, "content and style features differ in channels")
        var scale = [Double](repeating: 0, count: n)
        var shift = [Double](repeating: 0, count: n)
        for i in 0..<n {
            scale[i] = (styleStd[i] + transformEpsilon) / (contentStd[i] + transformEpsilon)
            shift[i] = styleMean[i] - contentMean[i] * scale[i]
        }
        return .diagonal(scale: scale, shift: shift)
    }

    /// WCT (Li et al. 2017): y = Cs^1/2 (Cc + eps I)^-1/2 (x - mean_c) + mean_s, covariances and
    /// eigendecompositions in double; eigenvalues clamped (content >= 1e-8, style >= 0).
    private func wctMap(contentMean cmean: [Double], contentCovariance ccov: SymmetricMatrix,
                        styleMean smean: [Double], styleCovariance scov: SymmetricMatrix) throws -> ChannelAffineMap {
        let n = cmean.count
        precondition(smean.count == n, "content and style features differ in channels")
        let whiten = try (ccov + .identity(order: n, scale: transformEpsilon))
            .spectralFunction { 1 / max($0, 1e-8).squareRoot() }
        let colour = try scov.spectralFunction { max($0, 0).squareRoot() }
        let matrix = matrixProduct(colour.values, whiten.values, m: n, k: n, n: n)
        var bias = smean
        for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += matrix[i * n + j] * cmean[j] }
            bias[i] -= s
        }
        return ChannelAffineMap(channels: n, matrix: matrix, bias: bias)
    }
}
