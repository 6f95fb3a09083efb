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
        precondition(tensor.channels == 3, "an RGB image needs three channels")
        self.init(width: tensor.width, height: tensor.height,
                  pixels: tensor.data.map { min(max($0, 0), 1) })
    }
}
