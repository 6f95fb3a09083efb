import Foundation
import Imaging
import Stylization

/// The size an image is loaded at.
public enum SourceFit: Hashable, Sendable {
    /// As decoded.
    case original
    /// Scaled (up or down) so the longer side has this many pixels, keeping the aspect ratio.
    case longerSide(Int)
    /// Scaled to fit inside the box, keeping the aspect ratio; never enlarged.
    case box(width: Int, height: Int)

    /// The size an image of `width` x `height` gets under this fit (each side at least 1; the
    /// shorter side rounded as `ResampleSize.fitting` does, so sizes agree with `RenderJob`'s).
    public func size(width: Int, height: Int) -> (width: Int, height: Int) {
        let longer = max(width, height)
        switch self {
        case .original:
            return (width, height)
        case .longerSide(let side):
            return ResampleSize.fitting(width: width, height: height, longerSide: max(side, 1))
        case .box(let boxWidth, let boxHeight):
            let scale = min(1, Double(max(boxWidth, 1)) / Double(width), Double(max(boxHeight, 1)) / Double(height))
            let side = max(1, Int((Double(longer) * scale).rounded(.down)))
            return side == longer ? (width, height) : ResampleSize.fitting(width: width, height: height, longerSide: side)
        }
    }
}

/// Loads photos, paintings and masks from disk, decoded once and resized on demand, keyed by
/// content: an image's identity is its file's SHA-256 plus the size it was resampled to, so two
/// paths to the same bytes share cache entries and an edited file gets new ones.
///
/// Safe to call from any thread (the preview worker and an export use it at once).
public final class SourceLibrary: @unchecked Sendable {
    /// The largest image decoded, in pixels (bigger files are refused with an error).
    public static let maximumPixels = 64_000_000

    private let backend: ImageBackend
    private let identities: FileIdentity
    private let images: ByteBoundedCache<String, RGBImage>
    private let masks: ByteBoundedCache<String, GrayImage>
    private let presets: ByteBoundedCache<PresetKey, GrayImage>
    private let decodeCounter = NSLock()
    private var decodes = 0

    /// Creates a library reading through `backend`, holding up to `capacityBytes` of decoded pixels.
    public init(backend: ImageBackend = ImagingBackend(), capacityBytes: Int = 384 << 20, identities: FileIdentity = FileIdentity()) {
        self.backend = backend
        self.identities = identities
        images = ByteBoundedCache(capacityBytes: capacityBytes) { $0.pixels.count * MemoryLayout<Float>.size }
        masks = ByteBoundedCache(capacityBytes: max(capacityBytes / 8, 1 << 20)) { $0.pixels.count * MemoryLayout<Float>.size }
        presets = ByteBoundedCache(capacityBytes: max(capacityBytes / 16, 1 << 20)) { $0.pixels.count * MemoryLayout<Float>.size }
    }

    /// Decoded-image cache occupancy and hit counts.
    public var statistics: CacheStatistics { images.statistics }

    /// How many files were actually decoded (the rest came from the cache).
    public var filesDecoded: Int { decodeCounter.withLock { decodes } }

    /// The SHA-256 (hex) of the file at `path`.
    public func digest(ofFileAt path: String) throws -> String {
        try identities.digest(ofFileAt: path)
    }

    /// The image at `path` at the size `fit` gives, with identity `"<sha256>@<w>x<h>"`.
    public func image(atPath path: String, fit: SourceFit) throws -> SourceImage {
        let digest = try identities.digest(ofFileAt: path)
        let original = try decoded(path: path, digest: digest)
        let size = fit.size(width: original.width, height: original.height)
        let identity = "\(digest)@\(size.width)x\(size.height)"
        if size.width == original.width && size.height == original.height {
            return SourceImage(image: original, identity: identity)
        }
        if let cached = images.value(for: identity) { return SourceImage(image: cached, identity: identity) }
        let resized = backend.resize(original, width: size.width, height: size.height)
        images.store(resized, for: identity)
        return SourceImage(image: resized, identity: identity)
    }

    /// The mask image at `path`, one channel in [0, 1], at its own size.
    public func mask(atPath path: String) throws -> GrayImage {
        let digest = try identities.digest(ofFileAt: path)
        if let cached = masks.value(for: digest) { return cached }
        let mask: GrayImage
        do {
            mask = try backend.readMask(atPath: path)
        } catch {
            throw SourceError.undecodable(path: path, message: Self.reason(error))
        }
        countDecode()
        masks.store(mask, for: digest)
        return mask
    }

    /// `preset` rendered at `width` x `height`, kept for the next render of the same size
    /// (a slider move that does not touch the mask reuses it). Nil for an empty size.
    public func presetMask(_ preset: PresetMask, width: Int, height: Int) -> GrayImage? {
        let key = PresetKey(preset: preset, width: width, height: height)
        if let cached = presets.value(for: key) { return cached }
        guard let mask = preset.render(width: width, height: height) else { return nil }
        presets.store(mask, for: key)
        return mask
    }

    private struct PresetKey: Hashable {
        var preset: PresetMask
        var width: Int
        var height: Int
    }

    private func decoded(path: String, digest: String) throws -> RGBImage {
        if let cached = images.value(for: digest) { return cached }
        let image: RGBImage
        do {
            image = try backend.readImage(atPath: path, maxPixels: Self.maximumPixels)
        } catch {
            throw SourceError.undecodable(path: path, message: Self.reason(error))
        }
        countDecode()
        images.store(image, for: digest)
        return image
    }

    private func countDecode() { decodeCounter.withLock { decodes += 1 } }

    /// A decoder's error as a short phrase (its own description, first line only).
    static func reason(_ error: Error) -> String {
        let text = String(describing: error)
        let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
        return line.isEmpty ? "cannot be decoded as an image" : line
    }
}
