/// One named float32 weight tensor, as stored in a checkpoint: contiguous, row-major values.
public struct NamedTensor: Equatable, Sendable {
    /// The parameter name, e.g. `"conv11.weight"`.
    public var name: String
    /// The dimensions, outermost first (e.g. `[out, in, kh, kw]` for a convolution weight).
    /// A scalar has an empty shape and one value.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values in row-major order.
    public var values: [Float]

    /// Creates a tensor; `values.count` should equal the product of `shape`
    /// (`SafeTensors.write` rejects tensors where it does not).
    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }

    /// The number of elements the shape describes.
    public var elementCount: Int { shape.reduce(1, *) }
}
