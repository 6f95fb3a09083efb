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

/// Maps colours to the nearest entry of a fixed palette, caching answers per 6-bit colour cell.
///
/// A miss scans only the candidates of the colour's coarse cell (16 levels a channel): the
/// palette entries whose distance to the cell's nearest point is at most the smallest distance
/// any entry has to the cell's farthest point. No other entry can be nearer or tie, and the
/// candidates are scanned in palette order (ties go to the lowest index), so the answer is
/// exactly that of a scan of the whole palette. Candidates are found when a cell is first met.
struct PaletteIndex {
    let palette: [TrueColor]
    private var cache: [Int16]
    /// The palette's channels, one array each.
    private let reds: [Int32], greens: [Int32], blues: [Int32]
    /// Per coarse cell: where its candidates start in `candidates` (-1: not found yet) and how many.
    private var coarseStart: [Int32], coarseCount: [Int32]
    /// The candidates of every coarse cell met so far: red, green, blue and palette index.
    private var candidates: [SIMD4<Int32>] = []
    /// Per palette entry: its distance to the coarse cell being searched (scratch).
    private var nearestScratch: [Int32]

    init(palette: [TrueColor]) {
        self.palette = palette
        self.cache = [Int16](repeating: -1, count: 1 << 18)
        reds = palette.map { Int32($0.red) }
        greens = palette.map { Int32($0.green) }
        blues = palette.map { Int32($0.blue) }
        coarseStart = [Int32](repeating: -1, count: 1 << 12)
        coarseCount = [Int32](repeating: 0, count: 1 << 12)
        nearestScratch = [Int32](repeating: 0, count: palette.count)
    }

    /// Index of the palette entry nearest to (r, g, b) (channels 0-255), judged at the centre of
    /// the colour's 4x4x4 cell (so at most 2 levels off per channel), by the distance
    /// 3 dr^2 + 4 dg^2 + 2 db^2.
    @inline(__always)
    mutating func nearest(_ r: Int, _ g: Int, _ b: Int) -> Int {
        let key = (r >> 2) << 12 | (g >> 2) << 6 | b >> 2
        let hit = cache.withUnsafeBufferPointer { $0[key] }
        if hit >= 0 { return Int(hit) }
        let best = search(r, g, b)
        cache.withUnsafeMutableBufferPointer { $0[key] = Int16(best) }
        return best
    }

    private mutating func search(_ r: Int, _ g: Int, _ b: Int) -> Int {
        let coarse = (r >> 4) << 8 | (g >> 4) << 4 | b >> 4
        if coarseStart[coarse] < 0 { findCandidates(coarse) }
        let cr = Int32((r & ~3) + 2), cg = Int32((g & ~3) + 2), cb = Int32((b & ~3) + 2)
        let start = Int(coarseStart[coarse]), end = start + Int(coarseCount[coarse])
        // The first smallest distance 3 dr^2 + 4 dg^2 + 2 db^2 (the index lane weighs 0).
        let centre = SIMD4<Int32>(cr, cg, cb, 0), weights = SIMD4<Int32>(3, 4, 2, 0)
        return candidates.withUnsafeBufferPointer { list in
            var best = list[start].w, bestDistance = Int32.max
            for n in start..<end {
                let d = list[n] &- centre
                let distance = (weights &* d &* d).wrappedSum()
                if distance < bestDistance { best = list[n].w; bestDistance = distance }
            }
            return Int(best)
        }
    }

    /// The candidates of a coarse cell, over the cell centres it holds (16k + 2 ... 16k + 14).
    private mutating func findCandidates(_ coarse: Int) {
        let lr = 16 * Int32(coarse >> 8 & 15) + 2, lg = 16 * Int32(coarse >> 4 & 15) + 2, lb = 16 * Int32(coarse & 15) + 2
        let count = palette.count
        var bound = Int32.max
        reds.withUnsafeBufferPointer { pr in
            greens.withUnsafeBufferPointer { pg in
                blues.withUnsafeBufferPointer { pb in
                    nearestScratch.withUnsafeMutableBufferPointer { near in
                        for i in 0..<count {
                            let (ir, or) = Self.reach(pr[i], lr)
                            let (ig, og) = Self.reach(pg[i], lg)
                            let (ib, ob) = Self.reach(pb[i], lb)
                            near[i] = 3 &* ir &* ir &+ 4 &* ig &* ig &+ 2 &* ib &* ib
                            bound = min(bound, 3 &* or &* or &+ 4 &* og &* og &+ 2 &* ob &* ob)
                        }
                    }
                }
            }
        }
        coarseStart[coarse] = Int32(candidates.count)
        for i in 0..<count where nearestScratch[i] <= bound {
            candidates.append(SIMD4(reds[i], greens[i], blues[i], Int32(i)))
        }
        coarseCount[coarse] = Int32(candidates.count) - coarseStart[coarse]
    }

    /// How far channel value `v` is from the cell centres `low ... low + 12` on that channel:
    /// the nearest (0 inside) and the farthest.
    @inline(__always)
    private static func reach(_ v: Int32, _ low: Int32) -> (near: Int32, far: Int32) {
        let high = low &+ 12
        return (max(low &- v, 0, v &- high), max(v &- low, high &- v))
    }
}
