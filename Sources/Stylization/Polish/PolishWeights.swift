/// The weights of the polish loss L = β_c·L_content + β_s·Σ_l L_style,l + β_tv·L_tv
/// (docs/polish.md explains each term and how the defaults were chosen).
public struct PolishWeights: Equatable, Codable, Sendable {
    /// β_c: keeping the photo's relu4_1 features.
    public var content: Double
    /// β_s: matching the styles' Gram matrices.
    public var style: Double
    /// β_tv: smoothness (mean squared neighbour difference).
    public var totalVariation: Double

    /// Creates weights.
    public init(content: Double, style: Double, totalVariation: Double) {
        self.content = content
        self.style = style
        self.totalVariation = totalVariation
    }

    /// The defaults at alpha = 1 (chosen by pictures: docs/polish.md).
    public static let defaults = PolishWeights(content: 7, style: 10, totalVariation: 10)

    /// The render's alpha mapped onto the weights: β_s = α·β_s⁰ and β_c = (2 − α)·β_c⁰, so
    /// alpha 1 gives the defaults, alpha 0 keeps only the content (and smoothness) terms, and in
    /// between the style-to-content ratio falls smoothly (α = 0.5: a third of the default's).
    public static func forAlpha(_ alpha: Float) -> PolishWeights {
        let a = Double(min(max(alpha, 0), 1))
        return PolishWeights(content: (2 - a) * defaults.content, style: a * defaults.style,
                             totalVariation: defaults.totalVariation)
    }
}

/// The terms of one evaluation of the polish loss.
public struct PolishLoss: Equatable, Sendable {
    /// L_content (before β_c).
    public var content: Double
    /// L_style,l per tapped layer relu1_1 ... relu5_1 (before β_s).
    public var styleByLayer: [Double]
    /// L_tv (before β_tv).
    public var totalVariation: Double
    /// The weighted total L.
    public var total: Double

    /// Σ_l L_style,l.
    public var style: Double { styleByLayer.reduce(0, +) }
}

/// A polish as a render asks for it: how many L-BFGS steps, with which loss weights.
public struct PolishSettings: Equatable, Codable, Sendable {
    /// L-BFGS steps (each one or a few evaluations of the loss).
    public var steps: Int
    /// β_c, β_s, β_tv.
    public var weights: PolishWeights

    /// Creates polish settings; the weights default to the render's alpha mapped onto them.
    public init(steps: Int, weights: PolishWeights) {
        self.steps = steps
        self.weights = weights
    }

    /// `steps` steps with `PolishWeights.forAlpha(alpha)`.
    public init(steps: Int, alpha: Float) {
        self.init(steps: steps, weights: .forAlpha(alpha))
    }
}
