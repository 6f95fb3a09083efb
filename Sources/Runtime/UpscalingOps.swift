import CKernels

/// The reshaping and residual ops of the upscaling networks (Real-ESRGAN's ncnn graphs).
extension Tensor {
    /// The tensors stacked along channels, in order (all must have this plane size).
    public static func concatenated(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "nothing to concatenate")
        let (h, w) = (parts[0].height, parts[0].width)
        precondition(parts.allSatisfy { $0.height == h && $0.width == w }, "concatenated planes differ in size")
        let channels = parts.reduce(0) { $0 + $1.channels }
        let count = channels * h * w
        let data = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            var offset = 0
            for part in parts {
                part.data.withUnsafeBufferPointer { src in
                    (out.baseAddress! + offset).update(from: src.baseAddress!, count: src.count)
                }
                offset += part.count
            }
            initialized = count
        }
        return Tensor(channels: channels, height: h, width: w, data: data)
    }

    /// Nearest-neighbour upsampling by whole factors: each pixel becomes a block of
    /// `vertical` x `horizontal` copies.
    public func upsampledNearest(vertical: Int, horizontal: Int, pool: WorkerPool = .shared) -> Tensor {
        precondition(vertical > 0 && horizontal > 0, "upsampling factors must be positive")
        var out = Tensor(uninitializedChannels: channels, height: height * vertical, width: width * horizontal)
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in
                    ak_upsample_nearest(s, Int32(h), Int32(w), Int32(vertical), Int32(horizontal), d, c0, c1)
                }
            }
        }
        return out
    }

    /// Pixel shuffle with factor r (PyTorch order): channel c r² + i r + j of pixel (y, x)
    /// becomes channel c of pixel (y r + i, x r + j).
    public func pixelShuffled(factor r: Int, pool: WorkerPool = .shared) -> Tensor {
        precondition(r > 0 && channels % (r * r) == 0, "pixel shuffle needs a multiple of r² channels")
        let outChannels = channels / (r * r)
        var out = Tensor(uninitializedChannels: outChannels, height: height * r, width: width * r)
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(outChannels) { c0, c1 in ak_pixel_shuffle(s, Int32(h), Int32(w), Int32(r), d, c0, c1) }
            }
        }
        return out
    }

    /// `self = scale * self + otherScale * other`, elementwise (the scaled residual add,
    /// e.g. 0.2 * block + skip).
    public mutating func scaledAdd(scale: Float, _ other: Tensor, otherScale: Float, pool: WorkerPool = .shared) {
        precondition(other.channels == channels && other.planeSize == planeSize, "shapes differ")
        let n = planeSize
        let channelCount = channels
        data.withUnsafeMutableBufferPointer { acc in
            other.data.withUnsafeBufferPointer { x in
                let (ap, xp) = (acc.baseAddress!, x.baseAddress!)
                pool.forChannelRanges(channelCount) { c0, c1 in ak_scaled_add(ap, scale, xp, otherScale, n, c0, c1) }
            }
        }
    }

    /// Zero padding: the tensor placed at (top, left) in a larger map of zeros.
    public func zeroPadded(top: Int, left: Int, bottom: Int, right: Int, pool: WorkerPool = .shared) -> Tensor {
        precondition(top >= 0 && left >= 0 && bottom >= 0 && right >= 0, "padding must be non-negative")
        var out = Tensor(uninitializedChannels: channels, height: height + top + bottom, width: width + left + right)
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in
                    ak_pad_zero(s, Int32(h), Int32(w), Int32(top), Int32(left), Int32(bottom), Int32(right), d, c0, c1)
                }
            }
        }
        return out
    }
}
