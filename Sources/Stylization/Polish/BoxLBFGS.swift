import Runtime

/// Limited-memory BFGS kept inside the box [0, 1]ⁿ by projection.
///
/// Each step builds the quasi-Newton direction from the last `history` curvature pairs
/// (two-loop recursion) over the free coordinates (those not held at a bound by a gradient
/// pushing outward), then backtracks along the projected path clamp(x + t·d, 0, 1) from t = 1,
/// halving t until the loss drops by the Armijo margin. Trial points cost a forward pass only
/// (`Objective.loss`); the gradient (the backward pass) is asked for once per step, at the
/// accepted point. A trial that does not lower the loss is never accepted: when no step size
/// works the history is dropped and steepest descent tried; when that fails too the optimiser
/// stops (`step` returns false).
///
/// Every vector is allocated once; the image-sized loops run on the worker pool over fixed
/// chunks whose partial sums are added in chunk order, so the same start gives the same bytes
/// whatever the thread count.
struct BoxLBFGS {
    /// The function minimised: the loss at a point, then the gradient at the last point whose
    /// loss was asked for.
    struct Objective {
        var loss: ([Float]) throws -> Double
        var gradient: (inout [Float]) throws -> Void
    }

    /// Curvature pairs kept.
    let history: Int
    /// Largest pixel change of the first step (before any curvature is known).
    let firstStep: Float
    private let vectors: ChunkedVectors
    private var pairs: [(s: [Float], y: [Float], rho: Double)] = []
    private var spare: [(s: [Float], y: [Float])] = []
    private var direction: [Float]
    private var trial: [Float]
    private var trialGradient: [Float]

    /// Trial points whose loss was evaluated (forward passes) so far.
    private(set) var lossEvaluations = 0
    /// Gradients evaluated (backward passes) so far, the start's excluded.
    private(set) var gradientEvaluations = 0

    init(count: Int, history: Int = 10, firstStep: Float = 0.05, pool: WorkerPool = .shared) {
        self.history = history
        self.firstStep = firstStep
        vectors = ChunkedVectors(count: count, pool: pool)
        direction = [Float](repeating: 0, count: count)
        trial = direction
        trialGradient = direction
    }

    /// Takes one step from `x` (loss `loss`, gradient `gradient`), updating all three; false
    /// when no step lowers the loss (x unchanged).
    mutating func step(x: inout [Float], loss: inout Double, gradient: inout [Float], objective: Objective) throws -> Bool {
        for attempt in 0..<2 {
            if attempt == 1 {
                guard !pairs.isEmpty else { return false }
                spare += pairs.map { ($0.s, $0.y) }
                pairs.removeAll()
            }
            computeDirection(x: x, gradient: gradient)
            var t: Float = 1
            if pairs.isEmpty {
                let largest = vectors.maxAbs(direction)
                guard largest > 0 else { return false }
                t = firstStep / largest
            }
            for _ in 0..<20 {
                let slope = vectors.project(x, direction, t, into: &trial, slopeWith: gradient)
                if slope >= 0 { t *= 0.5; continue }
                lossEvaluations += 1
                let trialLoss = try objective.loss(trial)
                if trialLoss.isFinite, trialLoss < loss, trialLoss <= loss + 1e-4 * slope {
                    gradientEvaluations += 1
                    try objective.gradient(&trialGradient)
                    remember(x: x, trial: trial, gradient: gradient, trialGradient: trialGradient)
                    swap(&x, &trial)
                    swap(&gradient, &trialGradient)
                    loss = trialLoss
                    return true
                }
                t *= 0.5
            }
        }
        return false
    }

    /// Stores s = trial − x, y = g(trial) − g(x) when sᵀy > 0 (keeps H positive definite).
    private mutating func remember(x: [Float], trial: [Float], gradient: [Float], trialGradient: [Float]) {
        var (s, y) = spare.popLast() ?? ([Float](repeating: 0, count: x.count), [Float](repeating: 0, count: x.count))
        vectors.difference(trial, x, into: &s)
        vectors.difference(trialGradient, gradient, into: &y)
        let sy = vectors.dot(s, y), yy = vectors.dot(y, y)
        guard sy > 1e-12 * max(yy, 1e-30) else {
            spare.append((s, y))
            return
        }
        pairs.append((s, y, 1 / sy))
        if pairs.count > history { let p = pairs.removeFirst(); spare.append((p.s, p.y)) }
    }

    /// direction = −H·g over the free coordinates, by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I
    /// from the newest pair.
    private mutating func computeDirection(x: [Float], gradient: [Float]) {
        vectors.freeGradient(x, gradient, into: &direction)
        var alphas = [Double](repeating: 0, count: pairs.count)
        for i in stride(from: pairs.count - 1, through: 0, by: -1) {
            alphas[i] = pairs[i].rho * vectors.dot(pairs[i].s, direction)
            vectors.axpy(-alphas[i], pairs[i].y, &direction)
        }
        if let last = pairs.last {
            vectors.scale(&direction, 1 / (last.rho * vectors.dot(last.y, last.y)))
        }
        for i in pairs.indices {
            let beta = pairs[i].rho * vectors.dot(pairs[i].y, direction)
            vectors.axpy(alphas[i] - beta, pairs[i].s, &direction)
        }
        vectors.negateFree(&direction, x: x, gradient: gradient)
    }

