import Imaging
import Runtime

/// The pad-to-16 rule: every image is reflect-padded at the bottom and right to a multiple of 16
/// (four 2x poolings deep), stylized, and cropped back.
public let paddingMultiple = 16

extension Tensor {
    /// A 3-channel tensor holding `image`'s planes.
    public init(_ image: RGBImage) {
        self.init(channels: 3, height: image.height, width: image.width, data: image.pixels)
    }

    /// Reflect-padded at the bottom and right to multiples of `multiple`.
    public func paddedToMultiple(_ multiple: Int = paddingMultiple, pool: WorkerPool = .shared) -> Tensor {
        let bottom = (multiple - height % multiple) % multiple
        let right = (multiple - width % multiple) % multiple
        return reflectPadded(bottom: bottom, right: right, pool: pool)
    }
}

extension RGBImage {
    /// The first three channels of `tensor`, clamped to [0, 1].
    public init(clamping tensor: Tensor) {
        self.init(clamping: tensor, height: tensor.height, width: tensor.width)
    }

    /// The top-left `height` x `width` window of `tensor`'s three channels, clamped to [0, 1]:
    /// the crop and the clamp in one pass, the values of `init(clamping: tensor.cropped(...))`.
    public init(clamping tensor: Tensor, height: Int, width: Int) {
        precondition(tensor.channels == 3, "an RGB image needs three channels")
        precondition(height <= tensor.height && width <= tensor.width, "crop larger than the tensor")
        let count = 3 * height * width, sourceWidth = tensor.width, sourcePlane = tensor.planeSize
        let pixels = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            tensor.data.withUnsafeBufferPointer { source in
                let (s, o) = (source.baseAddress!, out.baseAddress!)
                for c in 0..<3 {
                    for y in 0..<height {
                        let from = s + c * sourcePlane + y * sourceWidth, to = o + (c * height + y) * width
                        for x in 0..<width { to[x] = min(max(from[x], 0), 1) }
                    }
                }
            }
            initialized = count
        }
        self.init(width: width, height: height, pixels: pixels)
    }
}
