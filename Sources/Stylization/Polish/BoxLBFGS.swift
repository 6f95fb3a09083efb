import COpenBLAS

/// Limited-memory BFGS kept inside the box [0, 1]ⁿ by projection.
///
/// Each step builds the quasi-Newton direction from the last `history` curvature pairs
/// (two-loop recursion) over the free coordinates (those not held at a bound by a gradient
/// pushing outward), then backtracks along the projected path clamp(x + t·d, 0, 1) from t = 1,
/// halving t until the loss drops by the Armijo margin. A trial that does not lower the loss is
/// never accepted: when no step size works the history is dropped and steepest descent tried;
/// when that fails too the optimiser stops (`step` returns false). Every reduction runs in a
/// fixed order, so the same start gives the same bytes.
struct BoxLBFGS {
    /// Curvature pairs kept.
    let history: Int
    /// Largest pixel change of the first step (before any curvature is known).
    let firstStep: Float
    private var pairs: [(s: [Float], y: [Float], rho: Double)] = []

    init(history: Int = 10, firstStep: Float = 0.05) {
        self.history = history
        self.firstStep = firstStep
    }

    /// The loss and its gradient at a point.
    typealias Evaluate = ([Float]) throws -> (loss: Double, gradient: [Float])

    /// Takes one step from `x` (loss `loss`, gradient `gradient`), updating all three; false
    /// when no step lowers the loss (x unchanged).
    mutating func step(x: inout [Float], loss: inout Double, gradient: inout [Float], evaluate: Evaluate) throws -> Bool {
        for attempt in 0..<2 {
            if attempt == 1 {
                guard !pairs.isEmpty else { return false }
                pairs.removeAll()
            }
            let free = Self.freeGradient(x, gradient)
            let d = direction(free)
            var t: Float = 1
            if pairs.isEmpty {
                let largest = d.reduce(Float(0)) { max($0, abs($1)) }
                guard largest > 0 else { return false }
                t = firstStep / largest
            }
            for _ in 0..<20 {
                let trial = Self.projected(x, d, t)
                let moved = zip(trial, x).map { $0 - $1 }
                let slope = Self.dot(gradient, moved)
                if slope >= 0 { t *= 0.5; continue }
                let (trialLoss, trialGradient) = try evaluate(trial)
                if trialLoss.isFinite, trialLoss < loss, trialLoss <= loss + 1e-4 * slope {
                    remember(s: moved, y: zip(trialGradient, gradient).map { $0 - $1 })
                    x = trial
                    loss = trialLoss
                    gradient = trialGradient
                    return true
                }
                t *= 0.5
            }
        }
        return false
    }

    private mutating func remember(s: [Float], y: [Float]) {
        let sy = Self.dot(s, y)
        guard sy > 1e-12 * max(Self.dot(y, y), 1e-30) else { return }   // keeps H positive definite
        pairs.append((s, y, 1 / sy))
        if pairs.count > history { pairs.removeFirst() }
    }

    /// −H·g by the two-loop recursion, H₀ = (sᵀy / yᵀy)·I from the newest pair.
    private func direction(_ g: [Float]) -> [Float] {
        var q = g
        var alphas = [Double](repeating: 0, count: pairs.count)
        for i in stride(from: pairs.count - 1, through: 0, by: -1) {
            alphas[i] = pairs[i].rho * Self.dot(pairs[i].s, q)
            Self.axpy(-alphas[i], pairs[i].y, &q)
        }
        if let last = pairs.last {
            let gamma = Float(1 / (last.rho * Self.dot(last.y, last.y)))
            for i in q.indices { q[i] *= gamma }
        }
        for i in pairs.indices {
            let beta = pairs[i].rho * Self.dot(pairs[i].y, q)
            Self.axpy(alphas[i] - beta, pairs[i].s, &q)
        }
        for i in q.indices where g[i] == 0 { q[i] = 0 }
        return q.map { -$0 }
    }

    /// The gradient with the components that push a coordinate out of [0, 1] zeroed.
    static func freeGradient(_ x: [Float], _ g: [Float]) -> [Float] {
        var free = g
        for i in x.indices where (x[i] <= 0 && g[i] > 0) || (x[i] >= 1 && g[i] < 0) { free[i] = 0 }
        return free
    }

    /// clamp(x + t·d, 0, 1).
    static func projected(_ x: [Float], _ d: [Float], _ t: Float) -> [Float] {
        var out = x
        for i in out.indices { out[i] = min(max(x[i] + t * d[i], 0), 1) }
        return out
    }

    /// aᵀb accumulated in double.
    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in cblas_dsdot(Int32(a.count), ap.baseAddress, 1, bp.baseAddress, 1) }
        }
    }

    /// y += a·x.
    static func axpy(_ a: Double, _ x: [Float], _ y: inout [Float]) {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in cblas_saxpy(Int32(x.count), Float(a), xp.baseAddress, 1, yp.baseAddress, 1) }
        }
    }
}
