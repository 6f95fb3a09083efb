import Foundation
import Imaging

/// Simple statistics of an image that style transfer is sensitive to: colour (mean and spread)
/// and texture (how strong and how oriented the edges are).
struct ImageStatistics {
    /// Mean red, green, blue.
    let mean: [Double]
    /// Standard deviation of each channel, averaged over the three channels.
    let colourSpread: Double
    /// Gradient energy by orientation (angle mod 180 degrees, 8 bins), summing to 1.
    let orientations: [Double]
    /// Fraction of pixels whose luma gradient magnitude exceeds 0.1 per pixel.
    let edgeDensity: Double

    init(_ image: RGBImage) {
        let w = image.width, h = image.height, n = w * h
        var mean = [Double](repeating: 0, count: 3)
        var spread = 0.0
        for c in 0..<3 {
            var sum = 0.0, squares = 0.0
            for i in 0..<n {
                let v = Double(image.pixels[c * n + i])
                sum += v
                squares += v * v
            }
            mean[c] = sum / Double(n)
            spread += (max(0, squares / Double(n) - mean[c] * mean[c])).squareRoot() / 3
        }
        var luma = [Double](repeating: 0, count: n)
        for i in 0..<n {
            luma[i] = 0.299 * Double(image.pixels[i]) + 0.587 * Double(image.pixels[n + i])
                + 0.114 * Double(image.pixels[2 * n + i])
        }
        var bins = [Double](repeating: 0, count: 8)
        var edges = 0
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                let gx = (luma[y * w + x + 1] - luma[y * w + x - 1]) / 2
                let gy = (luma[(y + 1) * w + x] - luma[(y - 1) * w + x]) / 2
                let magnitude = (gx * gx + gy * gy).squareRoot()
                if magnitude > 0.1 { edges += 1 }
                var angle = atan2(gy, gx)
                if angle < 0 { angle += .pi }
                bins[min(7, Int(angle / .pi * 8))] += magnitude
            }
        }
        let total = bins.reduce(0, +)
        self.mean = mean
        colourSpread = spread
        orientations = total > 0 ? bins.map { $0 / total } : bins
        edgeDensity = Double(edges) / Double((w - 2) * (h - 2))
    }

    /// Euclidean distance between mean colours.
    func meanDistance(to other: ImageStatistics) -> Double {
        zip(mean, other.mean).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
    }

    /// L1 distance between orientation histograms (0 same, 2 disjoint).
    func orientationDistance(to other: ImageStatistics) -> Double {
        zip(orientations, other.orientations).map { abs($0 - $1) }.reduce(0, +)
    }

    /// One line for logs.
    var summary: String {
        let m = mean.map { String(format: "%.2f", $0) }.joined(separator: ",")
        let o = orientations.map { String(format: "%.2f", $0) }.joined(separator: " ")
        return "mean (\(m)) spread \(String(format: "%.3f", colourSpread)) edges \(String(format: "%.3f", edgeDensity)) orient [\(o)]"
    }
}
