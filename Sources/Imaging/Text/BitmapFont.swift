import CZlib
import Foundation

/// A fixed-width bitmap font read from a Linux console font (PSF 1 or 2, optionally gzipped),
/// such as the Terminus fonts Debian's `console-setup-linux` installs in /usr/share/consolefonts.
/// Used to label contact sheets; characters the font lacks are drawn as `?`.
public struct BitmapFont: Sendable {
    /// Glyph width in pixels.
    public let width: Int
    /// Glyph height in pixels.
    public let height: Int
    private let bytesPerRow: Int
    private let glyphs: [[UInt8]]
    private let index: [Unicode.Scalar: Int]

    /// The font labels are drawn with: Terminus Bold 8x16 from console-setup-linux.
    public static let labelFontPath = "/usr/share/consolefonts/Lat15-TerminusBold16.psf.gz"

    /// Errors reading a font file, worded for the user.
    public struct LoadError: Error, CustomStringConvertible {
        /// The file.
        public var path: String
        /// What is wrong with it.
        public var reason: String
        public var description: String { "cannot read the font \(path): \(reason)" }
    }

    /// Reads the font at `path` (`.psf` or `.psf.gz`).
    public init(contentsOf path: String) throws {
        let raw: [UInt8]
        do { raw = try RegularFile.bytes(path, limit: 16 << 20) } catch {
            let missing = (error as? RegularFile.Problem) == .missing
            throw LoadError(path: path, reason: missing ? "no such file (Scripts/install-deps.sh installs console-setup-linux)" : "\(error)")
        }
        let bytes = raw.starts(with: [0x1F, 0x8B]) ? try Self.gunzip(raw, path: path) : raw
        try self.init(psf: bytes, path: path)
    }

    /// Parses PSF bytes; `path` names them in errors.
    init(psf bytes: [UInt8], path: String) throws {
        func fail(_ reason: String) -> LoadError { LoadError(path: path, reason: reason) }
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        let count: Int, headerSize: Int, glyphBytes: Int, hasTable: Bool, psf2: Bool
        if bytes.count >= 4, bytes[0] == 0x36, bytes[1] == 0x04 {
            psf2 = false
            count = bytes[2] & 0x01 != 0 ? 512 : 256
            hasTable = bytes[2] & 0x06 != 0
            headerSize = 4
            glyphBytes = Int(bytes[3])
            width = 8
            height = glyphBytes
        } else if bytes.count >= 32, Array(bytes[0..<4]) == [0x72, 0xB5, 0x4A, 0x86] {
            psf2 = true
            headerSize = u32(8)
            hasTable = u32(12) & 1 != 0
            count = u32(16)
            glyphBytes = u32(20)
            height = u32(24)
            width = u32(28)
        } else {
            throw fail("not a PSF console font")
        }
        bytesPerRow = (width + 7) / 8
        guard (1...64).contains(width), (1...64).contains(height), (1...65536).contains(count),
              glyphBytes >= bytesPerRow * height, headerSize + count * glyphBytes <= bytes.count else {
            throw fail("damaged header (\(count) glyphs of \(width)x\(height))")
        }
        glyphs = (0..<count).map { Array(bytes[(headerSize + $0 * glyphBytes)..<(headerSize + $0 * glyphBytes + glyphBytes)]) }
        var index: [Unicode.Scalar: Int] = [:]
        if hasTable {
            var at = headerSize + count * glyphBytes
            var glyph = 0
            var inSequence = false
            while glyph < count, at < bytes.count {
                if psf2 {
                    let lead = bytes[at]
                    if lead == 0xFF { glyph += 1; inSequence = false; at += 1; continue }
                    if lead == 0xFE { inSequence = true; at += 1; continue }
                    let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                    guard at + length <= bytes.count else { break }
                    if !inSequence, let text = String(validating: bytes[at..<(at + length)], as: UTF8.self),
                       let scalar = text.unicodeScalars.first, index[scalar] == nil {
                        index[scalar] = glyph
                    }
                    at += length
                } else {
                    guard at + 2 <= bytes.count else { break }
                    let value = Int(bytes[at]) | Int(bytes[at + 1]) << 8
                    at += 2
                    if value == 0xFFFF { glyph += 1; inSequence = false; continue }
                    if value == 0xFFFE { inSequence = true; continue }
                    if !inSequence, let scalar = Unicode.Scalar(value), index[scalar] == nil { index[scalar] = glyph }
                }
            }
        } else {
            for code in 0..<min(count, 256) { index[Unicode.Scalar(UInt8(code))] = code }
        }
        self.index = index
    }

    /// Whether pixel (x, y) of the glyph for `character` is set.
    func isSet(_ character: Unicode.Scalar, x: Int, y: Int) -> Bool {
        guard let glyph = index[character] ?? index["?"] else { return false }
        return glyphs[glyph][y * bytesPerRow + x / 8] & (0x80 >> UInt8(x % 8)) != 0
    }

    /// Width in pixels of `text` in this font.
    public func width(of text: String) -> Int { text.unicodeScalars.count * width }

    /// `text` with its end cut (and an ellipsis-like `~` put last) so that it is at most `pixels` wide.
    public func fitting(_ text: String, in pixels: Int) -> String {
        let room = max(pixels / width, 1)
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > room else { return text }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(room - 1))
        view.append("~")
        return String(view)
    }

    /// Decompresses a gzip file held in memory.
    private static func gunzip(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw LoadError(path: path, reason: "zlib refused to start")
        }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            while status == Z_OK, output.count < 16 << 20 {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
            }
        }
        guard status == Z_STREAM_END else { throw LoadError(path: path, reason: "damaged gzip data") }
        return output
    }
}

extension RGBImage {
    /// Draws `text` in `font` with its top-left corner at (x, y), in colour `rgb` (0...1), scaled
    /// up `scale` times; pixels outside the image are skipped.
    public mutating func draw(_ text: String, font: BitmapFont, x: Int, y: Int, rgb: (Float, Float, Float), scale: Int = 1) {
        let plane = width * height
        for (n, character) in text.unicodeScalars.enumerated() {
            for gy in 0..<font.height {
                for gx in 0..<font.width where font.isSet(character, x: gx, y: gy) {
                    for sy in 0..<scale {
                        for sx in 0..<scale {
                            let px = x + (n * font.width + gx) * scale + sx, py = y + gy * scale + sy
                            guard px >= 0, py >= 0, px < width, py < height else { continue }
                            let i = py * width + px
                            pixels[i] = rgb.0
                            pixels[plane + i] = rgb.1
                            pixels[2 * plane + i] = rgb.2
                        }
                    }
                }
            }
        }
    }
}
