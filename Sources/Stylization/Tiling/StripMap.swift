import Runtime

/// A feature map of a feed-forward network run strip by strip (`CINNetwork.runInStrips`): the
/// values a layer stored (in memory, a spill file, or the padded photo itself) plus what is
/// still to be applied to them when they are read: the whole-image instance norm with its
/// gamma/beta and activation, then a residual map added on top. Reading a strip of rows
/// applies all of it, so the next layer sees exactly what the one-piece network computes.
final class StripMap {
    /// The instance norm a map's stored values still need: whole-image statistics (gathered
    /// over every strip before any is normalised), the conditioning and the activation after it.
    struct PendingNorm {
        var name: String
        var mean: [Double]
        var variance: [Double]
        var epsilon: Double
        var activation: Activation
        var conditioning: CINConditioning
    }

    /// Where the values live.
    let stored: PlaneSource
    /// Applied on read, in this order.
    let norm: PendingNorm?
    let residual: StripMap?
    /// Gives its bytes back to the budget when the map is dropped.
    private let lease: StripBudget.Lease?

    var channels: Int { stored.channels }
    var height: Int { stored.height }
    var width: Int { stored.width }

    /// Whether reading returns the stored values untouched.
    var isPlain: Bool { norm == nil && residual == nil }

    init(stored: PlaneSource, norm: PendingNorm? = nil, residual: StripMap? = nil, lease: StripBudget.Lease? = nil) {
        self.stored = stored
        self.norm = norm
        self.residual = residual
        self.lease = lease
    }

    /// The same map with `residual` to be added after the norm.
    func adding(_ residual: StripMap) -> StripMap {
        precondition(self.residual == nil, "a map takes one residual")
        return StripMap(stored: stored, norm: norm, residual: residual, lease: lease)
    }

    /// Rows `rows` (within the map), every channel, with the pending norm and residual applied.
    func read(rows: Range<Int>, pool: WorkerPool) throws -> Tensor {
        var x = stored.read(CellRect(y0: rows.lowerBound, y1: rows.upperBound, x0: 0, x1: width))
        if let norm {
            let (gamma, beta) = try norm.conditioning.gammaBeta(norm.name, rows: rows, height: height, width: width)
            x = x.instanceNormalized(gamma: gamma, beta: beta, epsilon: norm.epsilon, activation: norm.activation,
                                     statistics: (norm.mean, norm.variance), pool: pool)
        }
        if let residual { x = try residual.read(rows: rows, pool: pool) + x }
        return x
    }

    /// Rows `rows` of this map seen as a convolution's input: nearest-upsampled 2x first when
    /// `upsample` (rows then count in the upsampled map), rows outside the map reflected at
    /// its true edges (numpy "reflect"), columns untouched.
    func window(rows: Range<Int>, upsample: Bool, pool: WorkerPool) throws -> Tensor {
        let factor = upsample ? 2 : 1
        let mapped = rows.map { reflectedRow($0, factor * height) }
        let lo = mapped.min()! / factor, hi = mapped.max()! / factor + 1
        var source = try read(rows: lo..<hi, pool: pool)
        if upsample { source = source.upsampled(pool: pool) }
        let first = factor * lo
        if mapped.first == first, zip(mapped, mapped.dropFirst()).allSatisfy({ $1 == $0 + 1 }),
           mapped.count == source.height {
            return source
        }
        let w = source.width, h = source.height, n = mapped.count
        let data = [Float](unsafeUninitializedCapacity: source.channels * n * w) { out, initialized in
            source.data.withUnsafeBufferPointer { src in
                for c in 0..<source.channels {
                    for (k, row) in mapped.enumerated() {
                        (out.baseAddress! + (c * n + k) * w).update(from: src.baseAddress! + (c * h + row - first) * w, count: w)
                    }
                }
            }
            initialized = source.channels * n * w
        }
        return Tensor(channels: source.channels, height: n, width: w, data: data)
    }
}

/// numpy "reflect" for any row index (negative ones too) of an axis of length `n`, mirrored as
/// often as needed: what the runtime's padding kernel does at the image's true edges.
func reflectedRow(_ i: Int, _ n: Int) -> Int {
    if n == 1 { return 0 }
    let period = 2 * (n - 1)
    let j = ((i % period) + period) % period
    return j < n ? j : period - j
}
