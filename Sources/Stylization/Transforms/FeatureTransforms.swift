import Runtime

/// The epsilon of the reference: added to standard deviations (AdaIN) and to the content
/// covariance's diagonal (WCT).
let transformEpsilon = 1e-5

extension FeatureTransform {
    /// The affine map that moves `content` features (statistics taken where `mask` weighs them;
    /// nil = everywhere) to the statistics of `style` features.
    public func map(content: Tensor, mask: [Float]?, style: Tensor, pool: WorkerPool = .shared) throws -> ChannelAffineMap {
        precondition(content.channels == style.channels, "content and style features differ in channels")
        switch self {
        case .adain: return adainMap(content: content, mask: mask, style: style, pool: pool)
        case .wct: return try wctMap(content: content, mask: mask, style: style, pool: pool)
        }
    }

    /// AdaIN: y = (x - mean_c) / (std_c + eps) * (std_s + eps) + mean_s, per channel, with
    /// population statistics.
    private func adainMap(content: Tensor, mask: [Float]?, style: Tensor, pool: WorkerPool) -> ChannelAffineMap {
        let c = content.channelStatistics(mask: mask, pool: pool)
        let s = style.channelStatistics(pool: pool)
        var scale = [Double](repeating: 0, count: content.channels)
        var shift = [Double](repeating: 0, count: content.channels)
        for i in 0..<content.channels {
            scale[i] = (s.std[i] + transformEpsilon) / (c.std[i] + transformEpsilon)
            shift[i] = s.mean[i] - c.mean[i] * scale[i]
        }
        return .diagonal(scale: scale, shift: shift)
    }

    /// WCT (Li et al. 2017): y = Cs^1/2 (Cc + eps I)^-1/2 (x - mean_c) + mean_s, covariances and
    /// eigendecompositions in double; eigenvalues clamped (content >= 1e-8, style >= 0).
    private func wctMap(content: Tensor, mask: [Float]?, style: Tensor, pool: WorkerPool) throws -> ChannelAffineMap {
        let n = content.channels
        let (cmean, ccov) = content.covariance(mask: mask, pool: pool)
        let (smean, scov) = style.covariance(pool: pool)
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
