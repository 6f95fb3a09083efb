extension RGBImage {
    /// Builds an image from interleaved 8-bit RGB bytes (`3 * width * height`, row by row).
    public init(width: Int, height: Int, rgb8 bytes: [UInt8]) {
        precondition(bytes.count == 3 * width * height, "byte count does not match dimensions")
        let n = width * height
        var planes = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            planes[i] = Float(bytes[3 * i]) / 255
            planes[n + i] = Float(bytes[3 * i + 1]) / 255
            planes[2 * n + i] = Float(bytes[3 * i + 2]) / 255
        }
        self.init(width: width, height: height, pixels: planes)
    }

    /// Interleaved 8-bit RGB bytes, row by row: values clamped to [0, 1] and rounded.
    public func rgb8Interleaved() -> [UInt8] {
        let n = planeSize
        var bytes = [UInt8](repeating: 0, count: 3 * n)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<n {
                bytes[3 * i] = Self.byte(p[i])
                bytes[3 * i + 1] = Self.byte(p[n + i])
                bytes[3 * i + 2] = Self.byte(p[2 * n + i])
            }
        }
        return bytes
    }

    /// One channel value in [0, 1] as a byte, rounded to nearest.
    @inlinable
    public static func byte(_ value: Float) -> UInt8 {
        UInt8(min(max(value, 0), 1) * 255 + 0.5)
    }
}
