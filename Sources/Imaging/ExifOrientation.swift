import CImageCodecs

/// The EXIF orientation tag (0x0112): how the stored pixels must be turned to be displayed upright.
public enum ExifOrientation: Int, CaseIterable, Sendable {
    /// Stored upright.
    case up = 1
    /// Mirrored left-right.
    case upMirrored = 2
    /// Rotated 180 degrees.
    case down = 3
    /// Mirrored top-bottom.
    case downMirrored = 4
    /// Mirrored along the main diagonal (transpose).
    case leftMirrored = 5
    /// Needs a 90-degree clockwise turn (the usual portrait photo from a phone).
    case right = 6
    /// Mirrored along the anti-diagonal (transverse).
    case rightMirrored = 7
    /// Needs a 90-degree counter-clockwise turn.
    case left = 8

    /// The orientation recorded in an EXIF APP1 payload (starting with "Exif\0\0"); `.up` when
    /// the payload is malformed or has no valid orientation tag.
    public init(exifPayload: [UInt8]) {
        let value = exifPayload.withUnsafeBufferPointer { cic_exif_orientation($0.baseAddress, $0.count) }
        self = ExifOrientation(rawValue: Int(value)) ?? .up
    }

    /// Whether displaying swaps width and height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// The stored pixel (x, y) shown at display position (dx, dy), for stored size w x h.
    @inline(__always)
    func source(dx: Int, dy: Int, width w: Int, height h: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: return (dx, dy)
        case .upMirrored: return (w - 1 - dx, dy)
        case .down: return (w - 1 - dx, h - 1 - dy)
        case .downMirrored: return (dx, h - 1 - dy)
        case .leftMirrored: return (dy, dx)
        case .right: return (dy, h - 1 - dx)
        case .rightMirrored: return (w - 1 - dy, h - 1 - dx)
        case .left: return (w - 1 - dy, dx)
        }
    }

    /// Applies the orientation to `planeCount` planes of `width x height` values; returns the
    /// upright planes and their size.
    func apply(to planes: [Float], planeCount: Int, width: Int, height: Int) -> (planes: [Float], width: Int, height: Int) {
        if self == .up { return (planes, width, height) }
        let (outW, outH) = swapsAxes ? (height, width) : (width, height)
        let n = width * height
        var result = [Float](repeating: 0, count: planes.count)
        planes.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                for dy in 0..<outH {
                    for dx in 0..<outW {
                        let s = source(dx: dx, dy: dy, width: width, height: height)
                        let from = s.y * width + s.x, to = dy * outW + dx
                        for p in 0..<planeCount { dst[p * n + to] = src[p * n + from] }
                    }
                }
            }
        }
        return (result, outW, outH)
    }
}

extension RGBImage {
    /// The image turned upright according to an EXIF orientation.
    public func applying(_ orientation: ExifOrientation) -> RGBImage {
        let turned = orientation.apply(to: pixels, planeCount: 3, width: width, height: height)
        return RGBImage(width: turned.width, height: turned.height, pixels: turned.planes)
    }
}

extension GrayImage {
    /// The image turned upright according to an EXIF orientation.
    public func applying(_ orientation: ExifOrientation) -> GrayImage {
        let turned = orientation.apply(to: pixels, planeCount: 1, width: width, height: height)
        return GrayImage(width: turned.width, height: turned.height, pixels: turned.planes)
    }
}
