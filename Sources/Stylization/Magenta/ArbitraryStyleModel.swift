import Imaging
import Runtime

/// One spatial region of a Magenta or CIN-26 render: a mask on the photo (values in [0, 1],
/// photo-sized, row-major) and the style parameter used inside it (arbitrary: a style vector,
/// already blended and alpha-mixed; CIN-26: a 26-weight mix, normalised or not).
public struct CINRegion: Sendable {
    /// width x height mask values in [0, 1].
    public var mask: [Float]
    /// The region's style vector (arbitrary) or 26-weight mix (CIN-26).
    public var parameter: [Float]

    /// A region with `mask` (photo-sized) and `parameter`.
    public init(mask: [Float], parameter: [Float]) {
        self.mask = mask
        self.parameter = parameter
    }
}

/// Ghiasi et al.'s arbitrary style network (the `magenta` family): the style predictor and the
/// transformer, as the specification runs them at any size.
public final class ArbitraryStyleModel: @unchecked Sendable {
    /// The style predictor.
    public let predictor: StylePredictor
    /// The transformer.
    public let transformer: CINNetwork
    private let norms: [String: (gammaWeight: [Float], gammaBias: [Float], betaWeight: [Float], betaBias: [Float], channels: Int)]
    /// The style vector's length (100).
    public let vectorLength: Int

    /// The content is reflect-padded at the bottom/right to a multiple of this.
    public static let multiple = 4

    /// The model from the imported predictor and transformer networks.
    public init(predictor: ImportedNetwork, transformer: ImportedNetwork) throws {
        self.predictor = try StylePredictor(predictor)
        guard let epsilon = transformer.constants.first(where: { $0.key.contains("batchnorm/add/y") })?.value.values.first
                ?? transformer.constants["cin_epsilon"]?.values.first else {
            throw MagentaError.missingLayer("instance-norm epsilon")
        }
        self.transformer = try CINNetwork(steps: MagentaArchitectures.transformer, network: transformer, epsilon: Double(epsilon))
        var norms: [String: (gammaWeight: [Float], gammaBias: [Float], betaWeight: [Float], betaBias: [Float], channels: Int)] = [:]
        var length = 0
        for case .conv(_, _, _, let norm?, _) in MagentaArchitectures.transformer {
            let g = try transformer.conv("style_params/\(norm)/StyleNorm/Conv_1")
            let b = try transformer.conv("style_params/\(norm)/StyleNorm/Conv")
            guard let gb = g.bias, let bb = b.bias, g.outChannels == b.outChannels, g.inChannels == b.inChannels else {
                throw MagentaError.unexpectedLayer("style_params/\(norm)", "gamma and beta layers differ")
            }
            norms[norm] = (g.weight, gb, b.weight, bb, g.outChannels)
            length = g.inChannels
        }
        self.norms = norms
        vectorLength = length
    }

    /// The style vector of `image` (any size): `PredictorInput` then the predictor.
    public func styleVector(for image: RGBImage, pool: WorkerPool = .shared) throws -> [Float] {
        try predictor.styleVector(PredictorInput.tensor(for: image), pool: pool)
    }

    /// The weighted mean of style vectors, sum w_i s_i / sum w_i (double precision).
    public static func blend(_ vectors: [[Float]], weights: [Float]) -> [Float] {
        let total = weights.reduce(0.0) { $0 + Double($1) }
        return vectors[0].indices.map { k in
            Float(zip(vectors, weights).reduce(0.0) { $0 + Double($1.1) * Double($1.0[k]) } / total)
        }
    }

    /// alpha s + (1 - alpha) s_content (strength in vector space).
    public static func applyAlpha(_ vector: [Float], alpha: Float, contentVector: [Float]) -> [Float] {
        zip(vector, contentVector).map { Float(Double(alpha) * Double($0) + (1 - Double(alpha)) * Double($1)) }
    }

    /// Stylizes `content` with the final style vector `vector` (blended and alpha-mixed),
    /// `regions` (each with its own final vector) over it: reflect-pad to a multiple of 4, run,
    /// crop, clamp. The result is the transformer's image (no colour step).
    /// `clip`: see `CINNetwork.run`; `timing` hears each layer's wall time.
    public func stylize(content: RGBImage, vector: [Float], regions: [CINRegion] = [], clip: ClipStatistics? = nil,
                        pool: WorkerPool = .shared, cancelled: () -> Bool = { false },
                        timing: ((StageTime) -> Void)? = nil) throws -> RGBImage {
        let padded = Tensor(content).paddedToMultiple(Self.multiple, pool: pool)
        let conditioning = CINConditioning.make(base: vector, regions: regions, width: content.width, height: content.height,
                                                paddedWidth: padded.width, paddedHeight: padded.height, affine: { try self.affine($0, $1) })
        let y = try transformer.run(padded, conditioning: conditioning, clip: clip, pool: pool, cancelled: cancelled,
                                    timing: timing)
        return RGBImage(clamping: y, height: content.height, width: content.width)
    }

