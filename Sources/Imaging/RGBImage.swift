/// An RGB image held as three float planes (red, then green, then blue), values in [0, 1].
///
/// Planar layout is what the model consumes (channels x height x width), so converting to a
/// tensor is a copy, not a shuffle. Pixel (x, y) of channel c is at `c * width * height + y * width + x`.
public struct RGBImage: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `3 * width * height` values: the red plane, the green plane, the blue plane.
    public var pixels: [Float]

    /// Wraps existing planar pixels; `pixels.count` must be `3 * width * height`.
    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition(pixels.count == 3 * width * height, "pixel count does not match dimensions")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A uniformly coloured image.
    public init(width: Int, height: Int, red: Float = 0, green: Float = 0, blue: Float = 0) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        let n = width * height
        var pixels = [Float](repeating: red, count: 3 * n)
        for i in n..<(2 * n) { pixels[i] = green }
        for i in (2 * n)..<(3 * n) { pixels[i] = blue }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Number of pixels in one plane.
    public var planeSize: Int { width * height }

    /// The value of channel `channel` (0 red, 1 green, 2 blue) at (x, y).
    @inlinable
    public subscript(channel: Int, x: Int, y: Int) -> Float {
        get { pixels[channel * width * height + y * width + x] }
        set { pixels[channel * width * height + y * width + x] = newValue }
    }
}

/// A single-channel image (greyscale photo or region mask), values in [0, 1].
public struct GrayImage: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height` values, row by row.
    public var pixels: [Float]

    /// Wraps existing pixels; `pixels.count` must be `width * height`.
    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition(pixels.count == width * height, "pixel count does not match dimensions")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A uniform image.
    public init(width: Int, height: Int, value: Float) {
        self.init(width: width, height: height, pixels: [Float](repeating: value, count: width * height))
    }

    /// The value at (x, y).
    @inlinable
    public subscript(x: Int, y: Int) -> Float {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }
}
