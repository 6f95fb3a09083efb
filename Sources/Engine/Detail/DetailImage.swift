import Imaging

/// A finished export-resolution render, kept as 8-bit RGB (the bytes the export's PNG holds),
/// from which the 1:1 view takes windows.
public struct DetailImage: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Interleaved RGB bytes, row by row (`3 * width * height`).
    public let bytes: [UInt8]

    /// An image of `width` x `height` pixels with interleaved RGB `bytes`.
    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(bytes.count == 3 * width * height, "byte count does not match dimensions")
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// The point nearest to (`x`, `y`) that a `windowWidth` x `windowHeight` window can be
    /// centred on while it stays inside the picture (the picture's centre on an axis where the
    /// window is larger than the picture).
    public func clampedCentre(x: Int, y: Int, windowWidth: Int, windowHeight: Int) -> (x: Int, y: Int) {
        func clamp(_ value: Int, _ window: Int, _ size: Int) -> Int {
            guard window < size else { return size / 2 }
            return min(max(value, window / 2), size - (window - window / 2))
        }
        return (clamp(x, windowWidth, width), clamp(y, windowHeight, height))
    }

    /// The `windowWidth` x `windowHeight` window centred on (`x`, `y`) (clamped as
    /// `clampedCentre` says), pixel for pixel: no resampling. Where the window is larger than the
    /// picture, the picture is centred in it and the rest is `padding` (grey level in [0, 1]).
    public func window(centredOn x: Int, _ y: Int, width windowWidth: Int, height windowHeight: Int,
                       padding: Float = 0.08) -> RGBImage {
        let w = max(1, windowWidth), h = max(1, windowHeight)
        let centre = clampedCentre(x: x, y: y, windowWidth: w, windowHeight: h)
        let left = centre.x - w / 2, top = centre.y - h / 2
        let n = w * h
        var planes = [Float](repeating: padding, count: 3 * n)
        planes.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { source in
                for row in 0..<h {
                    let sy = top + row
                    guard sy >= 0, sy < height else { continue }
                    let firstColumn = max(0, -left), lastColumn = min(w, width - left)
                    guard firstColumn < lastColumn else { continue }
                    for column in firstColumn..<lastColumn {
                        let s = 3 * (sy * width + left + column)
                        let d = row * w + column
                        out[d] = Float(source[s]) / 255
                        out[n + d] = Float(source[s + 1]) / 255
                        out[2 * n + d] = Float(source[s + 2]) / 255
                    }
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: planes)
    }
}
