import Imaging
import Runtime

/// A region's weights on the padded image grid, ready to be averaged down to any feature level.
struct RegionPlan {
    /// Per-pixel weights on the padded grid (nil: 1 everywhere).
    var weights: [Float]?
    /// The blend this region gets.
    var styles: [WeightedStyle]
}

enum RegionMasks {
    /// Turns the settings' regions into weights on the padded `paddedWidth` x `paddedHeight` grid.
    ///
    /// Masks are resampled to the photo's size. Where masks overlap by more than 1 they are scaled
    /// to sum to 1; whatever weight is left (1 - sum) goes to the default blend `settings.styles`.
    /// Without regions, one region of ones gets `settings.styles` (the reference's behaviour).
    static func plan(settings: StylizeSettings, width: Int, height: Int,
                     paddedWidth: Int, paddedHeight: Int) -> [RegionPlan] {
        guard !settings.regions.isEmpty else { return [RegionPlan(weights: nil, styles: settings.styles)] }
        var masks = settings.regions.map { region -> [Float] in
            let m = region.mask
            let sized = (m.width == width && m.height == height) ? m : m.resized(width: width, height: height)
            return sized.pixels.map { min(max($0, 0), 1) }
        }
        let n = width * height
        var rest = [Float](repeating: 1, count: n)
        for i in 0..<n {
            var sum: Float = 0
            for m in masks { sum += m[i] }
            if sum > 1 {
                for k in masks.indices { masks[k][i] /= sum }
                sum = 1
            }
            rest[i] = 1 - sum
        }
        var plans = zip(masks, settings.regions).map { RegionPlan(weights: $0, styles: $1.styles) }
        if rest.contains(where: { $0 > 0 }) { plans.append(RegionPlan(weights: rest, styles: settings.styles)) }
        return plans.map { plan in
            var padded = plan
            padded.weights = plan.weights.map {
                Tensor(channels: 1, height: height, width: width, data: $0)
                    .reflectPadded(bottom: paddedHeight - height, right: paddedWidth - width).data
            }
            return padded
        }
    }

    /// Averages `weights` (on a `width` x `height` grid) over the cells of a `featureWidth` x
    /// `featureHeight` grid: the reference's `mask_at` (nearest when the sizes agree).
    static func average(_ weights: [Float], width: Int, height: Int, featureWidth: Int, featureHeight: Int) -> [Float] {
        if width == featureWidth && height == featureHeight { return weights }
        let fy = height / featureHeight, fx = width / featureWidth
        let scale = 1 / Float(fy * fx)
        var out = [Float](repeating: 0, count: featureWidth * featureHeight)
        for y in 0..<featureHeight {
            for x in 0..<featureWidth {
                var s: Float = 0
                for dy in 0..<fy {
                    let row = (y * fy + dy) * width + x * fx
                    for dx in 0..<fx { s += weights[row + dx] }
                }
                out[y * featureWidth + x] = s * scale
            }
        }
        return out
    }
}
