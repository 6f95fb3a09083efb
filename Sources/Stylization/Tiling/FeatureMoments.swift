import Runtime

/// Weighted first and second moments of feature vectors, accumulated tile by tile in double
/// precision and merged exactly (Chan et al.'s pairwise update), so the statistics of a whole
/// image come out as if taken in one pass.
struct FeatureMoments {
    /// Number of channels.
    let channels: Int
    /// Whether the full covariance is kept (WCT) or only the variances (AdaIN).
    let full: Bool
    /// Sum of the weights seen.
    private(set) var weight = 0.0
    /// Weighted mean per channel.
    private(set) var mean: [Double]
    /// Sum of weighted squared deviations from the mean: channels x channels when `full`,
    /// else one per channel.
    private(set) var deviations: [Double]

    init(channels: Int, transform: FeatureTransform) {
        self.channels = channels
        full = transform == .wct
        mean = [Double](repeating: 0, count: channels)
        deviations = [Double](repeating: 0, count: full ? channels * channels : channels)
    }

    /// Adds the pixels of `features`, each weighted by `mask` (nil: weight 1).
    mutating func add(_ features: Tensor, mask: [Float]?, pool: WorkerPool) {
        precondition(features.channels == channels, "channel counts differ")
        let w = mask.map { $0.reduce(0.0) { $0 + Double($1) } } ?? Double(features.planeSize)
        guard w > 0 else { return }
        if full {
            let (m, covariance) = features.covariance(mask: mask, pool: pool)
            let divisor = max(w - 1, 1)
            merge(weight: w, mean: m, deviations: covariance.values.map { $0 * divisor })
        } else {
            let (m, std) = features.channelStatistics(mask: mask, pool: pool)
            merge(weight: w, mean: m, deviations: std.map { $0 * $0 * w })
        }
    }

    /// Folds in another set's weight, mean and deviations.
    private mutating func merge(weight w: Double, mean m: [Double], deviations d: [Double]) {
        if weight == 0 {
            (weight, mean, deviations) = (w, m, d)
            return
        }
        let total = weight + w
        let delta = (0..<channels).map { m[$0] - mean[$0] }
        let cross = weight * w / total
        if full {
            for i in 0..<channels {
                for j in 0..<channels {
                    deviations[i * channels + j] += d[i * channels + j] + delta[i] * delta[j] * cross
                }
            }
        } else {
            for i in 0..<channels { deviations[i] += d[i] + delta[i] * delta[i] * cross }
        }
        for i in 0..<channels { mean[i] += delta[i] * w / total }
        weight = total
    }

    /// The statistics the transform needs, or nil when no weight was seen.
    var statistics: FeatureStatistics? {
        guard weight > 0 else { return nil }
        if full {
            let divisor = max(weight - 1, 1)
            return .meanAndCovariance(mean: mean, covariance: SymmetricMatrix(order: channels, values: deviations.map { $0 / divisor }))
        }
        return .meanAndStd(mean: mean, std: deviations.map { ($0 / weight).squareRoot() })
    }
}
