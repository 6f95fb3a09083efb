import COpenBLAS
import Runtime

/// The polish loss and its gradient with respect to the image (docs/polish.md):
/// L = β_c·L_content + β_s·Σ_l L_style,l + β_tv·L_tv, over the padded image's pixels.
///
/// - L_style,l = Σ_r a_r ‖G_l^r(x) − Ĝ_l^r‖² / ‖Ĝ_l^r‖²: for each region r (area share a_r,
///   mask m_r averaged down to layer l), the mask-weighted Gram G^r = F diag(m) Fᵀ / (C Σm)
///   against the region's blend Ĝ^r = Σ_i w_i G(s_i) of the styles' plain Grams.
/// - L_content = ‖F_4(x) − F_4(p)‖² / ‖F_4(p)‖² at relu4_1 (the mean squared error, relative to
///   the photo's mean square).
/// - L_tv = mean over vertical and horizontal neighbour pairs of the squared difference.
///
/// Every sum that reaches the loss is taken in a fixed order, so a given image always gives
/// the same bytes.
public final class PolishObjective: @unchecked Sendable {
    /// The tap that keeps the photo's content (relu4_1).
    static let contentTap = 3

    private struct RegionTarget {
        var masks: [[Float]?]     // per tap; nil = everywhere
        var share: Double         // a_r
        var grams: [[Float]]      // Ĝ_l^r, C_l x C_l
        var norms: [Double]       // ‖Ĝ_l^r‖²
    }

    /// The encoder and its backward pass.
    public let encoder: EncoderGradient
    /// β_c, β_s, β_tv.
    public let weights: PolishWeights
    private let photoContent: Tensor
    private let photoNorm: Double
    private let regions: [RegionTarget]

    /// Prepares the targets: the photo's relu4_1 features and each region's blended style
    /// Grams. `photo` and `styles` are padded image tensors; `regions` as `RegionMasks.plan`
    /// gives them on the photo's padded grid.
    init(encoder: EncoderGradient, photo: Tensor, styles: [Int: Tensor], regions plans: [RegionPlan],
         weights: PolishWeights) throws {
        self.encoder = encoder
        self.weights = weights
        let photoTaps = encoder.taps(of: try encoder.forward(photo))
        photoContent = photoTaps[Self.contentTap]
        photoNorm = max(Self.sumOfSquares(photoContent.data), 1e-12)
        var styleGrams: [Int: [[Float]]] = [:]
        for (index, image) in styles {
            styleGrams[index] = encoder.taps(of: try encoder.forward(image)).map { Self.gram($0, mask: nil).gram }
        }
        let tapShapes = photoTaps.map { ($0.height, $0.width, $0.channels) }
        let pixelCount = Double(photo.height * photo.width)
        regions = plans.compactMap { plan in
            let share = plan.weights.map { $0.reduce(0.0) { $0 + Double($1) } / pixelCount } ?? 1
            let total = plan.styles.reduce(0.0) { $0 + Double(max($1.weight, 0)) }
            guard share > 0, total > 0 else { return nil }
            let masks = tapShapes.map { shape in
                plan.weights.map { RegionMasks.average($0, width: photo.width, height: photo.height,
                                                       featureWidth: shape.1, featureHeight: shape.0) }
            }
            var grams = tapShapes.map { [Float](repeating: 0, count: $0.2 * $0.2) }
            for style in plan.styles where style.weight > 0 && styleGrams[style.index] != nil {
                let w = Float(Double(style.weight) / total)
                for l in grams.indices {
                    for j in grams[l].indices { grams[l][j] += w * styleGrams[style.index]![l][j] }
                }
            }
            return RegionTarget(masks: masks, share: share, grams: grams,
                                norms: grams.map { max(Self.sumOfSquares($0), 1e-12) })
        }
    }

    /// What one tap's loss left for its gradient: per region the Gram difference G − Ĝ, the
    /// masked features and Σm. One instance per tap, written by one thread at a time.
    private final class TapTerms: @unchecked Sendable {
        var differences: [[Float]] = []
        var masked: [[Float]?] = []
        var masses: [Double] = []
        var loss = 0.0
        var gradient: Tensor?
    }

    private lazy var tape = encoder.makeTape()
    private lazy var terms = encoder.tapLayers.map { _ in TapTerms() }
    private var lastImage: Tensor?
    private var lastContent = 0.0

    /// Forward passes run so far (`loss` calls).
    public private(set) var lossEvaluations = 0
    /// Backward passes run so far (`gradient` calls).
    public private(set) var gradientEvaluations = 0

    /// The loss at `image` (3 x H x W, the padded size) and its gradient.
    public func evaluate(_ image: Tensor) throws -> (loss: PolishLoss, gradient: Tensor) {
        let loss = try self.loss(image)
        var gradient = [Float]()
        try self.gradient(into: &gradient)
        return (loss, Tensor(channels: image.channels, height: image.height, width: image.width, data: gradient))
    }

