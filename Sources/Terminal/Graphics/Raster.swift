import Imaging

/// An 8-bit RGB image, interleaved row by row: what every preview adapter encodes.
struct Raster: Equatable {
    /// Width in pixels.
    let width: Int
    /// Height in pixels.
    let height: Int
    /// `3 * width * height` bytes: r, g, b of pixel (0,0), then (1,0), ...
    var bytes: [UInt8]

    init(width: Int, height: Int, bytes: [UInt8]) {
        self.width = width
        self.height = height
        self.bytes = bytes
    }

    /// `image` resized to `width` x `height` with Imaging's resampler (area averaging when
    /// shrinking, Lanczos-3 when enlarging), as bytes.
    init(resampling image: RGBImage, width: Int, height: Int) {
        let resized = image.width == width && image.height == height ? image : image.resized(width: width, height: height)
        self.init(width: resized.width, height: resized.height, bytes: resized.rgb8Interleaved())
    }

    /// The red, green and blue bytes of pixel (x, y).
    func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let i = 3 * (y * width + x)
        return (bytes[i], bytes[i + 1], bytes[i + 2])
    }
}
