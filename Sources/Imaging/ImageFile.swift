import Foundation

/// Reading and writing image files (PNG and JPEG), recognised by content, never by name.
public enum ImageFile {
    /// The default limit on width x height accepted by `read` and `readMask` (100 megapixels).
    public static let defaultMaxPixels = 100_000_000

    /// Reads a PNG or JPEG as an upright RGB image.
    ///
    /// PNG: every colour type and bit depth, palettes with transparency, Adam7 interlacing;
    /// 16-bit samples keep their precision. JPEG: RGB, greyscale and CMYK/YCCK (Adobe inverted
    /// CMYK understood); the EXIF orientation is applied. Transparency is composited onto white.
    /// The header's width x height is checked against `maxPixels` before anything is decoded.
    public static func read(_ url: URL, maxPixels: Int = defaultMaxPixels) throws -> RGBImage {
        try image(from: ImageFileBytes.load(url), path: url.path, maxPixels: maxPixels)
    }

    /// `read` for bytes already in memory; `path` names them in errors.
    public static func read(bytes: [UInt8], path: String, maxPixels: Int = defaultMaxPixels) throws -> RGBImage {
        try image(from: bytes, path: path, maxPixels: maxPixels)
    }

    /// `read` for bytes already in memory; `path` names them in errors.
    static func image(from bytes: [UInt8], path: String, maxPixels: Int) throws -> RGBImage {
        let raster = try decode(bytes, path: path, maxPixels: maxPixels)
        // The float planes take 12 bytes a pixel (the codec's buffer 3 to 8): ask the allocator
        // first, so an image the machine cannot hold is a clean error, not an abort in Swift.
        let planeBytes = 12 * raster.width * raster.height
        guard let probe = malloc(planeBytes) else {
            throw ImageFileError.outOfMemory(path: path, reason: "cannot allocate \(planeBytes >> 20) MiB for the pixels")
        }
        free(probe)
        let image = RGBImage(width: raster.width, height: raster.height, pixels: raster.rgbPlanes())
        return image.applying(ExifOrientation(rawValue: raster.orientation) ?? .up)
    }

    /// Reads a PNG or JPEG as an upright mask: white (1) is inside, black (0) outside.
    ///
    /// Colour images are reduced by BT.601 luminance (0.299 R + 0.587 G + 0.114 B); where the
    /// file has alpha, the value is multiplied by it, so transparent pixels count as outside.
    public static func readMask(_ url: URL, maxPixels: Int = defaultMaxPixels) throws -> GrayImage {
        let raster = try decode(ImageFileBytes.load(url), path: url.path, maxPixels: maxPixels)
        let mask = GrayImage(width: raster.width, height: raster.height, pixels: raster.maskPlane())
        return mask.applying(ExifOrientation(rawValue: raster.orientation) ?? .up)
    }

    private static func decode(_ bytes: [UInt8], path: String, maxPixels: Int) throws -> DecodedRaster {
        guard let format = ImageFormat.detect(bytes) else {
            throw ImageFileError.notAnImage(path: path)
        }
        return try DecodedRaster(bytes: bytes, format: format, path: path, maxPixels: maxPixels)
    }
}