    /// The gradient with the components that push a coordinate out of [0, 1] zeroed.
    static func freeGradient(_ x: [Float], _ g: [Float]) -> [Float] {
        var free = g
        for i in x.indices where (x[i] <= 0 && g[i] > 0) || (x[i] >= 1 && g[i] < 0) { free[i] = 0 }
        return free
    }
}

/// Image-sized vector loops spread over the worker pool in fixed chunks: reductions add the
/// chunks' double partial sums in chunk order, so results never depend on the threads.
struct ChunkedVectors {
    let count: Int
    let pool: WorkerPool
    static let chunk = 1 << 16
    private var chunks: Int { max(1, (count + Self.chunk - 1) / Self.chunk) }

    init(count: Int, pool: WorkerPool) {
        self.count = count
        self.pool = pool
    }

    /// Runs body(start, end) over every chunk; returns the chunks' results in order.
    private func each(_ body: (Int, Int) -> Double) -> [Double] {
        var partial = [Double](repeating: 0, count: chunks)
        let n = count, size = Self.chunk
        partial.withUnsafeMutableBufferPointer { out in
            let o = out
            pool.parallelFor(chunks) { k in o[k] = body(k * size, min(n, (k + 1) * size)) }
        }
        return partial
    }

    /// aᵀb in double.
    func dot(_ a: [Float], _ b: [Float]) -> Double {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                each { lo, hi in VectorSums.dot(ap.baseAddress! + lo, bp.baseAddress! + lo, count: hi - lo) }.reduce(0, +)
            }
        }
    }

    /// max |a_i|.
    func maxAbs(_ a: [Float]) -> Float {
        a.withUnsafeBufferPointer { ap in
            Float(each { lo, hi in
                var m: Float = 0
                for i in lo..<hi { m = max(m, abs(ap[i])) }
                return Double(m)
            }.max() ?? 0)
        }
    }

    /// y += a·x.
    func axpy(_ a: Double, _ x: [Float], _ y: inout [Float]) {
        let af = Float(a)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                let yq = yp
                _ = each { lo, hi in
                    for i in lo..<hi { yq[i] += af * xp[i] }
                    return 0
                }
            }
        }
    }

    /// v *= a.
    func scale(_ v: inout [Float], _ a: Double) {
        let af = Float(a)
        v.withUnsafeMutableBufferPointer { vp in
            let vq = vp
            _ = each { lo, hi in
                for i in lo..<hi { vq[i] *= af }
                return 0
            }
        }
    }

    /// out = a − b.
    func difference(_ a: [Float], _ b: [Float], into out: inout [Float]) {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { op in
                    let oq = op
                    _ = each { lo, hi in
                        for i in lo..<hi { oq[i] = ap[i] - bp[i] }
                        return 0
                    }
                }
            }
        }
    }

    /// out = g with the components pushing x out of [0, 1] zeroed.
    func freeGradient(_ x: [Float], _ g: [Float], into out: inout [Float]) {
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeBufferPointer { gp in
                out.withUnsafeMutableBufferPointer { op in
                    let oq = op
                    _ = each { lo, hi in
                        for i in lo..<hi {
                            let held = (xp[i] <= 0 && gp[i] > 0) || (xp[i] >= 1 && gp[i] < 0)
                            oq[i] = held ? 0 : gp[i]
                        }
                        return 0
                    }
                }
            }
        }
    }

    /// d = −d on the free coordinates, 0 where `freeGradient` is 0 (held, or no gradient).
    func negateFree(_ d: inout [Float], x: [Float], gradient g: [Float]) {
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeBufferPointer { gp in
                d.withUnsafeMutableBufferPointer { dp in
                    let dq = dp
                    _ = each { lo, hi in
                        for i in lo..<hi {
                            let held = (xp[i] <= 0 && gp[i] > 0) || (xp[i] >= 1 && gp[i] < 0)
                            dq[i] = held || gp[i] == 0 ? 0 : -dq[i]
                        }
                        return 0
                    }
                }
            }
        }
    }

    /// out = clamp(x + t·d, 0, 1); returns gᵀ(out − x), the slope along the projected move.
    func project(_ x: [Float], _ d: [Float], _ t: Float, into out: inout [Float], slopeWith g: [Float]) -> Double {
        x.withUnsafeBufferPointer { xp in
            d.withUnsafeBufferPointer { dp in
                g.withUnsafeBufferPointer { gp in
                    out.withUnsafeMutableBufferPointer { op in
                        let oq = op
                        return each { lo, hi in
                            VectorSums.projectIntoBox(xp.baseAddress! + lo, dp.baseAddress! + lo, t, slopeWith: gp.baseAddress! + lo,
                                                      into: oq.baseAddress! + lo, count: hi - lo)
                        }.reduce(0, +)
                    }
                }
            }
        }
    }
}
