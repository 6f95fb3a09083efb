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
/// positive semi-definite.
///
/// Used directly, the clip's frames call it one after another. A clip render with frames in
/// flight at once gives each frame its view, `frame(_:sceneCut:)`, and calls `finished()` on
/// it when the frame is done: a frame's `smoothed` then waits until the frame before it has
/// smoothed the same key (or is finished), so every frame sees exactly the average it would
/// see rendered in order. Frame t's network can thus run while frame t-1 is still in later
/// layers (a wavefront), and the result is the same bits as one frame at a time.
public final class ClipStatistics: @unchecked Sendable {
    /// The weight of the past in the moving average (0: every frame its own statistics).
    public let momentum: Double
    private let timeline: Timeline
    /// A frame view's frame index, and the first frame of its scene (nil: the clip itself).
    private let place: (frame: Int, sceneStart: Int)?

    /// The momentum a clip render uses at `stability` (0...1, `--stability`): the stabilizer's
    /// blend weight, `0.9 * stability`, chosen by the sweep in docs/video.md.
    public static func momentum(stability: Float) -> Double { 0.9 * Double(min(max(stability, 0), 1)) }

    /// Statistics for a clip, with `momentum` (clamped to 0...1) given to the past.
    public init(momentum: Double) {
        self.momentum = min(max(momentum, 0), 1)
        timeline = Timeline()
        place = nil
    }

    private init(clip: ClipStatistics, frame: Int, sceneStart: Int) {
        momentum = clip.momentum
        timeline = clip.timeline
        place = (frame, sceneStart)
    }

    /// The view of frame `index` (ask for the frames in order, each once; `sceneCut`: the frame
    /// starts a new scene). Its `finished()` must be called when the frame is done, even when
    /// it failed, or the next frame waits forever.
    public func frame(_ index: Int, sceneCut: Bool) -> ClipStatistics {
        let sceneStart = timeline.condition.withLock {
            if sceneCut || index == 0 { timeline.sceneStart = index }
            return timeline.sceneStart
        }
        return ClipStatistics(clip: self, frame: index, sceneStart: sceneStart)
    }

    /// A frame view's frame is done: the next frame no longer waits for it.
    public func finished() {
        guard let place else { return }
        timeline.condition.withLock {
            timeline.done.insert(place.frame)
            while timeline.done.remove(timeline.finishedThrough + 1) != nil { timeline.finishedThrough += 1 }
            timeline.condition.broadcast()
        }
    }

    /// The moving average of the content statistic `key` after this frame's `values` (a
    /// statistic whose length changed, e.g. after a resize, starts again).
    public func smoothed(_ values: [Double], key: String) -> [Double] {
        guard let place else { return smoothedInOrder(values, key: key) }
        guard momentum > 0 else { return values }
        let t = timeline
        t.condition.lock()
        defer { t.condition.unlock() }
        if place.frame > place.sceneStart {
            while t.finishedThrough < place.frame - 1, t.history[key]?.contains(where: { $0.frame == place.frame - 1 }) != true {
                t.condition.wait()
            }
        }
        var mixed = values
        if let past = t.history[key]?.last(where: { $0.frame < place.frame && $0.frame >= place.sceneStart }),
           past.values.count == values.count {
            let m = momentum
            for i in mixed.indices { mixed[i] = m * past.values[i] + (1 - m) * values[i] }
        }
        var entries = t.history[key] ?? []
        entries.insert((place.frame, mixed), at: entries.firstIndex { $0.frame > place.frame } ?? entries.count)
        // A finished frame's entry serves every later frame better than any older one.
        if let newestDone = entries.lastIndex(where: { $0.frame <= t.finishedThrough }) { entries.removeFirst(newestDone) }
        t.history[key] = entries
        t.condition.broadcast()
        return mixed
    }

    private func smoothedInOrder(_ values: [Double], key: String) -> [Double] {
        timeline.condition.withLock {
            guard let past = timeline.content[key], past.count == values.count, momentum > 0 else {
                timeline.content[key] = values
                return values
            }
            let m = momentum
            var mixed = values
            for i in mixed.indices { mixed[i] = m * past[i] + (1 - m) * values[i] }
            timeline.content[key] = mixed
            return mixed
        }
    }

    /// The style-side value `key`, made by `make` the first time it is asked for (frames asking
    /// at once wait for the one making it).
    public func style<T>(_ key: String, make: () throws -> T) rethrows -> T {
        let t = timeline
        t.condition.lock()
        while true {
            if let known = t.style[key] as? T {
                t.condition.unlock()
                return known
            }
            guard t.making.contains(key) else { break }
            t.condition.wait()
        }
        t.making.insert(key)
        t.condition.unlock()
        defer {
            t.condition.withLock {
                t.making.remove(key)
                t.condition.broadcast()
            }
        }
        let value = try make()
        t.condition.withLock { t.style[key] = value }
        return value
    }

    /// Forgets the content statistics (a scene cut: the next frame starts afresh); style-side
    /// values stay. (Frame views take their cuts from `frame(_:sceneCut:)`.)
    public func sceneCut() {
        timeline.condition.withLock { timeline.content.removeAll() }
    }

    /// The state a clip and its frame views share, guarded by `condition`.
    private final class Timeline: @unchecked Sendable {
        let condition = NSCondition()
        /// In-order use: the latest average per key.
        var content: [String: [Double]] = [:]
        /// Frame views: the averages recent frames left per key, by frame.
        var history: [String: [(frame: Int, values: [Double])]] = [:]
        /// Every frame up to this one is finished.
        var finishedThrough = -1
        /// Finished frames after `finishedThrough`.
        var done = Set<Int>()
        /// The first frame of the scene of the latest frame view handed out.
        var sceneStart = 0
        var style: [String: Any] = [:]
        var making = Set<String>()
    }
}

extension ClipStatistics: Equatable {
    /// The same clip's statistics (identity).
    public static func == (a: ClipStatistics, b: ClipStatistics) -> Bool { a === b }
}
