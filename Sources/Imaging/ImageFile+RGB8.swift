import CImageCodecs
import Foundation

extension ImageFile {
    /// Reads an image as interleaved 8-bit RGB bytes, as `read` would see it (`read`'s pixels
    /// are exactly these bytes / 255). An 8-bit RGB file that needs no rotation (such as the
    /// PNG an export writes) is copied straight from the decoder's buffer, without the float
    /// planes `read` builds (12 bytes a pixel); any other file goes through `read`.
    public static func readRGB8(_ url: URL, maxPixels: Int = defaultMaxPixels) throws -> (width: Int, height: Int, bytes: [UInt8]) {
        let bytes = try ImageFileBytes.load(url)
        guard let format = ImageFormat.detect(bytes) else { throw ImageFileError.notAnImage(path: url.path) }
        let raster = try DecodedRaster(bytes: bytes, format: format, path: url.path, maxPixels: maxPixels, toSRGB: true)
        if let rgb = raster.rgb8IfPlain() { return (raster.width, raster.height, rgb) }
        let image = try read(bytes: bytes, path: url.path, maxPixels: maxPixels)
        return (image.width, image.height, image.rgb8Interleaved())
    }
}

extension DecodedRaster {
    /// The samples themselves when they are 8-bit RGB stored upright; nil otherwise.
    func rgb8IfPlain() -> [UInt8]? {
        guard bitDepth == 8, layout == CIC_RGB, channels == 3, orientation == 1, let base = rasterPixels else { return nil }
        return Array(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: 3 * width * height))
    }
}