    /// The same render under a memory budget, layer by layer in strips of rows
    /// (`CINStripRender`); the result equals `stylize`'s up to the rounding of the merged
    /// instance-norm statistics.
    func stylizeInStrips(content: RGBImage, vector: [Float], regions: [CINRegion], options: TilingOptions,
                         control: RenderControl?, pool: WorkerPool) throws -> CINStripRender {
        let m = Self.multiple
        let conditioning = CINConditioning.make(base: vector, regions: regions, width: content.width, height: content.height,
                                                paddedWidth: (content.width + m - 1) / m * m,
                                                paddedHeight: (content.height + m - 1) / m * m, affine: { try self.affine($0, $1) })
        return try CINStripRender(network: transformer, photo: content, conditioning: conditioning,
                                  regionCount: regions.count, options: options, control: control, pool: pool)
    }

    /// The whole arbitrary path of the specification (`arbitrary_stylize`): predictor inputs
    /// (recoloured to the content for `.match`), vectors, blend, alpha against the content's own
    /// vector, regions (each a mask and its own (style index, weight) blend), transformer,
    /// `.luminance` at the end.
    public func stylize(content: RGBImage, styles: [(image: RGBImage, weight: Float)], alpha: Float = 1,
                        regions: [(mask: [Float], styles: [(index: Int, weight: Float)])] = [],
                        color: ColorPreservation = .off, pool: WorkerPool = .shared) throws -> RGBImage {
        var inputs = styles.map { PredictorInput.tensor(for: $0.image) }
        if color == .match {
            inputs = try inputs.map {
                Tensor(try ColorPreservation.matchColors(style: RGBImage(width: $0.width, height: $0.height, pixels: $0.data), content: content))
            }
        }
        let vectors = try inputs.map { try predictor.styleVector($0, pool: pool) }
        let contentVector = alpha == 1 ? nil : try styleVector(for: content, pool: pool)
        func final(_ blend: [(index: Int, weight: Float)]) -> [Float] {
            let used = blend.filter { $0.weight > 0 }
            let s = Self.blend(used.map { vectors[$0.index] }, weights: used.map(\.weight))
            return contentVector.map { Self.applyAlpha(s, alpha: alpha, contentVector: $0) } ?? s
        }
        let base = final(styles.enumerated().map { ($0.offset, $0.element.weight) })
        let y = try stylize(content: content, vector: base,
                            regions: regions.map { CINRegion(mask: $0.mask, parameter: final($0.styles)) }, pool: pool)
        return color == .luminance ? ColorPreservation.keepLuminance(stylized: y, content: content) : y
    }

    /// gamma = Wg s + bg, beta = Wb s + bb for one norm.
    private func affine(_ norm: String, _ s: [Float]) throws -> (gamma: [Float], beta: [Float]) {
        guard let p = norms[norm] else { throw MagentaError.missingLayer("style_params/\(norm)") }
        guard s.count == vectorLength else {
            throw MagentaError.invalidSettings("a style vector has \(s.count) values, the transformer needs \(vectorLength)")
        }
        func apply(_ w: [Float], _ b: [Float]) -> [Float] {
            (0..<p.channels).map { c in
                var acc: Float = 0
                for k in 0..<vectorLength { acc += w[c * vectorLength + k] * s[k] }
                return acc + b[c]
            }
        }
        return (apply(p.gammaWeight, p.gammaBias), apply(p.betaWeight, p.betaBias))
    }
}

extension CINConditioning {
    /// The conditioning of a render: the base parameter outside every region and each region's
    /// own inside its mask. Masks are clipped to [0, 1], divided by their sum where it passes 1,
    /// the base takes the rest, then all maps are reflect-padded like the content (the
    /// specification's `region_weights`).
    static func make(base: [Float], regions: [CINRegion], width: Int, height: Int, paddedWidth: Int, paddedHeight: Int,
                     affine: @escaping @Sendable (String, [Float]) throws -> (gamma: [Float], beta: [Float])) -> CINConditioning {
        guard !regions.isEmpty else {
            return CINConditioning(components: [Component(weights: nil, parameter: base)],
                                   gridWidth: paddedWidth, gridHeight: paddedHeight, affine: affine)
        }
        let n = width * height
        var masks = regions.map { $0.mask.map { min(max($0, 0), 1) } }
        var rest = [Float](repeating: 1, count: n)
        for i in 0..<n {
            var total: Float = 0
            for m in masks { total += m[i] }
            let divisor = max(total, 1)
            var sum: Float = 0
            for k in masks.indices { masks[k][i] /= divisor; sum += masks[k][i] }
            rest[i] = 1 - sum
        }
        func pad(_ m: [Float]) -> [Float] {
            Tensor(channels: 1, height: height, width: width, data: m)
                .reflectPadded(bottom: paddedHeight - height, right: paddedWidth - width).data
        }
        let components = [Component(weights: pad(rest), parameter: base)]
            + zip(masks, regions).map { Component(weights: pad($0), parameter: $1.parameter) }
        return CINConditioning(components: components, gridWidth: paddedWidth, gridHeight: paddedHeight, affine: affine)
    }
}
