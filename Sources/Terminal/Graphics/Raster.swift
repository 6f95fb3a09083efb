import Imaging

/// An 8-bit RGB image, interleaved row by row: what every preview adapter encodes.
struct Raster: Equatable {
    /// Width in pixels.
    let width: Int
    /// Height in pixels.
    let height: Int
    /// `3 * width * height` bytes: r, g, b of pixel (0,0), then (1,0), ...
    var bytes: [UInt8]

    init(width: Int, height: Int, bytes: [UInt8]) {
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// `image` resized to `width` x `height`: area averaging when shrinking, bilinear when enlarging.
    init(resampling image: RGBImage, width: Int, height: Int) {
        self.width = width
        self.height = height
        let horizontal = ResampleTaps(source: image.width, target: width)
        let vertical = ResampleTaps(source: image.height, target: height)
        let plane = image.width * image.height
        // Pass 1: rows, per channel, into a float buffer of image.height x width.
        var rows = [Float](repeating: 0, count: 3 * image.height * width)
        image.pixels.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { dst in
                for c in 0..<3 {
                    for y in 0..<image.height {
                        let srcRow = c * plane + y * image.width
                        let dstRow = (c * image.height + y) * width
                        for x in 0..<width {
                            var sum: Float = 0
                            for t in horizontal.range(x) { sum += src[srcRow + horizontal.index[t]] * horizontal.weight[t] }
                            dst[dstRow + x] = sum
                        }
                    }
                }
            }
        }
        // Pass 2: columns, straight into interleaved bytes.
        var out = [UInt8](repeating: 0, count: 3 * width * height)
        rows.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    for c in 0..<3 {
                        let base = c * image.height
                        for x in 0..<width {
                            var sum: Float = 0
                            for t in vertical.range(y) { sum += src[(base + vertical.index[t]) * width + x] * vertical.weight[t] }
                            dst[3 * (y * width + x) + c] = RGBImage.byte(sum)
                        }
                    }
                }
            }
        }
        self.bytes = out
    }

    /// The red, green and blue bytes of pixel (x, y).
    func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let i = 3 * (y * width + x)
        return (bytes[i], bytes[i + 1], bytes[i + 2])
    }
}

/// For each target position along one axis, the source positions that feed it and their weights.
struct ResampleTaps {
    /// Source indices, all targets' taps one after the other.
    var index: [Int] = []
    /// Weights matching `index`; the taps of one target sum to 1.
    var weight: [Float] = []
    /// `start[i]..<start[i + 1]` are the taps of target i.
    var start: [Int] = [0]

    init(source: Int, target: Int) {
        let scale = Double(source) / Double(target)
        for i in 0..<target {
            if target <= source {
                // Area average: target pixel i covers [i * scale, (i + 1) * scale) of the source.
                let lo = Double(i) * scale, hi = Double(i + 1) * scale
                var s = Int(lo)
                while Double(s) < hi && s < source {
                    let overlap = min(hi, Double(s + 1)) - max(lo, Double(s))
                    if overlap > 0 { index.append(s); weight.append(Float(overlap / scale)) }
                    s += 1
                }
            } else {
                // Bilinear between the two nearest source pixel centres.
                let centre = (Double(i) + 0.5) * scale - 0.5
                let left = Int(centre.rounded(.down))
                let t = Float(centre - Double(left))
                index.append(min(max(left, 0), source - 1)); weight.append(1 - t)
                index.append(min(max(left + 1, 0), source - 1)); weight.append(t)
            }
            start.append(index.count)
        }
    }

    /// The tap indices of target `i`.
    @inline(__always)
    func range(_ i: Int) -> Range<Int> { start[i]..<start[i + 1] }
}
