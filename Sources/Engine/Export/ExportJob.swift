import Foundation
import Imaging
import Stylization

/// Renders a session at full resolution (or a requested longer side) in the background and
/// writes the PNG with its render recipe beside it (`<out>.png.json`), through `RenderJob`, so
/// `atelier render --recipe` reproduces the file. With a mask, the inside mask is written too
/// (`<out>.png.mask.png`, at the output's size) and the recipe refers to it.
///
/// Never replaces an existing file unless started with `overwrite: true`. Runs beside the
/// preview; both share the model and the feature cache.
public final class ExportJob: @unchecked Sendable {
    /// Where the job stands.
    public enum State: Equatable, Sendable {
        /// Loading, rendering or writing.
        case running
        /// The files are in place.
        case finished(ExportResult)
        /// Nothing was written; the message is one line for the status bar.
        case failed(String)
        /// Cancelled; nothing was written.
        case cancelled
    }

    /// The PNG to write.
    public let destination: URL
    /// The inside-mask file written for a masked session.
    public var maskURL: URL { destination.deletingLastPathComponent().appendingPathComponent(destination.lastPathComponent + ".mask.png") }

    private let condition = NSCondition()
    private var current: State = .running
    private var fraction: Double = 0
    var control: RenderControl!

    init(destination: URL) {
        self.destination = destination
    }

    /// Starts exporting `session` to `destination` and returns at once.
    ///
    /// - Parameters:
    ///   - longerSide: the photo's longer side in the output; nil keeps the photo's own size.
    ///   - overwrite: whether existing files at the destination may be replaced.
    ///   - upscale: the photo's enlargement before stylization, with the upscalers installed
    ///     under `upscalerHome`; nil for none.
    ///   - model: supplies the model (called on the export's thread).
    ///   - cache: the feature cache shared with the preview, or nil.
    ///   - events: if given, receives `exportFinished`, `exportFailed` or `exportCancelled`.
    ///   - priority: if given, the export pauses at layer boundaries while a preview renders.
    ///   - polish: the polish to run on the render (recorded in the recipe), with `polishModel`
    ///     supplying UST-16x (its se5 encoder); nil for none.
    public static func start(session: Session, to destination: URL, longerSide: Int? = nil, overwrite: Bool = false,
                             upscale: PhotoUpscale? = nil, upscalerHome: URL = ModelStore.defaultHome, model: @escaping @Sendable () throws -> LoadedModel, cache: FeatureCache? = nil,
                             events: EventQueue? = nil, priority: RenderPriority? = nil,
                             polish: PolishSettings? = nil, polishModel: (@Sendable () throws -> LoadedModel)? = nil) -> ExportJob {
        let job = ExportJob(destination: destination.standardizedFileURL)
        job.control = RenderControl(onProgress: { [weak job] value in
            guard let job else { return }
            job.setProgress(value)
            priority?.yieldToPreviews(control: job.control)
        })
        let thread = Thread {
            job.run(session: session, longerSide: longerSide, overwrite: overwrite, upscale: upscale,
                    upscalerHome: upscalerHome, model: model,
                    cache: cache, events: events, polish: polish, polishModel: polishModel)
        }
        thread.name = "atelier-export"
        thread.stackSize = 8 << 20
        thread.start()
        return job
    }

    /// Progress in [0, 1].
    public var progress: Double { condition.withLock { fraction } }

    /// The current state.
    public var state: State { condition.withLock { current } }

    /// Asks the render to stop at its next layer boundary; nothing is written afterwards.
    public func cancel() { control.cancel() }

    /// Blocks until the job has finished, failed or been cancelled (for the command line and tests).
    @discardableResult
    public func wait() -> State {
        condition.wait { current == .running }
        return state
    }

    func setProgress(_ value: Double) {
        condition.withLock { fraction = max(fraction, min(value, 0.999)) }
    }

    /// Posts the job's event, then publishes its final state: whoever sees the state through
    /// `wait()` or `state` finds the event already queued.
    func finish(_ state: State, events: EventQueue?) {
        switch state {
        case .running: break
        case .finished(let result): events?.post(.exportFinished(result))
        case .failed(let message): events?.post(.exportFailed(destination: destination.path, message: message))
        case .cancelled: events?.post(.exportCancelled(destination: destination.path))
        }
        condition.lock()
        current = state
        if case .finished = state { fraction = 1 }
        condition.broadcast()
        condition.unlock()
    }

