import Imaging
import Runtime

/// A photo seen through the pad-to-16 rule: windows of the reflect-padded image, read
/// straight from the photo's planes without building the padded copy.
final class PaddedPhoto: PlaneSource {
    let image: RGBImage
    let channels = 3
    /// Padded height (a multiple of 16).
    let height: Int
    /// Padded width (a multiple of 16).
    let width: Int

    init(_ image: RGBImage, multiple: Int = paddingMultiple) {
        self.image = image
        height = (image.height + multiple - 1) / multiple * multiple
        width = (image.width + multiple - 1) / multiple * multiple
    }

    func read(_ rect: CellRect) -> Tensor {
        let (h, w) = (rect.height, rect.width)
        let (sourceHeight, sourceWidth) = (image.height, image.width)
        let columns = (rect.x0..<rect.x1).map { reflectIndex($0, sourceWidth) }
        let plain = rect.x1 <= sourceWidth
        let data = [Float](unsafeUninitializedCapacity: 3 * h * w) { out, initialized in
            image.pixels.withUnsafeBufferPointer { pixels in
                for c in 0..<3 {
                    for y in 0..<h {
                        let row = pixels.baseAddress! + (c * sourceHeight + reflectIndex(rect.y0 + y, sourceHeight)) * sourceWidth
                        let target = out.baseAddress! + (c * h + y) * w
                        if plain {
                            target.update(from: row + rect.x0, count: w)
                        } else {
                            for x in 0..<w { target[x] = row[columns[x]] }
                        }
                    }
                }
            }
            initialized = 3 * h * w
        }
        return Tensor(channels: 3, height: h, width: w, data: data)
    }
}

/// numpy's 'reflect' index for position `i` of an axis of length `n` extended past its end:
/// mirrors about the edges without repeating them (the runtime's padding kernel does the same).
func reflectIndex(_ i: Int, _ n: Int) -> Int {
    if n == 1 { return 0 }
    let period = 2 * (n - 1)
    let j = i % period
    return j < n ? j : period - j
}
