import Foundation
import Imaging
import Stylization

/// Renders previews of the session on a background thread, newest request first.
///
/// `submit(_:)` returns at once. A newer submission makes older ones obsolete: the running render
/// is cancelled (it stops at its next layer boundary), a submission still waiting is replaced
/// (so a burst of slider steps costs one render), and a result of an obsolete submission is never
/// delivered. Each submission is rendered progressively: a quick small pass, then the pane-sized
/// one; both arrive as `EngineEvent.preview` on `events`, in generation order.
public final class PreviewPipeline: @unchecked Sendable {
    /// Counters for the status bar and tests.
    public struct Counters: Equatable, Sendable {
        /// Render passes begun.
        public var started = 0
        /// Render passes whose picture was delivered.
        public var delivered = 0
        /// Render passes stopped by cancellation or finished too late to be delivered.
        public var discarded = 0
        /// Submissions replaced before they began.
        public var coalesced = 0
    }

    private struct Job {
        var generation: UInt64
        var session: Session
        var box: PreviewBox
    }

    let renderer: Renderer
    private let sources: SourceLibrary
    /// Background renders (exports) holding back while a preview renders.
    public let priority: RenderPriority
    /// Where pictures and errors are posted.
    public let events: EventQueue
    /// The longer side of the quick pass in pixels.
    public let quickLongerSide: Int
    /// The longer side style images are scaled to.
    public let styleSide: Int

    private let condition = NSCondition()
    private var latest: UInt64 = 0
    private var pending: Job?
    private var running: (generation: UInt64, control: RenderControl)?
    private var stopped = false
    private var counts = Counters()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a pipeline with its worker thread.
    public init(renderer: Renderer, sources: SourceLibrary, events: EventQueue, quickLongerSide: Int = 128,
                styleSide: Int = RenderRecipe.defaultStyleSize, priority: RenderPriority = RenderPriority()) {
        self.renderer = renderer
        self.priority = priority
        self.sources = sources
        self.events = events
        self.quickLongerSide = max(16, quickLongerSide)
        self.styleSide = max(16, styleSide)
        let thread = Thread { [self] in self.workLoop() }
        thread.name = "atelier-preview"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks for a preview of `session` fitted into `box`; returns its generation number at once.
    @discardableResult
    public func submit(_ session: Session, box: PreviewBox = PreviewBox()) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        latest += 1
        if pending != nil { counts.coalesced += 1 }
        pending = Job(generation: latest, session: session, box: box)
        running?.control.cancel()
        condition.broadcast()
        return latest
    }

    /// Cancels whatever is rendering or waiting; nothing more is delivered for earlier submissions.
    public func cancelAll() {
        condition.lock()
        latest += 1
        if pending != nil { counts.coalesced += 1 }
        pending = nil
        running?.control.cancel()
        condition.unlock()
    }

    /// The generation of the newest submission (0 before the first).
    public var latestGeneration: UInt64 { condition.withLock { latest } }

    /// Whether a render is running or waiting.
    public var isBusy: Bool { condition.withLock { running != nil || pending != nil } }

    /// Render counters so far.
    public var counters: Counters { condition.withLock { counts } }

    /// Stops the worker thread after cancelling its render; waits until it has left.
    public func shutdown() {
        condition.lock()
        let first = !stopped
        stopped = true
        pending = nil
        running?.control.cancel()
        condition.broadcast()
        condition.unlock()
        if first { finished.wait() }
    }

    private func workLoop() {
        while let job = nextJob() {
            render(job)
            condition.withLock { running = nil }
        }
        finished.signal()
    }

    private func nextJob() -> (Job, RenderControl)? {
        condition.lock()
        defer { condition.unlock() }
        while pending == nil && !stopped { condition.wait() }
        guard !stopped, let job = pending else { return nil }
        pending = nil
        let control = RenderControl()
        running = (job.generation, control)
        return (job, control)
    }

    private func render(_ work: (Job, RenderControl)) {
        let (job, control) = work
        priority.previewStarted()
        defer { priority.previewEnded() }
        do {
            let fullFit = SourceFit.box(width: job.box.size.width, height: job.box.size.height)
            for pass in try passes(for: job.session, fullFit: fullFit, quick: job.box.quickPasses) {
                guard !control.isCancelled else { break }
                let start = DispatchTime.now().uptimeNanoseconds
                condition.withLock { counts.started += 1 }
                let request = try RenderRequest.make(for: job.session, fit: pass.fit, sources: sources, styleSide: styleSide)
                let image = try renderer.render(request, control: control)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                deliver(.preview(PreviewFrame(generation: job.generation, kind: pass.kind, image: image, seconds: seconds)),
                        generation: job.generation, control: control)
            }
        } catch StylizationError.cancelled {
            condition.withLock { counts.discarded += 1 }
        } catch {
            deliver(.previewFailed(generation: job.generation, message: String(describing: error)),
                    generation: job.generation, control: control)
        }
    }

    /// The quick pass (when `quick`, unless the pane is so small it would cost about as much) and the full pass.
    private func passes(for session: Session, fullFit: SourceFit, quick wanted: Bool) throws -> [(kind: PreviewKind, fit: SourceFit)] {
        guard let path = session.contentPath else { throw RenderSetupError.noContent }
        let full = try sources.image(atPath: path, fit: fullFit).image
        guard wanted else { return [(.full, fullFit)] }
        let quickFit = SourceFit.longerSide(quickLongerSide)
        let quick = quickFit.size(width: full.width, height: full.height)
        guard 2 * quick.width * quick.height <= full.width * full.height else { return [(.full, fullFit)] }
        return [(.quick, quickFit), (.full, fullFit)]
    }

    /// Posts `event` only if its submission is still the newest and was not cancelled.
    private func deliver(_ event: EngineEvent, generation: UInt64, control: RenderControl) {
        condition.lock()
        let current = generation == latest && !control.isCancelled
        if current {
            events.enqueue(event)
            if case .preview = event { counts.delivered += 1 }
        } else {
            counts.discarded += 1
        }
        condition.unlock()
        if current { events.notify(event) }
    }
}

/// Where previews are shown: a display setting kept outside the session and its history.
public struct PreviewBox: Equatable, Sendable {
    /// The pane in pixels; pictures are fitted inside it keeping the photo's aspect.
    public var size: PreviewSize
    /// Whether a quick small pass comes before the full one (false where showing it costs as
    /// much as the full picture: sixel, kitty).
    public var quickPasses: Bool

    /// A box of `size` (each side clamped to 1...4096).
    public init(size: PreviewSize = PreviewSize(width: 512, height: 512), quickPasses: Bool = true) {
        self.size = PreviewSize(width: min(max(size.width, 1), PreviewSize.maximumSide),
                                height: min(max(size.height, 1), PreviewSize.maximumSide))
        self.quickPasses = quickPasses
    }
}
