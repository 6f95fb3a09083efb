import Foundation
import Imaging
import Runtime

/// The shape of one convolution step as the strip schedule sees it.
struct CINLayerShape {
    var inChannels: Int, outChannels: Int, kernel: Int, stride: Int, pad: Int, upsample: Bool
    /// Input size (before the upsample) and output size.
    var inHeight: Int, inWidth: Int, outHeight: Int, outWidth: Int

    /// Multiply-adds, the unit progress is counted in.
    var cost: Double { Double(inChannels * outChannels * kernel * kernel) * Double(outHeight * outWidth) }
}

extension CINNetwork {
    /// The shapes of the convolution steps for a padded `height` x `width` input, in order.
    func layerShapes(height: Int, width: Int) -> [CINLayerShape] {
        var (h, w) = (height, width)
        var shapes: [CINLayerShape] = []
        for case .conv(let name, let pad, let upsample, _, _) in steps {
            let (cin, cout, k, s): (Int, Int, Int, Int)
            switch layers[name]! {
            case .reflect3x3(let c): (cin, cout, k, s) = (c.inChannels, c.outChannels, 3, 1)
            case .general(let c): (cin, cout, k, s) = (c.inChannels, c.outChannels, c.kernelSize, c.stride)
            }
            let (hu, wu) = upsample ? (2 * h, 2 * w) : (h, w)
            let (ho, wo) = ((hu + 2 * pad - k) / s + 1, (wu + 2 * pad - k) / s + 1)
            shapes.append(CINLayerShape(inChannels: cin, outChannels: cout, kernel: k, stride: s, pad: pad,
                                        upsample: upsample, inHeight: h, inWidth: w, outHeight: ho, outWidth: wo))
            (h, w) = (ho, wo)
        }
        return shapes
    }

    /// Runs the network on `input` (the padded photo, 3 x H x W, H and W multiples of 4) one
    /// layer at a time, each in strips of whole rows, and returns the last layer's map (read it
    /// strip by strip: the sigmoid and its norm are applied on read).
    ///
    /// Instance-norm statistics are whole-image: each layer's strips are convolved and stored
    /// raw while their per-channel moments are merged (double precision, Chan's update), and the
    /// norm is applied only when the next layer reads its input strips. A strip's input carries
    /// the convolution's halo (its rows above and below), reflected only at the image's true top
    /// and bottom edges; rows are whole, so columns are padded exactly as in `run`. The result
    /// equals `run`'s up to the rounding of the merged statistics.
    func runInStrips(_ input: PlaneSource, conditioning: CINConditioning, plan: CINStripPlan, budget: StripBudget,
                     pool: WorkerPool, progress: TileProgress) throws -> StripMap {
        var x = StripMap(stored: input)
        var saved: [StripMap] = []
        var shapes = plan.shapes.makeIterator()
        for step in steps {
            try progress.checkCancelled()
            switch step {
            case .saveResidual:
                if !x.isPlain { x = try materialize(x, plan: plan, budget: budget, pool: pool) }
                saved.append(x)
            case .addResidual:
                x = x.adding(saved.removeLast())
            case .conv(let name, _, _, let norm, let activation):
                let shape = shapes.next()!
                x = try convolve(x, layer: layers[name]!, shape: shape, norm: norm, activation: activation,
                                 conditioning: conditioning, plan: plan, budget: budget, pool: pool, progress: progress)
            }
        }
        return x
    }

