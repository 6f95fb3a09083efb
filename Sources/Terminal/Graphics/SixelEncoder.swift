/// How a palette image approximates colours it does not have.
public enum Dithering: String, Sendable {
    /// Each pixel takes the nearest palette colour (flat areas, visible banding).
    case none
    /// Floyd-Steinberg error diffusion (smooth gradients, fine noise).
    case floydSteinberg
}

/// Encodes an 8-bit RGB raster as DEC sixel graphics.
///
/// Output: `DCS 0;1;0 q` (P2 = 1: pixels not painted stay transparent), raster attributes
/// `"1;1;W;H`, the palette as `#n;2;r;g;b` (percent), then bands of six rows: for every colour
/// in the band `#n` and one character per column (63 + six bits, bit 0 the top row), repeats as
/// `!count char`, `$` back to the band's start for the next colour, `-` to the next band; `ST`.
struct SixelEncoder {
    /// At most this many colour registers (2-256).
    var maxColors: Int = 256
    /// How colours outside the palette are approximated.
    var dithering: Dithering = .floydSteinberg

    /// Index of a transparent pixel in `encode(indices:...)`.
    static let transparent: UInt16 = .max

    /// The sixel bytes for `raster` placed at (`x`, `y`) on a transparent canvas of
    /// (`x + raster.width`) x (`y + raster.height`) pixels.
    func encode(_ raster: Raster, x: Int = 0, y: Int = 0) -> [UInt8] {
        let palette = MedianCut.palette(of: raster, maxColors: min(256, max(2, maxColors)))
            .map(Self.sixelRounded)
        let indices = Self.mapToPalette(raster, palette: palette, dithering: dithering)
        let width = x + raster.width, height = y + raster.height
        var canvas = [UInt16](repeating: Self.transparent, count: width * height)
        for row in 0..<raster.height {
            let src = row * raster.width, dst = (y + row) * width + x
            for col in 0..<raster.width { canvas[dst + col] = indices[src + col] }
        }
        return Self.encode(indices: canvas, width: width, height: height, palette: palette)
    }

    /// A colour as the terminal will show it after the round trip through percent.
    static func sixelRounded(_ c: TrueColor) -> TrueColor {
        func round(_ v: UInt8) -> UInt8 { UInt8((percent(v) * 255 + 50) / 100) }
        return TrueColor(red: round(c.red), green: round(c.green), blue: round(c.blue))
    }

    /// A channel value 0-255 as a percentage 0-100.
    static func percent(_ v: UInt8) -> Int { (Int(v) * 100 + 127) / 255 }

    /// Palette index per pixel, dithered or not. Floyd-Steinberg errors are kept in 1/16 units
    /// so the weights (7, 3, 5, 1) stay integers.
    static func mapToPalette(_ raster: Raster, palette: [TrueColor], dithering: Dithering) -> [UInt16] {
        var lookup = PaletteIndex(palette: palette)
        let w = raster.width, h = raster.height
        var out = [UInt16](repeating: 0, count: w * h)
        let channels = palette.flatMap { [Int32($0.red), Int32($0.green), Int32($0.blue)] }
        let rowLength = 3 * (w + 2)  // one row of errors with a pixel of margin on both sides
        var errors = [Int32](repeating: 0, count: 2 * rowLength)
        raster.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                channels.withUnsafeBufferPointer { pal in
                    errors.withUnsafeMutableBufferPointer { err in
                        guard dithering == .floydSteinberg else {
                            for i in 0..<(w * h) {
                                dst[i] = UInt16(lookup.nearest(Int(src[3 * i]), Int(src[3 * i + 1]), Int(src[3 * i + 2])))
                            }
                            return
                        }
                        var current = err.baseAddress!, next = err.baseAddress! + rowLength
                        for row in 0..<h {
                            for col in 0..<w {
                                let p = 3 * (row * w + col), e = 3 * (col + 1)
                                let r = clamp(Int32(src[p]) + (current[e] + 8) >> 4)
                                let g = clamp(Int32(src[p + 1]) + (current[e + 1] + 8) >> 4)
                                let b = clamp(Int32(src[p + 2]) + (current[e + 2] + 8) >> 4)
                                let index = lookup.nearest(Int(r), Int(g), Int(b))
                                dst[row * w + col] = UInt16(index)
                                let er = r - pal[3 * index], eg = g - pal[3 * index + 1], eb = b - pal[3 * index + 2]
                                current[e + 3] += 7 * er; current[e + 4] += 7 * eg; current[e + 5] += 7 * eb
                                next[e - 3] += 3 * er; next[e - 2] += 3 * eg; next[e - 1] += 3 * eb
                                next[e] += 5 * er; next[e + 1] += 5 * eg; next[e + 2] += 5 * eb
                                next[e + 3] += er; next[e + 4] += eg; next[e + 5] += eb
                            }
                            swap(&current, &next)
                            next.update(repeating: 0, count: rowLength)
                        }
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    private static func clamp(_ v: Int32) -> Int32 { min(max(v, 0), 255) }

    /// The sixel bytes of an indexed image (`transparent` pixels are not painted).
    static func encode(indices: [UInt16], width: Int, height: Int, palette: [TrueColor]) -> [UInt8] {
        var out: [UInt8] = Array("\u{1B}P0;1;0q\"1;1;".utf8)
        Escape.appendNumber(width, to: &out); out.append(UInt8(ascii: ";"))
        Escape.appendNumber(height, to: &out)
        for (n, c) in palette.enumerated() {
            out.append(UInt8(ascii: "#")); Escape.appendNumber(n, to: &out)
            out += Array(";2;".utf8)
            Escape.appendNumber(percent(c.red), to: &out); out.append(UInt8(ascii: ";"))
            Escape.appendNumber(percent(c.green), to: &out); out.append(UInt8(ascii: ";"))
            Escape.appendNumber(percent(c.blue), to: &out)
        }
        var band = SixelBand(width: width, colors: palette.count)
        indices.withUnsafeBufferPointer { indices in
            var bandTop = 0
            while bandTop < height {
                band.collect(indices, top: bandTop, rows: min(6, height - bandTop), transparent: transparent)
                band.emit(to: &out)
                bandTop += 6
                if bandTop < height { out.append(UInt8(ascii: "-")) }
            }
        }
        out += [0x1B, UInt8(ascii: "\\")]
        return out
    }
}
