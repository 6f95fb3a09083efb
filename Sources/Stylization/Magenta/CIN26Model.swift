import Imaging
import Runtime

/// Dumoulin et al.'s network with 26 learned styles (the `cin26` family), as the specification
/// runs it: a 26-weight mix (normalised to sum 1) picks gamma = w G and beta = w B at each of its
/// 18 norms; strength is a pixel blend with the photo, applied after the colour step.
public final class CIN26Model: @unchecked Sendable {
    /// Number of built-in styles.
    public static let styleCount = 26
    /// The content is reflect-padded at the bottom/right to a multiple of this.
    public static let multiple = 4
    /// The network.
    public let network: CINNetwork
    private let tables: [String: (gamma: [Float], beta: [Float], channels: Int)]

    /// The model from the imported multistyle26 network (its `<layer>.norm.gamma/beta` tables).
    public init(_ imported: ImportedNetwork) throws {
        network = try CINNetwork(steps: MagentaArchitectures.cin26, network: imported, epsilon: 1e-5)
        var tables: [String: (gamma: [Float], beta: [Float], channels: Int)] = [:]
        for case .conv(_, _, _, let norm?, _) in MagentaArchitectures.cin26 {
            guard let g = imported.constants[norm + ".norm.gamma"], let b = imported.constants[norm + ".norm.beta"] else {
                throw MagentaError.missingLayer(norm + ".norm.gamma")
            }
            guard g.shape.count == 2, g.shape[0] == Self.styleCount, g.shape == b.shape else {
                throw MagentaError.unexpectedLayer(norm + ".norm.gamma", "shape \(g.shape)")
            }
            tables[norm] = (g.values, b.values, g.shape[1])
        }
        self.tables = tables
    }

    /// `weights` (26 values, none negative, not all zero) divided by their sum.
    public static func normalised(_ weights: [Float]) throws -> [Float] {
        guard weights.count == styleCount else {
            throw MagentaError.invalidSettings("a CIN-26 mix needs \(styleCount) weights, got \(weights.count)")
        }
        let total = weights.reduce(0.0) { $0 + Double($1) }
        guard weights.allSatisfy({ $0 >= 0 }), total > 0 else {
            throw MagentaError.invalidSettings("built-in style weights must be non-negative and not all zero")
        }
        return weights.map { Float(Double($0) / total) }
    }

    /// Stylizes `content` with the 26-weight mix `weights` (normalised here) and `regions` (each
    /// with its own 26-weight mix): pad to a multiple of 4, run, crop, clamp; then the colour
    /// step (`.match`: the output gets the photo's RGB mean and covariance; `.luminance`), then
    /// strength: `strength * stylized + (1 - strength) * content`. `clip`: see `CINNetwork.run`;
    /// `timing` hears each layer's wall time.
    public func stylize(content: RGBImage, weights: [Float], strength: Float = 1, regions: [CINRegion] = [],
                        color: ColorPreservation = .off, clip: ClipStatistics? = nil, pool: WorkerPool = .shared,
                        cancelled: () -> Bool = { false }, timing: ((StageTime) -> Void)? = nil) throws -> RGBImage {
        let base = try Self.normalised(weights)
        let regions = try regions.map { CINRegion(mask: $0.mask, parameter: try Self.normalised($0.parameter)) }
        let padded = Tensor(content).paddedToMultiple(Self.multiple, pool: pool)
        let conditioning = CINConditioning.make(base: base, regions: regions, width: content.width, height: content.height,
                                                paddedWidth: padded.width, paddedHeight: padded.height, affine: { try self.affine($0, $1) })
        let y = try network.run(padded, conditioning: conditioning, clip: clip, pool: pool, cancelled: cancelled,
                                timing: timing)
        var out = RGBImage(clamping: y, height: content.height, width: content.width)
        switch color {
        case .match: out = try ColorPreservation.matchColors(style: out, content: content)
        case .luminance: out = ColorPreservation.keepLuminance(stylized: out, content: content)
        case .off: break
        }
        if strength != 1 {
            out = RGBImage(width: out.width, height: out.height,
                           pixels: Tensor(out).mixed(with: Tensor(content), alpha: strength).data)
        }
        return out
    }

    /// The network part of `stylize` (mixes normalised here) under a memory budget, layer by
    /// layer in strips of rows (`CINStripRender`); the colour step and strength are the
    /// caller's, strip by strip.
    func stylizeInStrips(content: RGBImage, weights: [Float], regions: [CINRegion], options: TilingOptions,
                         control: RenderControl?, pool: WorkerPool) throws -> CINStripRender {
        let base = try Self.normalised(weights)
        let regions = try regions.map { CINRegion(mask: $0.mask, parameter: try Self.normalised($0.parameter)) }
        let m = Self.multiple
        let conditioning = CINConditioning.make(base: base, regions: regions, width: content.width, height: content.height,
                                                paddedWidth: (content.width + m - 1) / m * m,
                                                paddedHeight: (content.height + m - 1) / m * m, affine: { try self.affine($0, $1) })
        return try CINStripRender(network: network, photo: content, conditioning: conditioning,
                                  regionCount: regions.count, options: options, control: control, pool: pool)
    }

    /// gamma = w G, beta = w B for one norm.
    private func affine(_ norm: String, _ w: [Float]) throws -> (gamma: [Float], beta: [Float]) {
        guard let t = tables[norm] else { throw MagentaError.missingLayer(norm + ".norm.gamma") }
        var gamma = [Float](repeating: 0, count: t.channels), beta = gamma
        for i in 0..<Self.styleCount where w[i] != 0 {
            for c in 0..<t.channels {
                gamma[c] += w[i] * t.gamma[i * t.channels + c]
                beta[c] += w[i] * t.beta[i * t.channels + c]
            }
        }
        return (gamma, beta)
    }
}
