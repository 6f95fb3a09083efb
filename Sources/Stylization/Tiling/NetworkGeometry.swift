import Runtime

/// What tiling needs to know about a network: how far a tile edge's wrong values spread, how
/// the resolution changes, what each layer costs and how much memory a pass holds at once.
extension Network {
    /// Number of 2x2 max pools.
    var poolCount: Int { layers.filter { if case .maxPool = $0 { return true } else { return false } }.count }

    /// Number of 2x upsamples.
    var upsampleCount: Int { layers.filter { if case .upsample = $0 { return true } else { return false } }.count }

    /// How many output pixels next to a tile edge that is not the image border can differ from
    /// the untiled pass.
    ///
    /// A 3x3 convolution reflects the tile's own pixels where the real image continues, so each
    /// one spreads the damage one pixel further; a 2x2 pool (on a grid aligned with the image's)
    /// halves it, rounding up; an upsample doubles it. 1x1 convolutions keep it.
    var interiorEdgeReach: Int {
        var reach = 0
        for layer in layers {
            switch layer {
            case .conv(_, let conv, _): if conv.kernelSize == 3 { reach += 1 }
            case .maxPool: reach = (reach + 1) / 2
            case .upsample: reach *= 2
            }
        }
        return reach
    }

    /// The halo, in cells of the network's coarser side (input cells for a decoder, output cells
    /// for an encoder), that a tile needs so its owned part is computed exactly.
    var haloCells: Int {
        let upsampled = 1 << upsampleCount
        return (interiorEdgeReach + upsampled - 1) / upsampled
    }

    /// Multiply-adds times two of each layer for an input of `height` x `width` pixels.
    func layerCosts(height: Int, width: Int) -> [Double] {
        var (h, w) = (height, width)
        return layers.map { layer in
            switch layer {
            case .conv(_, let conv, _): return conv.flops(height: h, width: w)
            case .maxPool:
                (h, w) = (h / 2, w / 2)
                return 0
            case .upsample:
                (h, w) = (h * 2, w * 2)
                return 0
            }
        }
    }

    /// The most bytes one pass over a `height` x `width` input with `channels` channels holds
    /// at once: a layer's input and output, the finished outputs `forward` keeps for reuse (up
    /// to two), and the convolution scratch.
    func peakBytes(channels: Int, height: Int, width: Int, threads: Int) -> Int {
        var (c, h, w) = (channels, height, width)
        var spares: [Int] = []
        var peak = 0
        for (index, layer) in layers.enumerated() {
            let input = c * h * w
            var scratch = 0
            switch layer {
            case .conv(_, let conv, _):
                c = conv.outChannels
                if conv.kernelSize == 3 { scratch = threads * max(1 << 20, conv.inChannels * 9 * w) }
                if let reused = spares.firstIndex(of: c * h * w) { spares.remove(at: reused) }
            case .maxPool:
                (h, w) = (h / 2, w / 2)
            case .upsample:
                (h, w) = (h * 2, w * 2)
            }
            peak = max(peak, input + c * h * w + spares.reduce(0, +) + scratch)
            if index > 0 {
                spares.append(input)
                if spares.count > 2 { spares.removeFirst() }
            }
        }
        return peak * MemoryLayout<Float>.size
    }
}
