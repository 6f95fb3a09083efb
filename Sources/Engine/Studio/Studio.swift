import Foundation
import Imaging
import Stylization

/// The interactive session behind the workstation: the one object the interface talks to.
///
/// Every method returns at once (no rendering, decoding or model loading on the caller's thread).
/// The interface applies commands with `perform(_:)`, walks history with `undo()` / `redo()`,
/// and polls `pollEvents()` for preview pictures, errors and finished exports. Each change
/// that affects the picture is submitted to the preview pipeline and scheduled for autosave.
public final class Studio: @unchecked Sendable {
    /// Sizes and places; the defaults suit the product.
    public struct Configuration: Sendable {
        /// Bytes of encoder features kept (the status bar shows use against this).
        public var featureCacheBytes: Int
        /// Bytes of decoded and resized images kept.
        public var imageCacheBytes: Int
        /// Longer side of the quick preview pass.
        public var quickLongerSide: Int
        /// Where the session is autosaved; nil turns autosave off.
        public var autosaveURL: URL?
        /// Quiet time before an autosave.
        public var autosaveDelay: TimeInterval
        /// Undo steps kept.
        public var undoLimit: Int

        /// Creates a configuration.
        public init(featureCacheBytes: Int = 512 << 20, imageCacheBytes: Int = 384 << 20, quickLongerSide: Int = 128,
                    autosaveURL: URL? = SessionStore.autosaveURL, autosaveDelay: TimeInterval = 1.0,
                    undoLimit: Int = SessionHistory.defaultLimit) {
            self.featureCacheBytes = featureCacheBytes
            self.imageCacheBytes = imageCacheBytes
            self.quickLongerSide = quickLongerSide
            self.autosaveURL = autosaveURL
            self.autosaveDelay = autosaveDelay
            self.undoLimit = undoLimit
        }
    }

    /// What the status bar shows about memory: the feature cache and the image cache.
    public struct CacheStatus: Equatable, Sendable {
        /// Encoder features (a hit saves an encoder pass).
        public var features: CacheStatistics
        /// Decoded and resized images (a hit saves a file decode or a resize).
        public var images: CacheStatistics
    }

    private let lock = NSLock()
    private var history: SessionHistory
    private var lastSubmitted: (session: Session, box: PreviewBox)?
    private var box: PreviewBox
    private var exportJobs: [ExportJob] = []

    /// Where events arrive; `pollEvents()` drains it.
    public let events: EventQueue
    /// The encoder feature cache (shared by preview and exports).
    public let featureCache: LRUFeatureCache
    /// Photo, painting and mask files, decoded once.
    public let sources: SourceLibrary
    let preview: PreviewPipeline
    private let autosaver: Autosaver?
    let model: FamilyLoader?

    /// A studio rendering with the real stylizer; each model family the session picks is loaded
    /// by `families` on first use, on a worker thread. `onEvent` (optional) is called from worker
    /// threads after each event is queued, e.g. to wake the interface's loop; it must not block.
    public convenience init(session: Session = Session(), previewBox: PreviewBox = PreviewBox(), configuration: Configuration = Configuration(),
                            families: @escaping FamilyLoader, onEvent: (@Sendable (EngineEvent) -> Void)? = nil) {
        let cache = LRUFeatureCache(capacityBytes: configuration.featureCacheBytes)
        let renderer = StylizerRenderer(cache: cache, families: families)
        self.init(session: session, previewBox: previewBox, configuration: configuration, renderer: renderer, featureCache: cache,
                  model: { try renderer.model($0) }, onEvent: onEvent)
    }

    /// A studio rendering with UST-16x only, loaded by `model` on first use.
    public convenience init(session: Session = Session(), previewBox: PreviewBox = PreviewBox(), configuration: Configuration = Configuration(),
                            model: @escaping @Sendable () throws -> LoadedModel,
                            onEvent: (@Sendable (EngineEvent) -> Void)? = nil) {
        let cache = LRUFeatureCache(capacityBytes: configuration.featureCacheBytes)
        let renderer = StylizerRenderer(cache: cache, load: model)
        self.init(session: session, previewBox: previewBox, configuration: configuration, renderer: renderer, featureCache: cache,
                  model: { try renderer.model($0) }, onEvent: onEvent)
    }

    /// A studio with a given renderer (tests use a stand-in); `model` loads families for
    /// exports (nil: exports fail).
    public init(session: Session = Session(), previewBox: PreviewBox = PreviewBox(), configuration: Configuration = Configuration(), renderer: Renderer,
                featureCache: LRUFeatureCache, model: FamilyLoader?,
                backend: ImageBackend = ImagingBackend(), onEvent: (@Sendable (EngineEvent) -> Void)? = nil) {
        history = SessionHistory(session, limit: configuration.undoLimit)
        box = previewBox
        events = EventQueue(onPost: onEvent)
        self.featureCache = featureCache
        self.model = model
        sources = SourceLibrary(backend: backend, capacityBytes: configuration.imageCacheBytes)
        preview = PreviewPipeline(renderer: renderer, sources: sources, events: events,
                                  quickLongerSide: configuration.quickLongerSide)
        autosaver = configuration.autosaveURL.map { Autosaver(url: $0, delay: configuration.autosaveDelay) }
        lock.withLock {
            submitIfNeeded(history.current)
            // A photo opened from the command line is worth resuming before anything changes
            // (else --resume would bring back an older session).
            if history.current.contentPath != nil { autosaver?.schedule(history.current) }
        }
    }

    // MARK: The session

    /// The session as it is now.
    public var session: Session { lock.withLock { history.current } }
    /// Whether `undo()` would do something.
    public var canUndo: Bool { lock.withLock { history.canUndo } }
    /// Whether `redo()` would do something.
    public var canRedo: Bool { lock.withLock { history.canRedo } }