    private func run(session: Session, longerSide: Int?, overwrite: Bool, upscale: PhotoUpscale?, upscalerHome: URL,
                     model: () throws -> LoadedModel,
                     cache: FeatureCache?, events: EventQueue?, polish: PolishSettings?, polishModel: (() throws -> LoadedModel)?) {
        let start = Date()
        var wroteMask = false
        do {
            if let longerSide, longerSide < 16 {
                throw ExportError.tooSmall(longerSide)
            }
            let masked = session.mask.hasRegions
            var recipe = try RenderRecipe(session: session, output: destination, longerSide: longerSide,
                                          maskFile: masked ? maskURL : nil)
            recipe.upscale = upscale
            recipe.polish = polish
            let job = RenderJob(recipe: recipe)
            try job.checkOutput(overwrite: overwrite)
            if masked && !overwrite && FileManager.default.fileExists(atPath: maskURL.path) {
                throw RenderJobError.outputExists(path: maskURL.path)
            }
            try control.checkCancelled()
            if masked {
                // Half-made until the picture is in place: a kill (SIGTERM, SIGHUP, Ctrl-C) removes it.
                TemporaryFiles.register(maskURL)
                try writeMask(session: session, recipe: recipe)
                wroteMask = true
            }
            let loaded = try model()
            var modelFiles = loaded.fileDigests
            var upscaler: UpscalerNetwork?
            if let upscale {
                let store = UpscalerStore(home: upscalerHome)
                let chosen = UpscalerModel.named(upscale.upscaler) ?? .x4plus
                upscaler = try store.load(chosen)
                modelFiles.merge(store.digests(chosen)) { a, _ in a }
            }
            var encoder: UST16xModel?
            if let polish, polish.steps > 0 {
                encoder = loaded.model as? UST16xModel
                if encoder == nil, let polishModel {
                    // The polish optimises through se5 whatever family rendered: record its file.
                    let ust = try polishModel()
                    encoder = ust.model as? UST16xModel
                    modelFiles.merge(ust.fileDigests.filter { $0.key == Polisher.encoderFile }) { a, _ in a }
                }
            }
            let outcome = try job.run(model: loaded.model, modelFiles: modelFiles, overwrite: overwrite,
                                      cache: cache, control: control, upscaler: upscaler, polishModel: encoder)
            if masked { TemporaryFiles.unregister(maskURL) }
            finish(.finished(ExportResult(imageURL: outcome.output, recipeURL: outcome.recipe, width: outcome.width,
                                          height: outcome.height, seconds: Date().timeIntervalSince(start))),
                   events: events)
        } catch {
            finish(failing: error, wroteMask: wroteMask, events: events)
        }
    }

    /// Ends a failed or cancelled export: the mask written for it goes, the state says why.
    func finish(failing error: Error, wroteMask: Bool, events: EventQueue?) {
        if wroteMask { try? FileManager.default.removeItem(at: maskURL) }
        TemporaryFiles.unregister(maskURL)
        if case StylizationError.cancelled = error {
            finish(.cancelled, events: events)
        } else {
            finish(.failed(String(describing: error)), events: events)
        }
    }

    /// Writes the inside mask at the size the photo will have in the output.
    func writeMask(session: Session, recipe: RenderRecipe) throws {
        let photo = try ImageFile.read(URL(fileURLWithPath: recipe.content.path), maxPixels: recipe.maxPixels)
        let size = SourceFit(recipe.size).size(width: photo.width, height: photo.height)
        let mask: GrayImage
        switch session.mask {
        case .none:
            return
        case .preset(let preset):
            guard let rendered = preset.render(width: size.width, height: size.height) else { return }
            mask = rendered
        case .image(let path):
            let read = try ImageFile.readMask(URL(fileURLWithPath: path), maxPixels: recipe.maxPixels)
            mask = read.width == size.width && read.height == size.height ? read : read.resized(width: size.width, height: size.height)
        }
        let n = mask.pixels.count
        var planes = [Float](repeating: 0, count: 3 * n)
        for c in 0..<3 { planes.withUnsafeMutableBufferPointer { p in for i in 0..<n { p[c * n + i] = mask.pixels[i] } } }
        try ImageFile.writePNG(RGBImage(width: mask.width, height: mask.height, pixels: planes), to: maskURL)
    }
}

extension SourceFit {
    /// `.longerSide(side)`, or `.original` for nil.
    init(_ longerSide: Int?) {
        self = longerSide.map { .longerSide($0) } ?? .original
    }
}

/// Why an export cannot start; one line for the status bar.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    /// The requested size is too small to render.
    case tooSmall(Int)

    public var description: String {
        switch self {
        case .tooSmall(let side): return "export size \(side) px is too small: choose at least 16 px"
        }
    }
}
