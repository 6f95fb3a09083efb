import Foundation

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
///
/// The bands can be had as they are made (`encode(_:x:y:bandsPerChunk:emit:)`): the palette
/// needs the whole picture, but the mapping to it runs row by row, so a terminal can read the
/// first bands while the last ones are still being mapped.
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
        var out: [UInt8] = []
        encode(raster, x: x, y: y, bandsPerChunk: .max) { out += $0 }
        return out
    }

    /// The same bytes as `encode(_:x:y:)`, handed to `emit` in pieces as they are made: the
    /// header and palette, then every `bandsPerChunk` bands (the last piece ends with `ST`).
    ///
    /// Two threads share the work: a helper maps the rows to the palette (dithering runs top to
    /// bottom, one row after the other) while the caller turns every finished band into sixels
    /// and hands them to `emit`, so the bytes are those of a single thread doing both in turn.
    /// The helper is a serial queue of this call's own (so it always gets a thread, and callers
    /// never wait on each other); it runs at most `MappedBands.capacity` bands ahead of the caller,
    /// so the indices take a few bands of memory, not the whole picture's.
    func encode(_ raster: Raster, x: Int = 0, y: Int = 0, bandsPerChunk: Int, emit: ([UInt8]) -> Void) {
        let palette = MedianCut.palette(of: raster, maxColors: min(256, max(2, maxColors)))
            .map(Self.sixelRounded)
        let width = x + raster.width, height = y + raster.height
        var out = Self.header(width: width, height: height, palette: palette)
        emit(out)
        out.removeAll(keepingCapacity: true)
        let rows = MappedBands(width: width, height: height)
        let mapper = PaletteMapper(raster, palette: palette, dithering: dithering)
        DispatchQueue(label: "atelier.sixel-map", qos: .userInteractive).async { rows.map(with: mapper, x: x, y: y) }
        let band = SixelBand(width: width, colors: palette.count)
        var bandTop = 0, bands = 0
        while bandTop < height {
            let count = min(6, height - bandTop)
            band.collect(rows.band(at: bandTop, rows: count), rows: count, transparent: Self.transparent)
            rows.release()
            band.emit(to: &out)
            bandTop += 6
            bands += 1
            if bandTop < height {
                out.append(UInt8(ascii: "-"))
                if bands % max(1, bandsPerChunk) == 0 {
                    emit(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        out += [0x1B, UInt8(ascii: "\\")]
        emit(out)
    }

    /// A colour as the terminal will show it after the round trip through percent.
    static func sixelRounded(_ c: TrueColor) -> TrueColor {
        func round(_ v: UInt8) -> UInt8 { UInt8((percent(v) * 255 + 50) / 100) }
        return TrueColor(red: round(c.red), green: round(c.green), blue: round(c.blue))
    }

    /// A channel value 0-255 as a percentage 0-100.
    static func percent(_ v: UInt8) -> Int { (Int(v) * 100 + 127) / 255 }

    /// Palette index per pixel, dithered or not (all rows of `PaletteMapper`).
    static func mapToPalette(_ raster: Raster, palette: [TrueColor], dithering: Dithering) -> [UInt16] {
        var mapper = PaletteMapper(raster, palette: palette, dithering: dithering)
        var out = [UInt16](repeating: 0, count: raster.width * raster.height)
        out.withUnsafeMutableBufferPointer { out in
            for row in 0..<raster.height { mapper.nextRow(into: out.baseAddress! + row * raster.width) }
        }
        return out
    }

    /// `DCS 0;1;0 q`, the raster attributes and the palette.
    static func header(width: Int, height: Int, palette: [TrueColor]) -> [UInt8] {
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
        return out
    }

    /// The sixel bytes of an indexed image (`transparent` pixels are not painted).
    static func encode(indices: [UInt16], width: Int, height: Int, palette: [TrueColor]) -> [UInt8] {
        var out = header(width: width, height: height, palette: palette)
        let band = SixelBand(width: width, colors: palette.count)
        indices.withUnsafeBufferPointer { indices in
            var bandTop = 0
            while bandTop < height {
                band.collect(indices.baseAddress! + bandTop * width, rows: min(6, height - bandTop), transparent: transparent)
                band.emit(to: &out)
                bandTop += 6
                if bandTop < height { out.append(UInt8(ascii: "-")) }
            }
        }
        out += [0x1B, UInt8(ascii: "\\")]
        return out
    }
}

/// A canvas's palette indices a few bands of six rows at a time: filled row by row on one
/// thread, read band by band on another; a band's rows are reused once it has been read.
private final class MappedBands: @unchecked Sendable {
    /// Bands held at once: how far the mapping may run ahead of the reader.
    static let capacity = 8
    private let storage: UnsafeMutableBufferPointer<UInt16>
    private let width: Int, height: Int
    private let ready = NSCondition()
    /// Rows mapped so far.
    private var done = 0
    /// Bands read so far (their rows may be mapped again).
    private var released = 0

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        storage = .allocate(capacity: max(1, width * 6 * min(Self.capacity, (height + 5) / 6)))
    }

    deinit { storage.deallocate() }

    /// Where row `row` of the canvas is kept (a band's rows one after the other).
    private func start(of row: Int) -> UnsafeMutablePointer<UInt16> {
        storage.baseAddress! + ((row / 6) % Self.capacity * 6 + row % 6) * width
    }

    /// Maps every row (`x` transparent columns before the raster's, `y` transparent rows above
    /// them), making each band of six rows readable as soon as it is mapped, and waiting before
    /// a band while the one `capacity` bands above it has not been read.
    func map(with mapper: PaletteMapper, x: Int, y: Int) {
        var mapper = mapper
        for row in 0..<height {
            if row % 6 == 0, row / 6 >= Self.capacity {
                ready.lock()
                while released <= row / 6 - Self.capacity { ready.wait() }
                ready.unlock()
            }
            let start = start(of: row)
            if row >= y {
                start.update(repeating: SixelEncoder.transparent, count: x)
                mapper.nextRow(into: start + x)
            } else {
                start.update(repeating: SixelEncoder.transparent, count: width)
            }
            if row % 6 == 5 || row == height - 1 {
                ready.lock()
                done = row + 1
                ready.broadcast()
                ready.unlock()
            }
        }
    }

    /// The first of rows `top ..< top + rows` (the band that starts at `top`, a multiple of six),
    /// once they are mapped; valid until `release`.
    func band(at top: Int, rows: Int) -> UnsafePointer<UInt16> {
        ready.lock()
        while done < top + rows { ready.wait() }
        ready.unlock()
        return UnsafePointer(start(of: top))
    }

    /// The band last returned by `band(at:rows:)` has been read: its rows may be mapped again.
    func release() {
        ready.lock()
        released += 1
        ready.broadcast()
        ready.unlock()
    }
}

/// Maps a raster to palette indices one row at a time, top to bottom, dithered or not
/// (Floyd-Steinberg errors in 1/16 units, weights 7, 3, 5, 1; `PaletteIndex` does the work).
struct PaletteMapper {
    private let raster: Raster
    private let lookup: PaletteIndex
    private var row = 0

    init(_ raster: Raster, palette: [TrueColor], dithering: Dithering) {
        self.raster = raster
        lookup = PaletteIndex(palette: palette, width: raster.width, dithering: dithering)
    }

    /// Writes the next row's `raster.width` indices to `out`.
    mutating func nextRow(into out: UnsafeMutablePointer<UInt16>) {
        let start = 3 * row * raster.width
        row += 1
        raster.bytes.withUnsafeBufferPointer { lookup.nextRow($0.baseAddress! + start, into: out) }
    }
}
