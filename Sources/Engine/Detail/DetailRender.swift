import Foundation
import Imaging
import Stylization

/// Renders a `DetailRequest` in the background through the export's own path (`ExportJob`:
/// the same recipe, tiling within the memory budget, mask file, upscaling and PNG encoding) into
/// a private temporary folder, then reads the PNG back: the pixels are the export's pixels, byte
/// for byte. Whole-image statistics (WCT, AdaIN, instance norm) make a render of a crop differ
/// from the same region of the whole render, so the whole picture is rendered once and the 1:1
/// view takes windows from it.
public final class DetailRender: @unchecked Sendable {
    /// Where the render stands.
    public enum State: Sendable {
        /// Rendering (the export's progress) or reading the result back.
        case rendering
        /// The picture, as the export would write it.
        case ready(DetailImage)
        /// It could not be made; one line for the status bar.
        case failed(String)
        /// Cancelled (the settings changed).
        case cancelled
    }

    /// What is rendered.
    public let request: DetailRequest
    private let lock = NSLock()
    private var current: State = .rendering
    private var job: ExportJob?
    private var cancelRequested = false

    private init(request: DetailRequest) {
        self.request = request
    }

    /// The current state.
    public var state: State { lock.withLock { current } }

    /// Whether it is still rendering.
    public var isRendering: Bool {
        if case .rendering = state { return true }
        return false
    }

    /// Progress in [0, 1] (the export's; reading the PNG back is the last percent).
    public var progress: Double {
        lock.withLock {
            if case .ready = current { return 1 }
            return job?.progress ?? 0
        }
    }

    /// Stops the render at its next layer boundary; the state becomes `.cancelled`.
    public func cancel() {
        let running = lock.withLock { () -> ExportJob? in
            cancelRequested = true
            return job
        }
        running?.cancel()
    }

    /// Blocks until the render is ready, failed or cancelled (for tests).
    @discardableResult
    public func wait() -> State {
        while true {
            let now = state
            if case .rendering = now { Thread.sleep(forTimeInterval: 0.02) } else { return now }
        }
    }

    /// Starts rendering `request` and returns at once. `model` loads the session's family,
    /// `cache` is the feature cache shared with the preview, `priority` (if given) lets previews
    /// go first, as it does for exports.
    public static func start(_ request: DetailRequest, model: @escaping @Sendable () throws -> LoadedModel,
                             cache: FeatureCache? = nil, priority: RenderPriority? = nil,
                             upscalerHome: URL = ModelStore.defaultHome) -> DetailRender {
        let render = DetailRender(request: request)
        let thread = Thread {
            render.run(model: model, cache: cache, priority: priority, upscalerHome: upscalerHome)
        }
        thread.name = "atelier-detail"
        thread.stackSize = 8 << 20
        thread.start()
        return render
    }

    private func run(model: @escaping @Sendable () throws -> LoadedModel, cache: FeatureCache?, priority: RenderPriority?,
                     upscalerHome: URL) {
        // Named like every temporary of ours: a folder left by a killed workstation is swept by
        // the next 1:1 render (or sheet) on this machine.
        let temporary = FileManager.default.temporaryDirectory
        TemporaryFiles.sweep(temporary)
        let folder = TemporaryFiles.url(beside: temporary.appendingPathComponent("atelier-detail"),
                                        tag: "detail\(UInt32.random(in: 0...UInt32.max))")
        let output = folder.appendingPathComponent("detail.png")
        let leftovers = [output, RenderRecipe.recipeURL(forOutput: output), folder.appendingPathComponent("detail.png.mask.png")]
        defer {
            for file in leftovers {
                try? FileManager.default.removeItem(at: file)
                TemporaryFiles.unregister(file)
            }
            try? FileManager.default.removeItem(at: folder)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // A kill while the files exist removes them (the staging files register themselves).
            for file in leftovers { TemporaryFiles.register(file) }
            let upscale = request.upscaleFactor.map { PhotoUpscale(factor: $0, upscaler: UpscalerModel.x4plus.option) }
            let started = ExportJob.start(session: request.session, to: output, longerSide: request.longerSide, overwrite: true,
                                          upscale: upscale, upscalerHome: upscalerHome, model: model, cache: cache,
                                          priority: priority)
            let cancelledEarly = lock.withLock { () -> Bool in
                job = started
                return cancelRequested
            }
            if cancelledEarly { started.cancel() }
            let outcome = started.wait()
            // Cancelled means cancelled, even when the render ended another way meanwhile.
            if lock.withLock({ cancelRequested }) { return finish(.cancelled) }
            switch outcome {
            case .finished:
                let read = try ImageFile.readRGB8(output)
                let detail = DetailImage(width: read.width, height: read.height, bytes: read.bytes)
                finish(lock.withLock { cancelRequested } ? .cancelled : .ready(detail))
            case .failed(let message): finish(.failed(message))
            case .cancelled, .running: finish(.cancelled)
            }
        } catch {
            finish(lock.withLock { cancelRequested } ? .cancelled : .failed("\(error)"))
        }
    }

    private func finish(_ state: State) {
        lock.withLock { current = state }
    }
}
