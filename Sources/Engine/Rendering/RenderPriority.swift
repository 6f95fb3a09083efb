import Foundation
import Stylization

/// Lets the preview go first. The worker pool runs one parallel loop at a time, so an export
/// and a preview rendering together interleave layer by layer and the preview, which the person
/// is waiting for, takes several times longer. With a shared `RenderPriority`, an export pauses
/// at its next layer boundary while any preview renders, and carries on when the preview is done.
///
/// The export waits inside its `RenderControl` progress callback, which the stylizer calls between
/// layers (outside every parallel loop), so the pause holds no pool resources.
public final class RenderPriority: @unchecked Sendable {
    private let condition = NSCondition()
    private var previews = 0
    private var pausedSeconds: Double = 0

    /// Creates a priority gate with no preview running.
    public init() {}

    /// Total seconds background work has spent paused for previews.
    public var secondsPaused: Double { condition.withLock { pausedSeconds } }

    /// Marks a preview render as started.
    func previewStarted() {
        condition.withLock { previews += 1 }
    }

    /// Marks a preview render as finished.
    func previewEnded() {
        condition.lock()
        previews = max(0, previews - 1)
        if previews == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Blocks the calling (background) render while a preview renders; returns at once when
    /// none does, and soon after `control` is cancelled.
    func yieldToPreviews(control: RenderControl?) {
        condition.lock()
        defer { condition.unlock() }
        guard previews > 0 else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        while previews > 0 && !(control?.isCancelled ?? false) {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.02))
        }
        pausedSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
