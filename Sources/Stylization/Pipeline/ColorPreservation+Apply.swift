import Imaging
import Runtime

extension ColorPreservation {
    /// Gives `style` the RGB mean and covariance of `content` (Gatys et al. 2016):
    /// s' = Cc^1/2 Cs^-1/2 (s - mean_s) + mean_c, clipped to [0, 1]; covariances with N - 1
    /// and eps on the diagonal, as the reference.
    static func matchColors(style: RGBImage, content: RGBImage) throws -> RGBImage {
        let (mean, covariance) = Tensor(content).covariance()
        return try matchColors(style: style, contentMean: mean, contentCovariance: covariance)
    }

    /// The same recolouring from the photo's RGB mean and covariance (N - 1), however they were
    /// gathered (whole image, or strip by strip for tiled renders).
    static func matchColors(style: RGBImage, contentMean cm: [Double], contentCovariance cc: SymmetricMatrix) throws -> RGBImage {
        let (sm, sc) = Tensor(style).covariance()
        let map = try colourMap(styleMean: sm, styleCovariance: sc, contentMean: cm, contentCovariance: cc)
        return RGBImage(clamping: map.apply(to: Tensor(style)))
    }

    /// The affine map of `matchColors` (before the clip) from both images' RGB means and
    /// covariances (N - 1), however they were gathered: a tiled render applies it strip by strip.
    static func colourMap(styleMean sm: [Double], styleCovariance sc: SymmetricMatrix, contentMean cm: [Double],
                          contentCovariance cc: SymmetricMatrix) throws -> ChannelAffineMap {
        let eps = SymmetricMatrix.identity(order: 3, scale: transformEpsilon)
        let cHalf = try (cc + eps).spectralFunction { max($0, 1e-8).squareRoot() }
        let sInvHalf = try (sc + eps).spectralFunction { 1 / max($0, 1e-8).squareRoot() }
        let a = matrixProduct(cHalf.values, sInvHalf.values, m: 3, k: 3, n: 3)
        var bias = cm
        for i in 0..<3 { for j in 0..<3 { bias[i] -= a[i * 3 + j] * sm[j] } }
        return ChannelAffineMap(channels: 3, matrix: a, bias: bias)
    }

    /// Keeps the luminance of `stylized` and the chroma of `content` (BT.601 YCbCr), clipped.
    static func keepLuminance(stylized: RGBImage, content: RGBImage) -> RGBImage {
        let n = stylized.planeSize
        var out = [Float](repeating: 0, count: 3 * n)
        let s = stylized.pixels, c = content.pixels
        for i in 0..<n {
            let y = 0.299 * s[i] + 0.587 * s[n + i] + 0.114 * s[2 * n + i]
            let cy = 0.299 * c[i] + 0.587 * c[n + i] + 0.114 * c[2 * n + i]
            let cb = (c[2 * n + i] - cy) * 0.564
            let cr = (c[i] - cy) * 0.713
            let r = y + 1.403 * cr
            let b = y + 1.773 * cb
            let g = (y - 0.299 * r - 0.114 * b) / 0.587
            out[i] = min(max(r, 0), 1)
            out[n + i] = min(max(g, 0), 1)
            out[2 * n + i] = min(max(b, 0), 1)
        }
        return RGBImage(width: stylized.width, height: stylized.height, pixels: out)
    }
}
