import CKernels

/// Elementwise and reshaping ops on feature maps. Each splits its channels across the pool.
extension Tensor {
    /// 2x2 max pool with stride 2, floor mode (a trailing odd row or column is dropped).
    public func maxPooled(pool: WorkerPool = .shared) -> Tensor {
        var out = Tensor(uninitializedChannels: channels, height: height / 2, width: width / 2)  // the kernel writes it all
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in ak_maxpool2(s, Int32(h), Int32(w), d, c0, c1) }
            }
        }
        return out
    }

    /// Nearest-neighbour 2x upsample.
    public func upsampled(pool: WorkerPool = .shared) -> Tensor {
        var out = Tensor(uninitializedChannels: channels, height: height * 2, width: width * 2)
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in ak_upsample2(s, Int32(h), Int32(w), d, c0, c1) }
            }
        }
        return out
    }

    /// Reflection padding (the edge pixel is not repeated) of the bottom and right edges.
    public func reflectPadded(bottom: Int, right: Int, pool: WorkerPool = .shared) -> Tensor {
        precondition(bottom >= 0 && right >= 0, "padding must be non-negative")
        if bottom == 0 && right == 0 { return self }
        var out = Tensor(uninitializedChannels: channels, height: height + bottom, width: width + right)  // written whole
        let (h, w) = (height, width)
        data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                let (s, d) = (src.baseAddress!, dst.baseAddress!)
                pool.forChannelRanges(channels) { c0, c1 in
                    ak_pad_reflect(s, Int32(h), Int32(w), Int32(bottom), Int32(right), d, c0, c1)
                }
            }
        }
        return out
    }

    /// The top-left `height` x `width` window of every channel.
    public func cropped(height newHeight: Int, width newWidth: Int) -> Tensor {
        precondition(newHeight <= height && newWidth <= width, "crop larger than the tensor")
        if newHeight == height && newWidth == width { return self }
        var out = [Float]()
        out.reserveCapacity(channels * newHeight * newWidth)
        for c in 0..<channels {
            for y in 0..<newHeight {
                let start = (c * height + y) * width
                out.append(contentsOf: data[start..<(start + newWidth)])
            }
        }
        return Tensor(channels: channels, height: newHeight, width: newWidth, data: out)
    }

    /// Per-channel mean and population standard deviation, weighted by `mask` (one weight per
    /// pixel; nil means all ones), accumulated in double precision.
    public func channelStatistics(mask: [Float]? = nil, pool: WorkerPool = .shared) -> (mean: [Double], std: [Double]) {
        precondition(mask == nil || mask!.count == planeSize, "mask size does not match the feature map")
        var mean = [Double](repeating: 0, count: channels)
        var std = [Double](repeating: 0, count: channels)
        let n = planeSize
        data.withUnsafeBufferPointer { x in
            mean.withUnsafeMutableBufferPointer { m in
                std.withUnsafeMutableBufferPointer { s in
                    let (xp, mp, sp) = (x.baseAddress!, m.baseAddress!, s.baseAddress!)
                    withOptionalPointer(mask) { maskPointer in
                        pool.forChannelRanges(channels) { c0, c1 in
                            ak_channel_stats(xp, maskPointer, n, mp, sp, c0, c1)
                        }
                    }
                }
            }
        }
        return (mean, std)
    }

    /// `scale[c] * self[c] + shift[c]` for every channel c.
    public func channelAffine(scale: [Float], shift: [Float], pool: WorkerPool = .shared) -> Tensor {
        precondition(scale.count == channels && shift.count == channels, "one scale and shift per channel")
        var out = Tensor(channels: channels, height: height, width: width)
        let n = planeSize
        data.withUnsafeBufferPointer { x in
            out.data.withUnsafeMutableBufferPointer { o in
                let (xp, op) = (x.baseAddress!, o.baseAddress!)
                scale.withUnsafeBufferPointer { a in
                    shift.withUnsafeBufferPointer { b in
                        let (ap, bp) = (a.baseAddress!, b.baseAddress!)
                        pool.forChannelRanges(channels) { c0, c1 in ak_channel_affine(xp, ap, bp, n, op, c0, c1) }
                    }
                }
            }
        }
        return out
    }

    /// Adds `mask * other` (mask: one weight per pixel, nil for all ones) to this tensor.
    public mutating func accumulate(_ other: Tensor, mask: [Float]?, pool: WorkerPool = .shared) {
        precondition(other.channels == channels && other.planeSize == planeSize, "shapes differ")
        precondition(mask == nil || mask!.count == planeSize, "mask size does not match the feature map")
        let n = planeSize
        let channelCount = channels
        data.withUnsafeMutableBufferPointer { acc in
            other.data.withUnsafeBufferPointer { t in
                let (ap, tp) = (acc.baseAddress!, t.baseAddress!)
                withOptionalPointer(mask) { maskPointer in
                    pool.forChannelRanges(channelCount) { c0, c1 in ak_masked_accumulate(ap, tp, maskPointer, n, c0, c1) }
                }
            }
        }
    }

    /// `alpha * self + (1 - alpha) * other`, elementwise.
    public func mixed(with other: Tensor, alpha: Float) -> Tensor {
        precondition(other.count == count, "shapes differ")
        var out = Tensor(channels: channels, height: height, width: width)
        data.withUnsafeBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                out.data.withUnsafeMutableBufferPointer { o in
                    ak_mix(a.baseAddress!, b.baseAddress!, alpha, count, o.baseAddress!)
                }
            }
        }
        return out
    }
}

extension WorkerPool {
    /// Splits `channels` into at most `threadCount * 2` contiguous ranges and runs `body` on each.
    public func forChannelRanges(_ channels: Int, _ body: (Int32, Int32) -> Void) {
        let parts = min(channels, threadCount * 2)
        parallelFor(parts) { part in
            let c0 = channels * part / parts
            let c1 = channels * (part + 1) / parts
            body(Int32(c0), Int32(c1))
        }
    }
}

/// Calls `body` with a pointer to `array`'s elements, or with nil when `array` is nil.
func withOptionalPointer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
