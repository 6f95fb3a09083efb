@testable import Terminal

/// The sixel encoder as it was before the one-pass band encoder and the candidate-list palette
/// lookup (kept verbatim in its logic): every palette lookup scans the whole palette and every
/// band writes each colour's full-width row. The faster encoder must produce the same bytes.
enum ReferenceSixelEncoder {
    /// The bytes `SixelEncoder(maxColors:dithering:).encode(raster, x:, y:)` used to produce.
    static func encode(_ raster: Raster, maxColors: Int, dithering: Dithering, x: Int = 0, y: Int = 0) -> [UInt8] {
        let palette = MedianCut.palette(of: raster, maxColors: min(256, max(2, maxColors))).map(SixelEncoder.sixelRounded)
        let indices = mapToPalette(raster, palette: palette, dithering: dithering)
        let width = x + raster.width, height = y + raster.height
        var canvas = [UInt16](repeating: SixelEncoder.transparent, count: width * height)
        for row in 0..<raster.height {
            for col in 0..<raster.width { canvas[(y + row) * width + x + col] = indices[row * raster.width + col] }
        }
        return encode(indices: canvas, width: width, height: height, palette: palette)
    }

    /// Nearest palette entry to the centre of the colour's 4x4x4 cell, first index on ties.
    static func nearest(_ r: Int, _ g: Int, _ b: Int, in palette: [TrueColor]) -> Int {
        let r = (r & ~3) + 2, g = (g & ~3) + 2, b = (b & ~3) + 2
        var best = 0, bestDistance = Int.max
        for (i, c) in palette.enumerated() {
            let dr = Int(c.red) - r, dg = Int(c.green) - g, db = Int(c.blue) - b
            let d = 3 * dr * dr + 4 * dg * dg + 2 * db * db
            if d < bestDistance { best = i; bestDistance = d }
        }
        return best
    }

    static func mapToPalette(_ raster: Raster, palette: [TrueColor], dithering: Dithering) -> [UInt16] {
        var cache = [Int: Int]()
        func lookup(_ r: Int, _ g: Int, _ b: Int) -> Int {
            let key = (r >> 2) << 12 | (g >> 2) << 6 | b >> 2
            if let hit = cache[key] { return hit }
            let found = nearest(r, g, b, in: palette)
            cache[key] = found
            return found
        }
        let w = raster.width, h = raster.height, src = raster.bytes
        var out = [UInt16](repeating: 0, count: w * h)
        guard dithering == .floydSteinberg else {
            for i in 0..<(w * h) { out[i] = UInt16(lookup(Int(src[3 * i]), Int(src[3 * i + 1]), Int(src[3 * i + 2]))) }
            return out
        }
        let rowLength = 3 * (w + 2)
        var current = [Int32](repeating: 0, count: rowLength), next = current
        for row in 0..<h {
            for col in 0..<w {
                let p = 3 * (row * w + col), e = 3 * (col + 1)
                let r = min(max(Int32(src[p]) + (current[e] + 8) >> 4, 0), 255)
                let g = min(max(Int32(src[p + 1]) + (current[e + 1] + 8) >> 4, 0), 255)
                let b = min(max(Int32(src[p + 2]) + (current[e + 2] + 8) >> 4, 0), 255)
                let index = lookup(Int(r), Int(g), Int(b))
                out[row * w + col] = UInt16(index)
                let c = palette[index]
                let er = r - Int32(c.red), eg = g - Int32(c.green), eb = b - Int32(c.blue)
                current[e + 3] += 7 * er; current[e + 4] += 7 * eg; current[e + 5] += 7 * eb
                next[e - 3] += 3 * er; next[e - 2] += 3 * eg; next[e - 1] += 3 * eb
                next[e] += 5 * er; next[e + 1] += 5 * eg; next[e + 2] += 5 * eb
                next[e + 3] += er; next[e + 4] += eg; next[e + 5] += eb
            }
            swap(&current, &next)
            next = [Int32](repeating: 0, count: rowLength)
        }
        return out
    }

    static func encode(indices: [UInt16], width: Int, height: Int, palette: [TrueColor]) -> [UInt8] {
        var out: [UInt8] = Array("\u{1B}P0;1;0q\"1;1;\(width);\(height)".utf8)
        for (n, c) in palette.enumerated() {
            out += Array("#\(n);2;\(SixelEncoder.percent(c.red));\(SixelEncoder.percent(c.green));\(SixelEncoder.percent(c.blue))".utf8)
        }
        var bits = [[UInt8]](repeating: [], count: palette.count)
        var used: [Int] = []
        var bandTop = 0
        while bandTop < height {
            used.removeAll()
            for dy in 0..<min(6, height - bandTop) {
                for x in 0..<width {
                    let index = indices[(bandTop + dy) * width + x]
                    if index == SixelEncoder.transparent { continue }
                    let c = Int(index)
                    if bits[c].isEmpty { bits[c] = [UInt8](repeating: 0, count: width); used.append(c) }
                    bits[c][x] |= 1 << dy
                }
            }
            for (k, c) in used.enumerated() {
                if k > 0 { out.append(UInt8(ascii: "$")) }
                out += Array("#\(c)".utf8)
                appendRuns(bits[c], to: &out)
                bits[c] = []
            }
            bandTop += 6
            if bandTop < height { out.append(UInt8(ascii: "-")) }
        }
        out += [0x1B, UInt8(ascii: "\\")]
        return out
    }

    private static func appendRuns(_ sixels: [UInt8], to out: inout [UInt8]) {
        var end = sixels.count
        while end > 0 && sixels[end - 1] == 0 { end -= 1 }
        var i = 0
        while i < end {
            var j = i + 1
            while j < end && sixels[j] == sixels[i] { j += 1 }
            let run = j - i, char = 63 + sixels[i]
            if run >= 4 { out += Array("!\(run)".utf8); out.append(char) } else { out += [UInt8](repeating: char, count: run) }
            i = j
        }
    }
}
