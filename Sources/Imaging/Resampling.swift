import Dispatch

/// Separable resampling of float planes: per axis, the area filter when that axis shrinks and
/// Lanczos-3 when it grows; results clamped to [0, 1].
enum Resampler {
    /// Resamples `planeCount` planes of `width x height` to `outWidth x outHeight`.
    static func resample(_ pixels: [Float], planeCount: Int, width: Int, height: Int,
                         outWidth: Int, outHeight: Int) -> [Float] {
        let horizontal = ResampleWeights.choose(from: width, to: outWidth)
        let vertical = ResampleWeights.choose(from: height, to: outHeight)
        if horizontal == nil && vertical == nil { return pixels }
        var result = [Float](repeating: 0, count: planeCount * outWidth * outHeight)
        // Run the cheaper order: each pass costs (values it produces) x (taps per value).
        let hTaps = horizontal?.stride ?? 0, vTaps = vertical?.stride ?? 0
        let horizontalFirst = height * outWidth * hTaps + outWidth * outHeight * vTaps
            <= width * outHeight * vTaps + outWidth * outHeight * hTaps
        let middleWidth = horizontalFirst ? outWidth : width
        let middleHeight = horizontalFirst ? height : outHeight
        // Large pictures (a pane-sized preview) are split into row pieces on two threads, plane by
        // plane; every value is summed in the same order either way, so the result is the same.
        let pieces = outWidth * outHeight >= 1 << 18 ? 2 : 1
        var middle = [Float](repeating: 0, count: middleWidth * middleHeight)
        pixels.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                middle.withUnsafeMutableBufferPointer { mid in
                    let scratch = mid.baseAddress!
                    func slice(_ n: Int, _ piece: Int) -> Range<Int> { (n * piece / pieces)..<(n * (piece + 1) / pieces) }
                    for p in 0..<planeCount {
                        let input = src.baseAddress! + p * width * height
                        let output = dst.baseAddress! + p * outWidth * outHeight
                        Self.perform(pieces) { piece in
                            if horizontalFirst {
                                let span = slice(height, piece)
                                rows(input + span.lowerBound * width, width: width, height: span.count, horizontal,
                                     into: scratch + span.lowerBound * outWidth, outWidth: outWidth)
                            } else {
                                columns(input, width: width, height: height, vertical, into: scratch,
                                        outRows: slice(outHeight, piece))
                            }
                        }
                        Self.perform(pieces) { piece in
                            let span = slice(outHeight, piece)
                            if horizontalFirst {
                                columns(scratch, width: outWidth, height: height, vertical, into: output, outRows: span)
                            } else {
                                rows(scratch + span.lowerBound * width, width: width, height: span.count, horizontal,
                                     into: output + span.lowerBound * outWidth, outWidth: outWidth)
                            }
                            let values = output + span.lowerBound * outWidth
                            for k in 0..<(span.count * outWidth) { values[k] = min(max(values[k], 0), 1) }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Runs `work` for pieces `0 ..< count`, on as many threads as there are pieces.
    private static func perform(_ count: Int, _ work: (Int) -> Void) {
        if count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: work) }
    }

    /// Filters every row of a `width x height` plane to `outWidth` columns (copies when nil).
    private static func rows(_ src: UnsafePointer<Float>, width: Int, height: Int, _ filter: ResampleWeights?,
                             into dst: UnsafeMutablePointer<Float>, outWidth: Int) {
        guard let filter else {
            dst.update(from: src, count: width * height)
            return
        }
        filter.starts.withUnsafeBufferPointer { starts in
            filter.counts.withUnsafeBufferPointer { counts in
                filter.weights.withUnsafeBufferPointer { weights in
                    let stride = filter.stride
                    for y in 0..<height {
                        let row = src + y * width
                        let out = dst + y * outWidth
                        for x in 0..<outWidth {
                            let taps = row + starts[x]
                            let w = weights.baseAddress! + x * stride
                            var sum: Float = 0
                            for k in 0..<counts[x] { sum += w[k] * taps[k] }
                            out[x] = sum
                        }
                    }
                }
            }
        }
    }

    /// Filters every column of a `width x height` plane to `outHeight` rows (copies when nil),
    /// accumulating whole rows so the inner loop runs over contiguous memory.
    private static func columns(_ src: UnsafePointer<Float>, width: Int, height: Int, _ filter: ResampleWeights?,
                                into dst: UnsafeMutablePointer<Float>, outRows: Range<Int>) {
        guard let filter else {
            (dst + outRows.lowerBound * width).update(from: src + outRows.lowerBound * width, count: outRows.count * width)
            return
        }
        for y in outRows {
            let out = dst + y * width
            out.update(repeating: 0, count: width)
            let start = filter.starts[y]
            for k in 0..<filter.counts[y] {
                let w = filter.weights[y * filter.stride + k]
                let row = src + (start + k) * width
                for x in 0..<width { out[x] += w * row[x] }
            }
        }
    }
}

extension RGBImage {
    /// The image resampled to `width x height` (each at least 1): per axis, area averaging when
    /// shrinking and Lanczos-3 when enlarging; values clamped to [0, 1].
    public func resized(width: Int, height: Int) -> RGBImage {
        let w = max(width, 1), h = max(height, 1)
        let planes = Resampler.resample(pixels, planeCount: 3, width: self.width, height: self.height, outWidth: w, outHeight: h)
        return RGBImage(width: w, height: h, pixels: planes)
    }

    /// The image resampled so its longer side is `longerSide` pixels, keeping the aspect ratio
    /// (the shorter side rounded, at least 1 pixel).
    public func resized(longerSide: Int) -> RGBImage {
        let size = ResampleSize.fitting(width: width, height: height, longerSide: longerSide)
        return resized(width: size.width, height: size.height)
    }
}

extension GrayImage {
    /// The image resampled to `width x height` (each at least 1): per axis, area averaging when
    /// shrinking and Lanczos-3 when enlarging; values clamped to [0, 1].
    public func resized(width: Int, height: Int) -> GrayImage {
        let w = max(width, 1), h = max(height, 1)
        let plane = Resampler.resample(pixels, planeCount: 1, width: self.width, height: self.height, outWidth: w, outHeight: h)
        return GrayImage(width: w, height: h, pixels: plane)
    }

    /// The image resampled so its longer side is `longerSide` pixels, keeping the aspect ratio
    /// (the shorter side rounded, at least 1 pixel).
    public func resized(longerSide: Int) -> GrayImage {
        let size = ResampleSize.fitting(width: width, height: height, longerSide: longerSide)
        return resized(width: size.width, height: size.height)
    }
}

/// Target sizes for aspect-preserving resizes.
public enum ResampleSize {
    /// The size with longer side `longerSide` (at least 1) and the same aspect ratio as
    /// `width x height`, the shorter side rounded to nearest (halves up) and at least 1.
    public static func fitting(width: Int, height: Int, longerSide: Int) -> (width: Int, height: Int) {
        let side = max(longerSide, 1)
        if width >= height {
            return (side, max(1, (2 * height * side + width) / (2 * width)))
        }
        return (max(1, (2 * width * side + height) / (2 * height)), side)
    }
}
