import CImageCodecs

/// Samples as the codec produced them (interleaved, 8 or 16 bit, maybe with alpha or in
/// inverted CMYK), before conversion to float planes. Owns the C buffer for its lifetime.
final class DecodedRaster {
    /// Width as stored in the file (before EXIF orientation).
    let width: Int
    /// Height as stored in the file (before EXIF orientation).
    let height: Int
    /// What the channels mean.
    let layout: cic_layout
    /// Samples per pixel.
    let channels: Int
    /// 8 or 16.
    let bitDepth: Int
    /// EXIF orientation 1...8 (JPEG, WebP, TIFF; 1 for PNG, and for HEIF, which libheif rotates).
    let orientation: Int
    private var raster: cic_raster

    /// Decodes `bytes` (already identified as `format`) with the format's decoder, checking the
    /// header's pixel count against `maxPixels` before anything is allocated. With `toSRGB`, the
    /// samples are converted from the file's colour profile to sRGB (untagged means sRGB).
    init(bytes: [UInt8], format: ImageFormat, path: String, maxPixels: Int, toSRGB: Bool) throws {
        guard let decode = format.decoder else {
            throw ImageFileError.unsupportedFormat(path: path, format: format.name)
        }
        var raster = cic_raster()
        let limit = Int64(max(maxPixels, 0))
        var status = bytes.withUnsafeBufferPointer { decode($0.baseAddress, $0.count, limit, &raster) }
        if status == Int32(CIC_OK.rawValue), toSRGB { status = cic_convert_to_srgb(&raster) }
        if status != Int32(CIC_OK.rawValue) {
            let message = withUnsafeBytes(of: raster.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let (width, height) = (Int(raster.width), Int(raster.height))
            cic_raster_free(&raster)
            switch UInt32(status) {
            case CIC_TOO_LARGE.rawValue:
                throw ImageFileError.tooLarge(path: path, width: width, height: height, limit: max(maxPixels, 0))
            case CIC_TRUNCATED.rawValue:
                throw ImageFileError.truncated(path: path)
            case CIC_NO_MEMORY.rawValue:
                throw ImageFileError.outOfMemory(path: path, reason: message)
            default:
                throw ImageFileError.corrupt(path: path, reason: message)
            }
        }
        guard raster.pixels != nil, raster.width > 0, raster.height > 0 else {
            cic_raster_free(&raster)
            throw ImageFileError.corrupt(path: path, reason: "the image has no pixels")
        }
        self.raster = raster
        width = Int(raster.width)
        height = Int(raster.height)
        layout = cic_layout(rawValue: UInt32(raster.layout))
        channels = Int(raster.channels)
        bitDepth = Int(raster.bit_depth)
        orientation = Int(raster.orientation)
    }

    deinit { cic_raster_free(&raster) }

    /// The decoder's samples (valid while this object lives).
    var rasterPixels: UnsafeMutableRawPointer? { raster.pixels }

    /// Red, green and blue planes, alpha composited onto white, CMYK converted multiplicatively.
    func rgbPlanes() -> [Float] {
        let count = 3 * width * height
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let base = raster.pixels! // checked in init
            if bitDepth == 16 {
                Self.unit16.withUnsafeBufferPointer { fillRGB(base.assumingMemoryBound(to: UInt16.self), $0.baseAddress!, out.baseAddress!) }
            } else {
                Self.unit8.withUnsafeBufferPointer { fillRGB(base.assumingMemoryBound(to: UInt8.self), $0.baseAddress!, out.baseAddress!) }
            }
            initialized = count
        }
    }