    /// One convolution over the whole map in strips; its output stored raw with the norm pending.
    private func convolve(_ x: StripMap, layer: Layer, shape: CINLayerShape, norm: String?, activation: Activation,
                          conditioning: CINConditioning, plan: CINStripPlan, budget: StripBudget,
                          pool: WorkerPool, progress: TileProgress) throws -> StripMap {
        let (buffer, lease) = try budget.buffer(channels: shape.outChannels, height: shape.outHeight, width: shape.outWidth)
        var moments = FeatureMoments(channels: shape.outChannels, transform: .adain)
        let rows = plan.stripRows(height: shape.outHeight)
        for y0 in stride(from: 0, to: shape.outHeight, by: rows) {
            try progress.checkCancelled()
            let y1 = min(shape.outHeight, y0 + rows)
            let out = try convolveRows(x, layer: layer, shape: shape, rows: y0..<y1,
                                       activation: norm == nil ? activation : .none, pool: pool)
            buffer.write(out, part: CellRect(y0: 0, y1: out.height, x0: 0, x1: out.width), y: y0, x: 0)
            if norm != nil { moments.add(out, mask: nil, pool: pool) }
            progress.skip(shape.cost * Double(y1 - y0) / Double(shape.outHeight))
        }
        guard let norm else { return StripMap(stored: buffer, lease: lease) }
        guard case .meanAndStd(let mean, let std)? = moments.statistics else {
            preconditionFailure("instance-norm moments without a mean and deviation")
        }
        let pending = StripMap.PendingNorm(name: norm, mean: mean, variance: std.map { $0 * $0 }, epsilon: epsilon,
                                           activation: activation, conditioning: conditioning)
        return StripMap(stored: buffer, norm: pending, lease: lease)
    }

    /// Output rows `rows` of one convolution, read from `x` with their halo.
    private func convolveRows(_ x: StripMap, layer: Layer, shape: CINLayerShape, rows: Range<Int>,
                              activation: Activation, pool: WorkerPool) throws -> Tensor {
        switch layer {
        case .reflect3x3(let conv):
            // The fast kernels pad by themselves (reflection on every side): columns are
            // right as they are; one extra row above and below is computed and dropped.
            let window = try x.window(rows: (rows.lowerBound - 1)..<(rows.upperBound + 1), upsample: shape.upsample,
                                      pool: pool)
            let full = try conv.forward(window, relu: activation == .relu, pool: pool)
            let out = full.rows(1..<(1 + rows.count))
            return activation == .none || activation == .relu ? out : out.activated(activation)
        case .general(let conv):
            let (k, s, p) = (shape.kernel, shape.stride, shape.pad)
            let window = try x.window(rows: (rows.lowerBound * s - p)..<((rows.upperBound - 1) * s - p + k),
                                      upsample: shape.upsample, pool: pool)
            let padded = window.padded(top: 0, left: p, bottom: 0, right: p, mode: .reflect, pool: pool)
            return try conv.forward(padded, activation: activation, pool: pool)
        }
    }

    /// Stores `x` with everything pending applied (a residual branch is read twice).
    private func materialize(_ x: StripMap, plan: CINStripPlan, budget: StripBudget, pool: WorkerPool) throws -> StripMap {
        let (buffer, lease) = try budget.buffer(channels: x.channels, height: x.height, width: x.width)
        let rows = plan.stripRows(height: x.height)
        for y0 in stride(from: 0, to: x.height, by: rows) {
            let strip = try x.read(rows: y0..<min(x.height, y0 + rows), pool: pool)
            buffer.write(strip, part: CellRect(y0: 0, y1: strip.height, x0: 0, x1: strip.width), y: y0, x: 0)
        }
        return StripMap(stored: buffer, lease: lease)
    }
}

extension Tensor {
    /// Rows `rows` of every channel.
    func rows(_ rows: Range<Int>) -> Tensor {
        if rows.count == height { return self }
        let n = rows.count
        let data = [Float](unsafeUninitializedCapacity: channels * n * width) { out, initialized in
            self.data.withUnsafeBufferPointer { src in
                for c in 0..<channels {
                    (out.baseAddress! + c * n * width)
                        .update(from: src.baseAddress! + (c * height + rows.lowerBound) * width, count: n * width)
                }
            }
            initialized = channels * n * width
        }
        return Tensor(channels: channels, height: n, width: width, data: data)
    }
}
