/// A dense float32 tensor shaped channels x height x width (a single image's feature map).
///
/// The runtime deals in feature maps only, so every tensor is three-dimensional; a vector or a
/// matrix is a tensor with height (and width) 1. Storage is contiguous, row-major: element
/// (c, y, x) is at `(c * height + y) * width + x`.
public struct Tensor: Equatable, Sendable {
    /// Number of channels.
    public let channels: Int
    /// Height of each channel plane.
    public let height: Int
    /// Width of each channel plane.
    public let width: Int
    /// `channels * height * width` values.
    public var data: [Float]

    /// Wraps existing values; `data.count` must equal `channels * height * width`.
    public init(channels: Int, height: Int, width: Int, data: [Float]) {
        precondition(channels > 0 && height > 0 && width > 0, "tensor dimensions must be positive")
        precondition(data.count == channels * height * width, "tensor data count does not match its shape")
        self.channels = channels
        self.height = height
        self.width = width
        self.data = data
    }

    /// A tensor filled with `value`.
    public init(channels: Int, height: Int, width: Int, repeating value: Float = 0) {
        self.init(channels: channels, height: height, width: width,
                  data: [Float](repeating: value, count: channels * height * width))
    }

    /// A tensor whose values the caller writes before reading any (no zero-filling pass over a
    /// map a kernel overwrites whole, or that a row-by-row pass fills).
    public init(uninitializedChannels channels: Int, height: Int, width: Int) {
        let n = channels * height * width
        self.init(channels: channels, height: height, width: width,
                  data: [Float](unsafeUninitializedCapacity: n) { _, count in count = n })
    }

    /// Number of elements in one channel plane.
    public var planeSize: Int { height * width }

    /// Total number of elements.
    public var count: Int { data.count }

    /// Size of the values in bytes (what a cache entry costs).
    public var byteCount: Int { data.count * MemoryLayout<Float>.size }

    /// Element (c, y, x).
    @inlinable
    public subscript(c: Int, y: Int, x: Int) -> Float {
        get { data[(c * height + y) * width + x] }
        set { data[(c * height + y) * width + x] = newValue }
    }
}
