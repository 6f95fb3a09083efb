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
    /// EXIF orientation 1...8 (JPEG only; 1 for PNG).
    let orientation: Int
    private var raster: cic_raster

    /// Decodes `bytes` (already identified as `format`), checking the header's pixel count
    /// against `maxPixels` before anything is allocated.
    init(bytes: [UInt8], format: ImageFormat, path: String, maxPixels: Int) throws {
        var raster = cic_raster()
        let limit = Int64(max(maxPixels, 0))
        let status: Int32 = bytes.withUnsafeBufferPointer { buffer in
            switch format {
            case .png: return cic_png_decode(buffer.baseAddress, buffer.count, limit, &raster)
            case .jpeg: return cic_jpeg_decode(buffer.baseAddress, buffer.count, limit, &raster)
            case .unsupported: return Int32(CIC_CORRUPT.rawValue)
            }
        }
        if case .unsupported(let name) = format {
            throw ImageFileError.unsupportedFormat(path: path, format: name)
        }
        let message = withUnsafeBytes(of: &raster.message) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        switch UInt32(status) {
        case CIC_OK.rawValue:
            break
        case CIC_TOO_LARGE.rawValue:
            throw ImageFileError.tooLarge(path: path, width: Int(raster.width), height: Int(raster.height), limit: max(maxPixels, 0))
        case CIC_TRUNCATED.rawValue:
            throw ImageFileError.truncated(path: path)
        case CIC_NO_MEMORY.rawValue:
            throw ImageFileError.outOfMemory(path: path, reason: message)
        default:
            throw ImageFileError.corrupt(path: path, reason: message)
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

    /// Red, green and blue planes, alpha composited onto white, CMYK converted multiplicatively.
    func rgbPlanes() -> [Float] {
        let n = width * height
        var planes = [Float](repeating: 0, count: 3 * n)
        planes.withUnsafeMutableBufferPointer { out in
            forEachPixel { i, s in
                switch layout {
                case CIC_GRAY:
                    out[i] = s[0]; out[n + i] = s[0]; out[2 * n + i] = s[0]
                case CIC_GRAY_ALPHA:
                    let v = s[0] * s[1] + (1 - s[1])
                    out[i] = v; out[n + i] = v; out[2 * n + i] = v
                case CIC_RGB:
                    out[i] = s[0]; out[n + i] = s[1]; out[2 * n + i] = s[2]
                case CIC_RGBA:
                    let a = s[3], white = 1 - s[3]
                    out[i] = s[0] * a + white; out[n + i] = s[1] * a + white; out[2 * n + i] = s[2] * a + white
                default: // inverted CMYK: each value is 1 - ink
                    out[i] = s[0] * s[3]; out[n + i] = s[1] * s[3]; out[2 * n + i] = s[2] * s[3]
                }
            }
        }
        return planes
    }

    /// One plane of coverage: grey value (BT.601 luminance for colour) times alpha.
    func maskPlane() -> [Float] {
        var plane = [Float](repeating: 0, count: width * height)
        plane.withUnsafeMutableBufferPointer { out in
            forEachPixel { i, s in
                switch layout {
                case CIC_GRAY: out[i] = s[0]
                case CIC_GRAY_ALPHA: out[i] = s[0] * s[1]
                case CIC_RGB: out[i] = Self.luminance(s[0], s[1], s[2])
                case CIC_RGBA: out[i] = Self.luminance(s[0], s[1], s[2]) * s[3]
                default: out[i] = Self.luminance(s[0] * s[3], s[1] * s[3], s[2] * s[3])
                }
            }
        }
        return plane
    }

    /// BT.601 luma weights.
    @inline(__always)
    static func luminance(_ r: Float, _ g: Float, _ b: Float) -> Float {
        0.299 * r + 0.587 * g + 0.114 * b
    }

    /// Calls `body(pixelIndex, samples)` with the pixel's samples normalised to [0, 1].
    @inline(__always)
    private func forEachPixel(_ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        guard let base = raster.pixels else { return }
        let n = width * height, c = channels
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 4)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0, count: 4)
        if bitDepth == 16 {
            let samples = base.assumingMemoryBound(to: UInt16.self)
            for i in 0..<n {
                for k in 0..<c { scratch[k] = Float(samples[i * c + k]) / 65535 }
                body(i, scratch)
            }
        } else {
            let samples = base.assumingMemoryBound(to: UInt8.self)
            for i in 0..<n {
                for k in 0..<c { scratch[k] = Float(samples[i * c + k]) / 255 }
                body(i, scratch)
            }
        }
    }
}
