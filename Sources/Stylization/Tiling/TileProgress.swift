/// Progress of a tiled render, counted in flops so it moves evenly however tiles differ in
/// size; checks for cancellation before every layer of every tile.
final class TileProgress {
    private let control: RenderControl?
    private let total: Double
    private var done = 0.0

    init(total: Double, control: RenderControl?) {
        self.total = max(total, 1)
        self.control = control
    }

    /// Runs one network pass whose layers cost `costs`: `body` gets the per-layer hook that
    /// checks cancellation and reports the fraction done so far.
    func pass<T>(costs: [Double], _ body: ((Int) throws -> Void) throws -> T) throws -> T {
        var prefix = [Double](repeating: 0, count: costs.count + 1)
        for (i, cost) in costs.enumerated() { prefix[i + 1] = prefix[i] + cost }
        let start = done
        let result = try body { [self] layer in
            try control?.checkCancelled()
            control?.report((start + prefix[layer]) / total)
        }
        done = start + prefix[costs.count]
        control?.report(done / total)
        return result
    }

    /// Counts work that was skipped (a cached style) as done.
    func skip(_ cost: Double) {
        done += cost
        control?.report(done / total)
    }

    /// Throws if the render was cancelled (between tiles and phases).
    func checkCancelled() throws {
        try control?.checkCancelled()
    }
}
