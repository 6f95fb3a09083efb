extension RGBImage {
    /// Builds an image from interleaved 8-bit RGB bytes (`3 * width * height`, row by row).
    public init(width: Int, height: Int, rgb8 bytes: [UInt8]) {
        precondition(bytes.count == 3 * width * height, "byte count does not match dimensions")
        let n = width * height
        // One pass into uninitialised planes (no zero-filling pass first); the same values.
        let planes = [Float](unsafeUninitializedCapacity: 3 * n) { planes, initialized in
            bytes.withUnsafeBufferPointer { source in
                let (s, red) = (source.baseAddress!, planes.baseAddress!)
                let (green, blue) = (red + n, red + 2 * n)
                for i in 0..<n {
                    red[i] = Float(s[3 &* i]) / 255
                    green[i] = Float(s[3 &* i &+ 1]) / 255
                    blue[i] = Float(s[3 &* i &+ 2]) / 255
                }
            }
            initialized = 3 * n
        }
        self.init(width: width, height: height, pixels: planes)
    }

    /// Interleaved 8-bit RGB bytes, row by row: values clamped to [0, 1] and rounded.
    public func rgb8Interleaved() -> [UInt8] {
        let n = planeSize
        return [UInt8](unsafeUninitializedCapacity: 3 * n) { bytes, initialized in
            pixels.withUnsafeBufferPointer { p in
                let (red, out) = (p.baseAddress!, bytes.baseAddress!)
                let (green, blue) = (red + n, red + 2 * n)
                for i in 0..<n {
                    out[3 &* i] = Self.byte(red[i])
                    out[3 &* i &+ 1] = Self.byte(green[i])
                    out[3 &* i &+ 2] = Self.byte(blue[i])
                }
            }
            initialized = 3 * n
        }
    }

    /// One channel value in [0, 1] as a byte, rounded to nearest.
    @inlinable
    public static func byte(_ value: Float) -> UInt8 {
        UInt8(min(max(value, 0), 1) * 255 + 0.5)
    }
}
