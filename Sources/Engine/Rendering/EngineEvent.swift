import Foundation
import Imaging

/// Which pass of the progressive preview a picture comes from.
public enum PreviewKind: String, Sendable {
    /// The small first pass (longer side about 128 px), shown while the full one renders.
    case quick
    /// The pane-sized pass that replaces the quick one.
    case full
}

/// A finished preview picture.
public struct PreviewFrame: Equatable, Sendable {
    /// The submission it answers (see `PreviewPipeline.submit`); later submissions have larger numbers.
    public var generation: UInt64
    /// Quick or full pass.
    public var kind: PreviewKind
    /// The stylized picture.
    public var image: RGBImage
    /// Wall-clock seconds the render took (loading the images included).
    public var seconds: Double

    /// Creates a frame.
    public init(generation: UInt64, kind: PreviewKind, image: RGBImage, seconds: Double) {
        self.generation = generation
        self.kind = kind
        self.image = image
        self.seconds = seconds
    }
}

/// Something the engine tells the interface; polled from an `EventQueue`.
public enum EngineEvent: Equatable, Sendable {
    /// A preview picture for the newest submission.
    case preview(PreviewFrame)
    /// The newest submission could not be rendered; `message` is one line for the status bar.
    case previewFailed(generation: UInt64, message: String)
    /// An export finished and wrote its files.
    case exportFinished(ExportResult)
    /// An export failed (or was refused); `message` is one line for the status bar.
    case exportFailed(destination: String, message: String)
    /// An export was cancelled; nothing was written.
    case exportCancelled(destination: String)
}

/// A thread-safe queue of engine events: workers post, the interface polls without blocking.
///
/// Only the newest preview picture is kept: posting a preview frame drops earlier frames the
/// interface has not polled yet (they are superseded), so an idle interface never piles up images.
public final class EventQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [EngineEvent] = []
    private let onPost: (@Sendable (EngineEvent) -> Void)?

    /// Creates a queue; `onPost` (if any) is called on the posting thread after each event is queued,
    /// e.g. to wake the interface's loop. It must not block.
    public init(onPost: (@Sendable (EngineEvent) -> Void)? = nil) {
        self.onPost = onPost
    }

    /// Queues `event` and notifies.
    public func post(_ event: EngineEvent) {
        enqueue(event)
        notify(event)
    }

    /// Every queued event, oldest first; the queue is left empty. Never blocks for long.
    public func poll() -> [EngineEvent] {
        condition.lock()
        defer { condition.unlock() }
        let taken = events
        events.removeAll()
        return taken
    }

    /// Waits up to `timeout` seconds until an event is queued; returns whether one is.
    /// For command-line tools and tests; the interface should use `poll()`.
    public func wait(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while events.isEmpty {
            if !condition.wait(until: deadline) { return !events.isEmpty }
        }
        return true
    }

    /// Queues `event` without calling `onPost` (for posting while holding another lock).
    func enqueue(_ event: EngineEvent) {
        condition.lock()
        if case .preview = event {
            events.removeAll { if case .preview = $0 { return true } else { return false } }
        }
        events.append(event)
        condition.broadcast()
        condition.unlock()
    }

    /// Calls `onPost` for an event already queued.
    func notify(_ event: EngineEvent) {
        onPost?(event)
    }
}