    /// One plane of coverage: grey value (BT.601 luminance for colour) times alpha.
    func maskPlane() -> [Float] {
        let count = width * height
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            let base = raster.pixels! // checked in init
            if bitDepth == 16 {
                Self.unit16.withUnsafeBufferPointer { fillMask(base.assumingMemoryBound(to: UInt16.self), $0.baseAddress!, out.baseAddress!) }
            } else {
                Self.unit8.withUnsafeBufferPointer { fillMask(base.assumingMemoryBound(to: UInt8.self), $0.baseAddress!, out.baseAddress!) }
            }
            initialized = count
        }
    }

    /// BT.601 luma weights.
    @inline(__always)
    static func luminance(_ r: Float, _ g: Float, _ b: Float) -> Float {
        0.299 * r + 0.587 * g + 0.114 * b
    }

    /// 8-bit code -> value in [0, 1] (exactly `Float(code) / 255`).
    private static let unit8: [Float] = (0...255).map { Float($0) / 255 }
    /// 16-bit code -> value in [0, 1] (exactly `Float(code) / 65535`).
    private static let unit16: [Float] = (0...65535).map { Float($0) / 65535 }

    /// Fills the three planes at `r` from samples `s`, mapping codes through `unit`.
    private func fillRGB<Sample: FixedWidthInteger>(_ s: UnsafePointer<Sample>, _ unit: UnsafePointer<Float>,
                                                    _ r: UnsafeMutablePointer<Float>) {
        let n = width * height, c = channels
        let g = r + n, b = r + 2 * n
        switch layout {
        case CIC_GRAY:
            for i in 0..<n { let v = unit[Int(s[i])]; r[i] = v; g[i] = v; b[i] = v }
        case CIC_GRAY_ALPHA:
            for i in 0..<n {
                let a = unit[Int(s[2 * i + 1])]
                let v = unit[Int(s[2 * i])] * a + (1 - a)
                r[i] = v; g[i] = v; b[i] = v
            }
        case CIC_RGB:
            for i in 0..<n { r[i] = unit[Int(s[3 * i])]; g[i] = unit[Int(s[3 * i + 1])]; b[i] = unit[Int(s[3 * i + 2])] }
        case CIC_RGBA:
            for i in 0..<n {
                let a = unit[Int(s[4 * i + 3])], white = 1 - a
                r[i] = unit[Int(s[4 * i])] * a + white
                g[i] = unit[Int(s[4 * i + 1])] * a + white
                b[i] = unit[Int(s[4 * i + 2])] * a + white
            }
        default: // inverted CMYK: each value is 1 - ink
            for i in 0..<n {
                let k = unit[Int(s[c * i + 3])]
                r[i] = unit[Int(s[c * i])] * k; g[i] = unit[Int(s[c * i + 1])] * k; b[i] = unit[Int(s[c * i + 2])] * k
            }
        }
    }

    /// Fills the mask plane at `m` from samples `s`, mapping codes through `unit`.
    private func fillMask<Sample: FixedWidthInteger>(_ s: UnsafePointer<Sample>, _ unit: UnsafePointer<Float>,
                                                     _ m: UnsafeMutablePointer<Float>) {
        let n = width * height, c = channels
        switch layout {
        case CIC_GRAY:
            for i in 0..<n { m[i] = unit[Int(s[i])] }
        case CIC_GRAY_ALPHA:
            for i in 0..<n { m[i] = unit[Int(s[2 * i])] * unit[Int(s[2 * i + 1])] }
        case CIC_RGB:
            for i in 0..<n { m[i] = Self.luminance(unit[Int(s[3 * i])], unit[Int(s[3 * i + 1])], unit[Int(s[3 * i + 2])]) }
        case CIC_RGBA:
            for i in 0..<n {
                m[i] = Self.luminance(unit[Int(s[4 * i])], unit[Int(s[4 * i + 1])], unit[Int(s[4 * i + 2])])
                    * unit[Int(s[4 * i + 3])]
            }
        default: // inverted CMYK
            for i in 0..<n {
                let k = unit[Int(s[c * i + 3])]
                m[i] = Self.luminance(unit[Int(s[c * i])] * k, unit[Int(s[c * i + 1])] * k, unit[Int(s[c * i + 2])] * k)
            }
        }
    }
}
