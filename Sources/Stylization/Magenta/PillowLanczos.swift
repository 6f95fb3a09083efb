import Foundation

/// Pillow's `Image.resize(..., LANCZOS)` on 8-bit RGB, bit for bit: two separable passes in
/// 22-bit fixed point (Pillow's precompute_coeffs + normalize_coeffs_8bpc), each rounded half up
/// and clipped to 0...255. The horizontal pass runs first unless the image shrinks by more than
/// twice as many rows as columns (Pillow 13's order), as the specification's `pil_lanczos_resize`.
public enum PillowLanczos {
    private static let precisionBits = 32 - 8 - 2

    /// Resizes planar 8-bit RGB (`pixels[c][y][x]`, 3 planes of width x height) to newWidth x newHeight.
    public static func resize(_ pixels: [UInt8], width: Int, height: Int, newWidth: Int, newHeight: Int) -> [UInt8] {
        var a = pixels, w = width, h = height
        func horizontal() { a = pass(a, planes: 3, rows: h, inSize: w, outSize: newWidth, alongRows: true); w = newWidth }
        func vertical() { a = pass(a, planes: 3, rows: w, inSize: h, outSize: newHeight, alongRows: false); h = newHeight }
        if newHeight < height && (height - newHeight) > 2 * (width - newWidth) {
            vertical()
            if newWidth != width { horizontal() }
        } else {
            if newWidth != width { horizontal() }
            if newHeight != height { vertical() }
        }
        return a
    }

    /// Pillow's lanczos: sinc(x) sinc(x / 3) on [-3, 3).
    private static func lanczos(_ x: Double) -> Double {
        func sinc(_ v: Double) -> Double { v == 0 ? 1 : sin(v * .pi) / (v * .pi) }
        return (-3.0 <= x && x < 3.0) ? sinc(x) * sinc(x / 3) : 0
    }

    /// Per output index: the first input index and the fixed-point weights.
    static func coefficients(inSize: Int, outSize: Int) -> [(start: Int, weights: [Int64])] {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1.0)
        let support = 3.0 * filterScale
        let ss = 1.0 / filterScale
        return (0..<outSize).map { xx in
            let center = (Double(xx) + 0.5) * scale
            let xmin = max(Int(center - support + 0.5), 0)   // Int() truncates toward zero, as C's (int)
            let xmax = min(Int(center + support + 0.5), inSize)
            var k = (xmin..<max(xmin, xmax)).map { lanczos((Double($0) - center + 0.5) * ss) }
            var total = 0.0
            for v in k { total += v }
            if total != 0 { k = k.map { $0 / total } }
            let one = Double(1 << precisionBits)
            return (xmin, k.map { $0 < 0 ? Int64(-0.5 + $0 * one) : Int64(0.5 + $0 * one) })
        }
    }

    /// One pass along rows (x) or columns (y) of every plane.
    private static func pass(_ a: [UInt8], planes: Int, rows: Int, inSize: Int, outSize: Int, alongRows: Bool) -> [UInt8] {
        let coefficients = coefficients(inSize: inSize, outSize: outSize)
        var out = [UInt8](repeating: 0, count: planes * rows * outSize)
        let half = Int64(1) << Int64(precisionBits - 1)
        for p in 0..<planes {
            for r in 0..<rows {
                for (o, (start, weights)) in coefficients.enumerated() {
                    var acc = half
                    for (j, wt) in weights.enumerated() {
                        let i = start + j
                        let v = alongRows ? a[(p * rows + r) * inSize + i] : a[(p * inSize + i) * rows + r]
                        acc += wt * Int64(v)
                    }
                    let value = UInt8(clamping: min(max(acc >> Int64(precisionBits), 0), 255))
                    if alongRows { out[(p * rows + r) * outSize + o] = value } else { out[(p * outSize + o) * rows + r] = value }
                }
            }
        }
        return out
    }
}
