import Foundation
import Imaging
import Stylization

/// Stylizes a live feed with the studio's current look: a thread takes the newest frame from
/// the feed (older ones were dropped by it), fits it into the preview box, renders it with the
/// session as it is at that moment (so the controls act on the next frame), and keeps the
/// newest picture for the interface to poll.
public final class LiveStylizer: @unchecked Sendable {
    /// A stylized frame.
    public struct Picture: Sendable {
        /// The frame's number in the source.
        public var index: Int
        /// The stylized frame (the frame itself when no style is on or the render failed).
        public var image: RGBImage
        /// The frame before styling, at the same size.
        public var input: RGBImage
        /// Seconds the render took.
        public var seconds: Double
        /// Why the frame is not stylized, if it is not (one line).
        public var failure: String?
    }

    /// The frames.
    public let feed: LiveFeed
    private let studio: Studio
    private let onPicture: @Sendable () -> Void
    private let lock = NSLock()
    private var newest: Picture?
    private var rendered = 0
    private var stopped = false
    private var control = RenderControl()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts stylizing `feed` with `studio`'s session; `onPicture` is called (from the worker)
    /// after each picture, e.g. to wake the interface's loop.
    public init(feed: LiveFeed, studio: Studio, onPicture: @escaping @Sendable () -> Void = {}) {
        self.feed = feed
        self.studio = studio
        self.onPicture = onPicture
        let thread = Thread { [self] in
            work()
            finished.signal()
        }
        thread.name = "atelier-live"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The newest picture, if any yet.
    public var picture: Picture? { lock.withLock { newest } }

    /// Pictures made so far.
    public var pictureCount: Int { lock.withLock { rendered } }

    /// Stops the feed and the worker (waits for the frame in progress to be abandoned).
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            control.cancel()
            return !stopped
        }
        guard first else { return }
        feed.stop()
        finished.wait()
    }

    private func work() {
        while !lock.withLock({ stopped }) {
            guard let frame = feed.take(timeout: 0.25) else {
                if feed.counts.ended != nil { return }
                continue
            }
            let box = studio.previewBox.size
            let size = SourceFit.box(width: box.width, height: box.height).size(width: frame.image.width, height: frame.image.height)
            let input = size.width == frame.image.width && size.height == frame.image.height
                ? frame.image : frame.image.resized(width: size.width, height: size.height)
            let content = SourceImage(image: input, identity: "live\(frame.index)@\(size.width)x\(size.height)")
            let control = RenderControl()
            guard lock.withLock({ () -> Bool in
                self.control = control
                return !stopped
            }) else { return }
            let start = DispatchTime.now().uptimeNanoseconds
            var picture = Picture(index: frame.index, image: input, input: input, seconds: 0)
            do {
                var request = try RenderRequest.make(for: studio.session, content: content, sources: studio.sources,
                                                     styleSide: studio.preview.styleSide)
                request.keepsContentFeatures = false
                picture.image = try studio.preview.renderer.render(request, control: control)
            } catch StylizationError.cancelled {
                return
            } catch {
                picture.failure = String(describing: error)
            }
            picture.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            lock.withLock {
                newest = picture
                rendered += 1
            }
            onPicture()
        }
    }
}

extension RenderRequest {
    /// The request that renders `session` on `content` (a live frame) instead of its photo.
    static func make(for session: Session, content: SourceImage, sources: SourceLibrary, styleSide: Int) throws -> RenderRequest {
        let blends = try Blends(session)
        let scalesStyles = ModelCatalog.entry(session.family)?.family.options.contains(.styleSize) ?? true
        let styles = try blends.used.map {
            try sources.image(atPath: session.styles[$0].path, fit: scalesStyles ? .longerSide(styleSide) : .original)
        }
        var settings = StylizeSettings(transform: session.transform, quality: session.quality, alpha: session.alpha,
                                       color: session.color, styles: blends.outside, regions: [])
        if let inside = try insideMask(session.mask, width: content.image.width, height: content.image.height, sources: sources) {
            settings.regions = [Region(mask: inside, styles: blends.inside)]
        }
        return RenderRequest(content: content, styles: styles, settings: settings, family: session.family)
    }
}

extension Studio {
    /// Starts exporting `frame` (a live frame saved as a photo) with the current look to `url`,
    /// at the frame's own size, with its recipe (see `ExportJob`). Returns at once.
    @discardableResult
    public func exportFrame(_ frame: String, to url: URL) -> ExportJob {
        var session = self.session
        session.contentPath = frame
        let loader = self.model, family = session.family
        let job = ExportJob.start(session: session, to: url, model: {
            guard let loader else { throw StylizationError.modelUnavailable("no model is configured for exports") }
            return try loader(family)
        }, cache: featureCache, events: events)
        track(job)
        return job
    }
}
