/// Wall time spent in each part of a polish, for `atelier bench-polish --profile`: every
/// layer's forward and backward pass and the loss's own terms, summed over the passes run
/// while it is attached (`EncoderGradient.profile`).
public final class PolishProfile: @unchecked Sendable {
    /// Each part's label, in the order first timed.
    public private(set) var labels: [String] = []
    /// Seconds and calls per label.
    public private(set) var totals: [String: (seconds: Double, calls: Int)] = [:]

    /// An empty profile.
    public init() {}

    /// Runs `body`, adding its wall time to `label`.
    @discardableResult
    public func time<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let result = try body()
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if totals[label] == nil { labels.append(label) }
        let old = totals[label] ?? (0, 0)
        totals[label] = (old.seconds + seconds, old.calls + 1)
        return result
    }
}

extension Optional where Wrapped == PolishProfile {
    /// Runs `body`, timed under `label` when a profile is attached.
    @discardableResult
    func time<T>(_ label: @autoclosure () -> String, _ body: () throws -> T) rethrows -> T {
        guard let profile = self else { return try body() }
        return try profile.time(label(), body)
    }
}
