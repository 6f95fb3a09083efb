import Foundation
import Imaging

/// Decoding and resampling of image files, as the engine needs them.
///
/// The product uses `ImagingBackend` (the Imaging layer's codecs and resampler); tests may supply
/// their own to count reads or inject failures. Implementations must be safe to call from any thread.
public protocol ImageBackend: Sendable {
    /// Decodes the image at `path` as RGB, refusing files of more than `maxPixels` pixels.
    func readImage(atPath path: String, maxPixels: Int) throws -> RGBImage
    /// Decodes the image at `path` as a mask: one channel in [0, 1] (white = 1).
    func readMask(atPath path: String) throws -> GrayImage
    /// `image` resampled to exactly `width` x `height`.
    func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage
}

/// The product's image backend: PNG and JPEG through the Imaging layer, area-averaging and
/// Lanczos resampling.
public struct ImagingBackend: ImageBackend {
    /// Creates the backend.
    public init() {}

    public func readImage(atPath path: String, maxPixels: Int) throws -> RGBImage {
        try ImageFile.read(URL(fileURLWithPath: path), maxPixels: maxPixels)
    }

    public func readMask(atPath path: String) throws -> GrayImage {
        try ImageFile.readMask(URL(fileURLWithPath: path))
    }

    public func resize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        image.resized(width: width, height: height)
    }
}