    /// Applies `command`; returns whether the session changed. Throws `SessionCommandError`
    /// (one line for the status bar) when the command cannot apply; the session is then unchanged.
    @discardableResult
    public func perform(_ command: SessionCommand) throws -> Bool {
        try lock.withLock {
            guard try history.apply(command) else { return false }
            changed()
            return true
        }
    }

    /// Goes one step back; returns false when there is nothing to undo.
    @discardableResult
    public func undo() -> Bool {
        lock.withLock {
            guard history.undo() else { return false }
            changed()
            return true
        }
    }

    /// Goes one step forward again; returns false when there is nothing to redo.
    @discardableResult
    public func redo() -> Bool {
        lock.withLock {
            guard history.redo() else { return false }
            changed()
            return true
        }
    }

    /// Replaces the session with the one in the file at `url` (one undoable step).
    /// Throws `SessionFileError` with a one-line message.
    public func open(_ url: URL) throws {
        replace(with: try SessionStore.load(from: url))
    }

    /// Replaces the session with `loaded` (one undoable step): a session file read elsewhere
    /// (the workstation reads files off its interface thread).
    public func replace(with loaded: Session) {
        lock.withLock {
            if history.replace(with: loaded) { changed() }
        }
    }

    /// Where previews are shown (pane size in pixels, quick passes or not).
    public var previewBox: PreviewBox { lock.withLock { box } }

    /// Changes where previews are shown: the picture is rendered again for the new box. Not a
    /// history step (undo never resizes the preview) and not saved with the session.
    public func setPreviewBox(_ newBox: PreviewBox) {
        lock.withLock {
            guard newBox != box else { return }
            box = newBox
            submitIfNeeded(history.current)
        }
    }

    /// Saves the session to `url` (atomically). Throws `SessionFileError` with a one-line message.
    public func save(to url: URL) throws {
        try SessionStore.save(session, to: url)
    }

    /// Renders the preview again even though the session did not change (e.g. after a file was
    /// edited on disk: identities are content hashes, so the new bytes are picked up).
    public func refresh() {
        lock.withLock {
            lastSubmitted = nil
            submitIfNeeded(history.current)
        }
    }

    // MARK: Events and status

    /// Every event since the last poll, oldest first (at most one preview picture: the newest).
    public func pollEvents() -> [EngineEvent] { events.poll() }

    /// The generation of the newest preview submission; pictures carry the generation they answer.
    public var previewGeneration: UInt64 { preview.latestGeneration }

    /// Whether a preview is rendering or waiting.
    public var isRendering: Bool { preview.isBusy }

    /// Cache use and hit counts for the status bar.
    public var cacheStatus: CacheStatus {
        CacheStatus(features: featureCache.statistics, images: sources.statistics)
    }

    /// The last autosave's error (one line), or nil.
    public var autosaveError: String? { autosaver?.lastError }

    // MARK: Export

    /// Starts exporting the current session to `url` at full resolution or `longerSide`; returns
    /// at once. The outcome also arrives as an event. Existing files are kept unless `overwrite`.
    /// `upscaleFactor` (2 or 4) enlarges the photo with Real-ESRGAN x4plus before stylization.
    /// `polish` runs that polish on the export (as the preview's polish did) and records it.
    @discardableResult
    public func export(to url: URL, longerSide: Int? = nil, overwrite: Bool = false, upscaleFactor: Int? = nil,
                       polish: PolishSettings? = nil) -> ExportJob {
        let upscale = upscaleFactor.map { PhotoUpscale(factor: $0, upscaler: UpscalerModel.x4plus.option) }
        let session = self.session
        let loader = self.model
        let model: @Sendable () throws -> LoadedModel = {
            guard let loader else { throw StylizationError.modelUnavailable("no model is configured for exports") }
            return try loader(session.family)
        }
        let polishModel: @Sendable () throws -> LoadedModel = {
            guard let loader else { throw StylizationError.modelUnavailable("no model is configured for exports") }
            return try loader(UST16xModel.family.id)
        }
        let job = ExportJob.start(session: session, to: url, longerSide: longerSide, overwrite: overwrite, upscale: upscale,
                                  model: model, cache: featureCache, events: events, priority: preview.priority,
                                  polish: polish, polishModel: polishModel)
        lock.withLock {
            exportJobs.removeAll { $0.state != .running }
            exportJobs.append(job)
        }
        return job
    }

    /// Keeps `job` among the exports `shutdown()` cancels.
    func track(_ job: ExportJob) {
        lock.withLock {
            exportJobs.removeAll { $0.state != .running }
            exportJobs.append(job)
        }
    }

    /// Exports still running.
    public var runningExports: [ExportJob] {
        lock.withLock { exportJobs.filter { $0.state == .running } }
    }

    // MARK: Ending

    /// Writes the autosave now, cancels the preview and running exports, and stops the worker.
    /// Call before quitting; the studio must not be used afterwards.
    public func shutdown() {
        autosaver?.flush()
        let running = runningExports
        for job in running { job.cancel() }
        // A cancelled export removes what it wrote (the mask) on its own thread: let it.
        for job in running { _ = job.wait() }
        preview.shutdown()
    }

    // MARK: Private

    /// After the history moved: autosave, and preview if the picture is affected. Holds `lock`.
    private func changed() {
        autosaver?.schedule(history.current)
        submitIfNeeded(history.current)
    }

    /// Submits `session` unless it would render the same picture as the last submission. Holds `lock`.
    private func submitIfNeeded(_ session: Session) {
        if let last = lastSubmitted, last.session == session, last.box == box { return }
        lastSubmitted = (session, box)
        if session.contentPath == nil {
            preview.cancelAll()
        } else {
            preview.submit(session, box: box)
        }
    }
}
