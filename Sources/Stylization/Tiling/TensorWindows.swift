import Runtime

/// Window copies between tensors: the tiling's only data movement besides the buffers'.
extension Tensor {
    /// The part `rect` of every channel.
    func window(_ rect: CellRect) -> Tensor {
        if rect.y0 == 0 && rect.x0 == 0 && rect.height == height && rect.width == width { return self }
        precondition(rect.y0 >= 0 && rect.y1 <= height && rect.x0 >= 0 && rect.x1 <= width, "window outside the tensor")
        let (h, w) = (rect.height, rect.width)
        let data = [Float](unsafeUninitializedCapacity: channels * h * w) { out, initialized in
            self.data.withUnsafeBufferPointer { source in
                for c in 0..<channels {
                    for y in 0..<h {
                        (out.baseAddress! + (c * h + y) * w)
                            .update(from: source.baseAddress! + (c * height + rect.y0 + y) * width + rect.x0, count: w)
                    }
                }
            }
            initialized = channels * h * w
        }
        return Tensor(channels: channels, height: h, width: w, data: data)
    }

    /// Copies the part `part` of `source` here, at rows and columns starting `(y, x)`.
    mutating func place(_ source: Tensor, part: CellRect, y: Int, x: Int) {
        precondition(source.channels == channels && y + part.height <= height && x + part.width <= width,
                     "window outside the tensor")
        let (h, w) = (height, width)
        data.withUnsafeMutableBufferPointer { target in
            source.data.withUnsafeBufferPointer { from in
                for c in 0..<channels {
                    for row in 0..<part.height {
                        (target.baseAddress! + (c * h + y + row) * w + x).update(
                            from: from.baseAddress! + (c * source.height + part.y0 + row) * source.width + part.x0,
                            count: part.width)
                    }
                }
            }
        }
    }
}
