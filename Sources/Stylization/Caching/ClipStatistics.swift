import Foundation

/// What a family keeps from one frame of a clip to the next (`StylizeSettings.clip`): the
/// statistics of the style side, computed on the first frame and reused, and the content
/// statistics its transforms use, smoothed over time by an exponential moving average.
///
/// A family hands each content statistic of a frame (UST-16x: the AdaIN means and standard
/// deviations or the WCT means and covariances of each level and region; Magenta and CIN-26:
/// the instance-norm means and variances of each layer) to `smoothed(_:key:)` under a key
/// naming where it was taken, and uses what comes back:
/// `s(t) = momentum * s(t-1) + (1 - momentum) * fresh(t)`, the first frame's own values at the
/// start and after `sceneCut()`. Convex combinations keep variances positive and covariances
/// positive semi-definite. One clip renders its frames in order; the lock only guards the
/// state against a stray concurrent reader.
public final class ClipStatistics: @unchecked Sendable {
    /// The weight of the past in the moving average (0: every frame its own statistics).
    public let momentum: Double
    private let lock = NSLock()
    private var content: [String: [Double]] = [:]
    private var style: [String: Any] = [:]

    /// The momentum a clip render uses at `stability` (0...1, `--stability`): the stabilizer's
    /// blend weight, `0.9 * stability`, chosen by the sweep in docs/video.md.
    public static func momentum(stability: Float) -> Double { 0.9 * Double(min(max(stability, 0), 1)) }

    /// Statistics for a clip, with `momentum` (clamped to 0...1) given to the past.
    public init(momentum: Double) {
        self.momentum = min(max(momentum, 0), 1)
    }

    /// The moving average of the content statistic `key` after this frame's `values` (a
    /// statistic whose length changed, e.g. after a resize, starts again).
    public func smoothed(_ values: [Double], key: String) -> [Double] {
        lock.withLock {
            guard let past = content[key], past.count == values.count, momentum > 0 else {
                content[key] = values
                return values
            }
            let m = momentum
            var mixed = values
            for i in mixed.indices { mixed[i] = m * past[i] + (1 - m) * values[i] }
            content[key] = mixed
            return mixed
        }
    }

    /// The style-side value `key`, made by `make` the first time it is asked for.
    public func style<T>(_ key: String, make: () throws -> T) rethrows -> T {
        if let known = lock.withLock({ style[key] }) as? T { return known }
        let value = try make()
        lock.withLock { style[key] = value }
        return value
    }

    /// Forgets the content statistics (a scene cut: the next frame starts afresh); style-side
    /// values stay.
    public func sceneCut() {
        lock.withLock { content.removeAll() }
    }
}

extension ClipStatistics: Equatable {
    /// The same clip's statistics (identity).
    public static func == (a: ClipStatistics, b: ClipStatistics) -> Bool { a === b }
}
