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

    /// The loss at `image` (3 x H x W, the padded size) and its gradient.
    public func evaluate(_ image: Tensor) throws -> (loss: PolishLoss, gradient: Tensor) {
        let tape = try encoder.forward(image)
        let taps = encoder.taps(of: tape)
        var tapGradients = [Tensor?](repeating: nil, count: taps.count)
        var styleByLayer = [Double](repeating: 0, count: taps.count)
        if weights.style > 0 {
            for (l, f) in taps.enumerated() {
                var g = Tensor(channels: f.channels, height: f.height, width: f.width)
                for region in regions {
                    let (gram, masked, mass) = Self.gram(f, mask: region.masks[l])
                    guard mass > 0 else { continue }
                    var diff = [Float](repeating: 0, count: gram.count)
                    var loss = 0.0
                    for j in gram.indices {
                        diff[j] = gram[j] - region.grams[l][j]
                        loss += Double(diff[j]) * Double(diff[j])
                    }
                    styleByLayer[l] += region.share * loss / region.norms[l]
                    // dL/dF = 4 a β_s / (‖Ĝ‖² C Σm) · (G − Ĝ) (F ⊙ m)
                    let coefficient = 4 * region.share * weights.style / (region.norms[l] * Double(f.channels) * mass)
                    Self.multiplyAdd(diff, masked ?? f.data, channels: f.channels, scale: Float(coefficient), into: &g.data)
                }
                tapGradients[l] = g
            }
        }
        let content = taps[Self.contentTap]
        var contentLoss = 0.0
        var contentGradient = Tensor(channels: content.channels, height: content.height, width: content.width)
        let contentScale = Float(2 * weights.content / photoNorm)
        for i in 0..<content.count {
            let d = content.data[i] - photoContent.data[i]
            contentLoss += Double(d) * Double(d)
            contentGradient.data[i] = contentScale * d
        }
        contentLoss /= photoNorm
        if weights.content > 0 {
            if tapGradients[Self.contentTap] == nil { tapGradients[Self.contentTap] = contentGradient }
            else { tapGradients[Self.contentTap]!.add(contentGradient) }
        }
        var gradient = try encoder.backward(tape, tapGradients: tapGradients)
        let tv = Self.totalVariation(image, weight: weights.totalVariation, gradient: &gradient)
        let total = weights.content * contentLoss + weights.style * styleByLayer.reduce(0, +) + weights.totalVariation * tv
        return (PolishLoss(content: contentLoss, styleByLayer: styleByLayer, totalVariation: tv, total: total), gradient)
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
        (masked ?? f.data).withUnsafeBufferPointer { a in
            f.data.withUnsafeBufferPointer { b in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(c), Int32(c), Int32(n), scale,
                            a.baseAddress, Int32(n), b.baseAddress, Int32(n), 0, &gram, Int32(c))
            }
        }
        return (gram, masked, mass)
    }

    /// out += scale · A X for A (c x c) and X (c x N).
    static func multiplyAdd(_ a: [Float], _ x: [Float], channels c: Int, scale: Float, into out: inout [Float]) {
        let n = x.count / c
        a.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { op in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(c), Int32(n), Int32(c), scale,
                                ap.baseAddress, Int32(c), xp.baseAddress, Int32(n), 1, op.baseAddress, Int32(n))
                }
            }
        }
    }

    /// L_tv of `image`, adding weight · ∇L_tv to `gradient`.
    static func totalVariation(_ image: Tensor, weight: Double, gradient: inout Tensor) -> Double {
        let (c, h, w) = (image.channels, image.height, image.width)
        let pairs = Double(c * ((h - 1) * w + h * (w - 1)))
        guard pairs > 0 else { return 0 }
        var sum = 0.0
        let scale = Float(2 * weight / pairs)
        image.data.withUnsafeBufferPointer { x in
            gradient.data.withUnsafeMutableBufferPointer { g in
                for ch in 0..<c {
                    for y in 0..<h {
                        for xx in 0..<w {
                            let i = (ch * h + y) * w + xx
                            if xx + 1 < w {
                                let d = x[i + 1] - x[i]
                                sum += Double(d) * Double(d)
                                g[i + 1] += scale * d
                                g[i] -= scale * d
                            }
                            if y + 1 < h {
                                let d = x[i + w] - x[i]
                                sum += Double(d) * Double(d)
                                g[i + w] += scale * d
                                g[i] -= scale * d
                            }
                        }
                    }
                }
            }
        }
        return sum / pairs
    }

    static func sumOfSquares(_ v: [Float]) -> Double {
        v.reduce(0.0) { $0 + Double($1) * Double($1) }
    }
}
