import CSixel

/// Chooses a palette of at most `maxColors` colours for one image by median cut (Heckbert):
/// colours are binned to 5 bits per channel, the box with the most pixels times the widest
/// channel spread is split at its weighted median until there are enough boxes, and each box's
/// colour is the mean of the pixels in it.
enum MedianCut {
    /// One occupied histogram bin.
    private struct Bin {
        var key: (Int, Int, Int)
        var count: Int
        var sum: (Int, Int, Int)
        func channel(_ c: Int) -> Int { c == 0 ? key.0 : c == 1 ? key.1 : key.2 }
    }

    /// A box: bins[start..<end], its pixel count and its widest channel (weighted spread).
    private struct Box {
        var start: Int, end: Int, count: Int
        var channel = 0, spread = 0
    }

    /// The palette of `raster`, at most `maxColors` (>= 1) entries, exact when the image has fewer colours.
    static func palette(of raster: Raster, maxColors: Int) -> [TrueColor] {
        var counts = [Int](repeating: 0, count: 32768)
        var sums = [Int](repeating: 0, count: 3 * 32768)
        raster.bytes.withUnsafeBufferPointer { p in
            counts.withUnsafeMutableBufferPointer { count in
                sums.withUnsafeMutableBufferPointer { sum in
                    var i = 0
                    while i < p.count {
                        let r = Int(p[i]), g = Int(p[i + 1]), b = Int(p[i + 2])
                        let key = (r >> 3) << 10 | (g >> 3) << 5 | b >> 3
                        count[key] += 1
                        sum[3 * key] += r; sum[3 * key + 1] += g; sum[3 * key + 2] += b
                        i += 3
                    }
                }
            }
        }
        var bins: [Bin] = []
        for key in 0..<32768 where counts[key] > 0 {
            bins.append(Bin(key: (key >> 10, key >> 5 & 31, key & 31), count: counts[key],
                            sum: (sums[3 * key], sums[3 * key + 1], sums[3 * key + 2])))
        }
        guard !bins.isEmpty else { return [TrueColor(red: 0, green: 0, blue: 0)] }

        func measured(_ box: Box) -> Box {
            var b = box
            (b.channel, b.spread) = widestChannel(bins, box)
            return b
        }
        var boxes = [measured(Box(start: 0, end: bins.count, count: bins.reduce(0) { $0 + $1.count }))]
        while boxes.count < max(1, maxColors) {
            // The box to split: most pixels times widest spread, among boxes of two bins or more.
            var chosen = -1, bestScore = 0
            for (n, box) in boxes.enumerated() where box.end - box.start > 1 && box.spread > 0 {
                let score = box.count * (box.spread + 1)
                if score > bestScore { chosen = n; bestScore = score }
            }
            if chosen < 0 { break }
            let box = boxes[chosen]
            let bestChannel = box.channel
            bins[box.start..<box.end].sort { $0.channel(bestChannel) < $1.channel(bestChannel) }
            // Weighted median, keeping at least one bin on each side.
            var below = 0, cut = box.start + 1
            for i in box.start..<(box.end - 1) {
                below += bins[i].count
                cut = i + 1
                if 2 * below >= box.count { break }
            }
            let leftCount = bins[box.start..<cut].reduce(0) { $0 + $1.count }
            boxes[chosen] = measured(Box(start: box.start, end: cut, count: leftCount))
            boxes.append(measured(Box(start: cut, end: box.end, count: box.count - leftCount)))
        }

        return boxes.map { box in
            var r = 0, g = 0, b = 0
            for bin in bins[box.start..<box.end] { r += bin.sum.0; g += bin.sum.1; b += bin.sum.2 }
            let n = max(1, box.count)
            return TrueColor(red: UInt8((r + n / 2) / n), green: UInt8((g + n / 2) / n), blue: UInt8((b + n / 2) / n))
        }
    }

    private static func widestChannel(_ bins: [Bin], _ box: Box) -> (Int, Int) {
        var lo = [31, 31, 31], hi = [0, 0, 0]
        for bin in bins[box.start..<box.end] {
            for c in 0..<3 {
                let v = bin.channel(c)
                lo[c] = min(lo[c], v); hi[c] = max(hi[c], v)
            }
        }
        // Green counts a little more than red, red more than blue (perceived differences).
        let spread = [(hi[0] - lo[0]) * 3, (hi[1] - lo[1]) * 4, (hi[2] - lo[2]) * 2]
        let channel = spread[1] >= spread[0] && spread[1] >= spread[2] ? 1 : (spread[0] >= spread[2] ? 0 : 2)
        return (channel, spread[channel])
    }
}

/// Maps colours to the nearest entry of a fixed palette, row by row with or without dithering
/// (the C kernel `CSixel`), caching answers per 6-bit colour cell.
///
/// A colour is judged at the centre of its 4x4x4 cell (so at most 2 levels off per channel), by
/// the distance 3 dr^2 + 4 dg^2 + 2 db^2; ties go to the lowest index. A miss scans only the
/// candidates of the colour's coarse cell (16 levels a channel): the palette entries whose
/// distance to the cell's nearest point is at most the smallest distance any entry has to the
/// cell's farthest point, so the answer is exactly that of a scan of the whole palette.
final class PaletteIndex: @unchecked Sendable {
    let palette: [TrueColor]
    /// The C mapper: the cache, the candidate lists and the dithering errors of the current row.
    fileprivate let mapper: OpaquePointer

    /// An index of `palette` (1-256 colours) for rows `width` pixels wide, dithered or not.
    init(palette: [TrueColor], width: Int = 0, dithering: Dithering = .none) {
        self.palette = palette
        let rgb = palette.flatMap { [$0.red, $0.green, $0.blue] }
        guard let mapper = sixel_mapper_new(rgb, Int32(palette.count), Int32(width), dithering == .floydSteinberg ? 1 : 0) else {
            fatalError("sixel palette mapper: \(palette.count) colours or out of memory")
        }
        self.mapper = mapper
    }

    deinit { sixel_mapper_free(mapper) }

    /// Index of the palette entry nearest to (r, g, b) (channels 0-255).
    func nearest(_ r: Int, _ g: Int, _ b: Int) -> Int {
        Int(sixel_mapper_nearest(mapper, Int32(r), Int32(g), Int32(b)))
    }

    /// Maps the next row (`3 * width` bytes at `source`) to `width` indices at `out`.
    func nextRow(_ source: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt16>) {
        sixel_mapper_row(mapper, source, out)
    }
}