    /// The loss at `image` (3 x H x W, the padded size): one forward pass and the Grams, no
    /// backward. Keeps what `gradient(into:)` needs for this image.
    public func loss(_ image: Tensor) throws -> PolishLoss {
        lossEvaluations += 1
        // A copy of its own: holding the caller's array would make the caller's next write copy it.
        if var kept = lastImage, kept.count == image.count, kept.channels == image.channels, kept.width == image.width {
            lastImage = nil
            image.data.withUnsafeBufferPointer { src in kept.data.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: src) } }
            lastImage = kept
        } else {
            lastImage = Tensor(channels: image.channels, height: image.height, width: image.width, data: image.data.map { $0 })
        }
        let image = lastImage!
        try encoder.forward(image, into: tape)
        let taps = encoder.taps(of: tape)
        let pool = encoder.pool
        if weights.style > 0 {
            let (regions, terms) = (self.regions, self.terms)
            encoder.profile.time("loss: Grams") { pool.parallelFor(taps.count) { l in   // one tap per thread: each sgemm single-threaded, same bytes
                let f = taps[l], term = terms[l]
                term.differences = []; term.masked = []; term.masses = []; term.loss = 0
                for region in regions {
                    let (gram, masked, mass) = Self.gram(f, mask: region.masks[l])
                    var diff = gram, loss = 0.0
                    for j in diff.indices {
                        diff[j] -= region.grams[l][j]
                        loss += Double(diff[j]) * Double(diff[j])
                    }
                    term.differences.append(diff); term.masked.append(masked); term.masses.append(mass)
                    if mass > 0 { term.loss += region.share * loss / region.norms[l] }
                }
            } }
        }
        let content = taps[Self.contentTap]
        var contentLoss = 0.0
        content.data.withUnsafeBufferPointer { c in
            photoContent.data.withUnsafeBufferPointer { p in
                for i in 0..<c.count {
                    let d = c[i] - p[i]
                    contentLoss += Double(d) * Double(d)
                }
            }
        }
        contentLoss /= photoNorm
        let styleByLayer = weights.style > 0 ? terms.map(\.loss) : [Double](repeating: 0, count: taps.count)
        let tv = encoder.profile.time("loss: total variation") { Self.totalVariation(image) }
        let total = weights.content * contentLoss + weights.style * styleByLayer.reduce(0, +) + weights.totalVariation * tv
        return PolishLoss(content: contentLoss, styleByLayer: styleByLayer, totalVariation: tv, total: total)
    }

    /// The gradient at the image of the last `loss` call, written into `gradient` (resized to
    /// the image's element count when it differs).
    public func gradient(into gradient: inout [Float]) throws {
        guard let image = lastImage else { preconditionFailure("gradient(into:) before loss(_:)") }
        gradientEvaluations += 1
        let taps = encoder.taps(of: tape)
        let (regions, terms, weights) = (self.regions, self.terms, self.weights)
        let (photoContent, photoNorm) = (self.photoContent, self.photoNorm)
        encoder.profile.time("gradient: tap gradients") { encoder.pool.parallelFor(taps.count) { l in
            let f = taps[l], term = terms[l]
            let styled = weights.style > 0 && !term.differences.isEmpty
            guard styled || (l == Self.contentTap && weights.content > 0) else {
                term.gradient = nil
                return
            }
            var g = term.gradient.flatMap { $0.count == f.count ? $0 : nil }
                ?? Tensor(channels: f.channels, height: f.height, width: f.width)
            term.gradient = nil   // g holds the only reference: no copy on write
            var written = false   // the first product overwrites g (no zero-fill pass)
            if styled {
                for (r, region) in regions.enumerated() where term.masses[r] > 0 {
                    // dL/dF = 4 a β_s / (‖Ĝ‖² C Σm) · (G − Ĝ) (F ⊙ m)
                    let coefficient = 4 * region.share * weights.style / (region.norms[l] * Double(f.channels) * term.masses[r])
                    Self.multiplyAdd(term.differences[r], term.masked[r] ?? f.data, channels: f.channels,
                                     scale: Float(coefficient), overwriting: !written, into: &g.data)
                    written = true
                }
            }
            if !written { g.data.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
            if l == Self.contentTap && weights.content > 0 {
                let scale = Float(2 * weights.content / photoNorm)
                f.data.withUnsafeBufferPointer { c in
                    photoContent.data.withUnsafeBufferPointer { p in
                        g.data.withUnsafeMutableBufferPointer { o in
                            for i in 0..<c.count { o[i] += scale * (c[i] - p[i]) }
                        }
                    }
                }
            }
            term.gradient = g
        } }
        let result = try encoder.backward(tape, tapGradients: terms.map(\.gradient))
        encoder.profile.time("gradient: copy + total variation") {
            if gradient.count != result.count { gradient = [Float](repeating: 0, count: result.count) }
            result.data.withUnsafeBufferPointer { src in
                gradient.withUnsafeMutableBufferPointer { dst in _ = dst.update(fromContentsOf: src) }
            }
            Self.addTotalVariationGradient(image, weight: weights.totalVariation, into: &gradient)
        }
    }

    /// G = (F ⊙ m) Fᵀ / (C Σm), the masked features (nil without a mask) and Σm (N without).
    static func gram(_ f: Tensor, mask: [Float]?) -> (gram: [Float], masked: [Float]?, mass: Double) {
        let c = f.channels, n = f.planeSize
        var masked: [Float]?
        var mass = Double(n)
        if let mask {
            var m = f.data
            for ch in 0..<c {
                for i in 0..<n { m[ch * n + i] *= mask[i] }
            }
            masked = m
            mass = mask.reduce(0.0) { $0 + Double($1) }
        }
        var gram = [Float](repeating: 0, count: c * c)
        guard mass > 0 else { return (gram, masked, 0) }
        let scale = Float(1 / (Double(c) * mass))
        if masked == nil {   // F Fᵀ is symmetric: one triangle (half the work), then mirrored
            f.data.withUnsafeBufferPointer { a in
                cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(c), Int32(n), scale,
                            a.baseAddress, Int32(n), 0, &gram, Int32(c))
            }
            for i in 0..<c {
                for j in 0..<i { gram[i * c + j] = gram[j * c + i] }
            }
            return (gram, nil, mass)
        }
        (masked ?? f.data).withUnsafeBufferPointer { a in
            f.data.withUnsafeBufferPointer { b in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(c), Int32(c), Int32(n), scale,
                            a.baseAddress, Int32(n), b.baseAddress, Int32(n), 0, &gram, Int32(c))
            }
        }
        return (gram, masked, mass)
    }

    /// out += scale · A X for A (c x c) and X (c x N); with `overwriting`, out = scale · A X.
    static func multiplyAdd(_ a: [Float], _ x: [Float], channels c: Int, scale: Float, overwriting: Bool = false,
                            into out: inout [Float]) {
        let n = x.count / c
        a.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(c), Int32(n), Int32(c), scale,
                                ap.baseAddress, Int32(c), xp.baseAddress, Int32(n), overwriting ? 0 : 1, op.baseAddress, Int32(n))
                }
            }
        }
    }

    /// L_tv of `image`: the mean over neighbour pairs of the squared difference.
    static func totalVariation(_ image: Tensor) -> Double {
        let (c, h, w) = (image.channels, image.height, image.width)
        let pairs = Double(c * ((h - 1) * w + h * (w - 1)))
        guard pairs > 0 else { return 0 }
        var sum = 0.0
        image.data.withUnsafeBufferPointer { x in
            for ch in 0..<c {
                for y in 0..<h {
                    let row = (ch * h + y) * w
                    for xx in 0..<w - 1 {
                        let d = x[row + xx + 1] - x[row + xx]
                        sum += Double(d) * Double(d)
                    }
                    if y + 1 < h {
                        for xx in 0..<w {
                            let d = x[row + w + xx] - x[row + xx]
                            sum += Double(d) * Double(d)
                        }
                    }
                }
            }
        }
        return sum / pairs
    }

    /// Adds weight · ∇L_tv at `image` to `gradient`.
    static func addTotalVariationGradient(_ image: Tensor, weight: Double, into gradient: inout [Float]) {
        let (c, h, w) = (image.channels, image.height, image.width)
        let pairs = Double(c * ((h - 1) * w + h * (w - 1)))
        guard pairs > 0, weight != 0 else { return }
        let scale = Float(2 * weight / pairs)
        image.data.withUnsafeBufferPointer { x in
            gradient.withUnsafeMutableBufferPointer { g in
                for ch in 0..<c {
                    for y in 0..<h {
                        let row = (ch * h + y) * w
                        for xx in 0..<w - 1 {
                            let d = scale * (x[row + xx + 1] - x[row + xx])
                            g[row + xx + 1] += d
                            g[row + xx] -= d
                        }
                        if y + 1 < h {
                            for xx in 0..<w {
                                let d = scale * (x[row + w + xx] - x[row + xx])
                                g[row + w + xx] += d
                                g[row + xx] -= d
                            }
                        }
                    }
                }
            }
        }
    }

    static func sumOfSquares(_ v: [Float]) -> Double {
        v.reduce(0.0) { $0 + Double($1) * Double($1) }
    }
}
