import Foundation
import Imaging
import Runtime
import Stylization

/// How far a clip render has come.
public struct ClipProgress: Sendable {
    /// Frames written to the encoder.
    public var frames: Int
    /// Frames in the clip (the container's count or an estimate from its duration).
    public var total: Int
    /// Seconds since the first frame was asked for.
    public var seconds: Double
}

/// What a finished clip render wrote.
public struct ClipOutcome: Sendable {
    /// The video written.
    public var output: URL
    /// Frames written.
    public var frames: Int
    /// Frame size.
    public var width: Int
    /// Frame size.
    public var height: Int
    /// The frame rate kept from the clip ("30000/1001").
    public var rate: String
    /// Wall-clock seconds from the first decoded frame to the finished file.
    public var seconds: Double
    /// The recipe written beside the video (`OUT.mp4.json`).
    public var recipe: URL
}

/// Renders a video clip with a recipe's settings (family, blend, alpha, regions, colour mode,
/// size): ffmpeg decodes upright RGB frames on a pipe, each frame is stylized (style
/// statistics computed once per clip through the feature cache) and stabilized over time, and
/// a second ffmpeg encodes H.264 with the clip's audio, frame rate and length. Decoding (with
/// the motion the stabilizer needs), stylizing (two frames at once, each on half the cores:
/// `ClipStatistics` keeps their moving averages in frame order; the clip's last frame on all of
/// them, as nothing runs beside it once the one before is done) and blending + encoding run on
/// their own threads joined by bounded queues, so they overlap. The video goes to a registered temporary beside the output,
/// renamed into place at the end: a failure, Ctrl-C or a signal leaves no partial file.
public struct ClipRender: Sendable {
    /// The settings; `content` is the clip, `output` the video; a region's mask may be a video
    /// of the same length (one mask frame per frame).
    public var recipe: RenderRecipe
    /// 0 (independent frames) to 1, see `TemporalStabilizer`.
    public var stability: Float
    /// The default `stability`, chosen by the flicker measurement in docs/video.md.
    public static let defaultStability: Float = 0.7
    /// Frames stylized at once, each on its share of the cores (nil: two when a frame of at most
    /// 1280x720 renders in one piece on two or more cores, else one; the same bytes either way).
    public var framesInFlight: Int?
    /// Frames waiting between two stages.
    static let queueDepth = 3

    /// A clip render of `recipe`.
    public init(recipe: RenderRecipe, stability: Float = ClipRender.defaultStability) {
        self.recipe = recipe
        self.stability = stability
    }

    /// Whether `path` names a video (by its extension).
    public static func isVideo(_ path: String) -> Bool { VideoProbe.isVideoName(path) }

    /// Fails (before any work) when the output may not be written: not a video name, or it exists.
    public func checkOutput(overwrite: Bool) throws -> String {
        let output = recipe.output
        guard let container = VideoEncoder.containers[(output as NSString).pathExtension.lowercased()] else {
            throw RenderJobError.videoOutputName(path: output)
        }
        if !overwrite, FileManager.default.fileExists(atPath: output) { throw RenderJobError.outputExists(path: output) }
        return container
    }

    /// Renders the clip with `model` and writes its recipe beside it (`OUT.mp4.json`, with
    /// `modelFiles`, the model files' SHA-256, and the video's own SHA-256). `control` cancels
    /// (then `StylizationError.cancelled` is thrown and nothing is left at the output),
    /// `onFrame` follows each frame written. With `verifyInputs` (a replay) the clip, styles,
    /// masks and model files must be the recipe's, as for `RenderJob`.
    public func run(model: any StyleModel, modelFiles: [String: String] = [:], overwrite: Bool, verifyInputs: Bool = false,
                    control: RenderControl, onFrame: @escaping @Sendable (ClipProgress) -> Void) throws -> ClipOutcome {
        let container = try checkOutput(overwrite: overwrite)
        let pair = try OutputPair.prepare(image: URL(fileURLWithPath: recipe.output), overwrite: overwrite)
        var written = try RenderJob.recordingModelAndStyles(recipe, model: model, modelFiles: modelFiles, verify: verifyInputs)
        written.content.sha256 = try RenderJob.hash(recipe.content, verify: verifyInputs)
        written.stability = stability
        let clip = recipe.content.path, shown = PathBytes.shown(clip)
        let probe = try VideoProbe.probe(clip, shown: shown)
        var (width, height) = (probe.width, probe.height)
        if let side = recipe.size { (width, height) = ResampleSize.fitting(width: width, height: height, longerSide: side) }
        (width, height) = (max(2, width - width % 2), max(2, height - height % 2))  // yuv420p needs even sizes
        guard width * height <= recipe.maxPixels else {
            throw VideoError.tooLarge(path: shown, width: width, height: height, limit: recipe.maxPixels)
        }
        // ffmpeg starts decoding now: its start-up (~0.1 s of CPU) overlaps loading the styles and
        // planning the execution instead of delaying the first frame. Killed on any way out.
        let decoder = try VideoDecoder(path: clip, shown: shown, width: width, height: height)
        defer { decoder.cancel() }
        let styles = try written.styles.map { try RenderJob.load($0, longerSide: recipe.styleSize, maxPixels: recipe.maxPixels) }
        let masks = try recipe.regions.map { try ClipMask(path: $0.mask.path, width: width, height: height, maxPixels: recipe.maxPixels) }
        let execution = try recipe.execution ?? RenderJob.execution(for: recipe, content: RGBImage(width: width, height: height),
                                                                    styles: styles, settings: recipe.settings, model: model)
        written.execution = execution
        let output = URL(fileURLWithPath: recipe.output)
        let temporary = TemporaryFiles.url(beside: output, tag: "video")
        TemporaryFiles.register(temporary)
        var pipeline: ClipPipeline?
        defer {
            pipeline?.cancel()
            masks.forEach { $0.cancel() }
            if FileManager.default.fileExists(atPath: temporary.path) { unlink(temporary.systemPath) }
            TemporaryFiles.unregister(temporary)
        }
        let encoder = try VideoEncoder(destination: temporary.path, shown: PathBytes.shown(recipe.output), container: container,
                                       width: width, height: height, rate: probe.rateText, audioSource: clip,
                                       audioCodec: probe.audioCodec)
        let running = ClipPipeline(decoder: decoder, encoder: encoder, masks: masks, expected: probe.frameCountIsExact ? probe.frameCount : nil)
        pipeline = running
        let frameStylizer = ClipFrameStylizer(model: model, recipe: recipe, styles: styles, execution: execution,
                                              stability: stability, identity: "\(clip)@\(width)x\(height)")
        let cores = WorkerPool.shared.threadCount
        let stylizers = max(1, framesInFlight ?? frameStylizer.concurrentFrames(cores: cores, pixels: width * height))
        let pools = stylizers == 1 ? [WorkerPool.shared] : (0..<stylizers).map { _ in WorkerPool(threads: max(1, cores / stylizers)) }
        let lastFrame = probe.frameCountIsExact ? probe.frameCount - 1 : nil
        let start = Date()
        try running.run(control: control, stylizers: stylizers, prepare: { index, frame, maskFrames in
            frameStylizer.prepare(index: index, image: RGBImage(width: width, height: height, rgb8: frame), masks: maskFrames)
        }, stylize: { stylizer, frame in
            // The clip's last frame has no frame beside it once the one before is done: it takes every
            // core (a frame renders the same bytes on any pool; ClipFramesInFlightTests).
            let pool = stylizers > 1 && frame.index == lastFrame ? WorkerPool.shared : pools[stylizer]
            return try frameStylizer.stylize(frame, pool: pool, control: control)
        }, finish: { frame, stylized in
            let image = frameStylizer.stabilize(frame, stylized: stylized)
            onFrame(ClipProgress(frames: frame.index + 1, total: max(probe.frameCount, frame.index + 1),
                                 seconds: Date().timeIntervalSince(start)))
            return image.rgb8Interleaved()
        })
        let seconds = Date().timeIntervalSince(start)
        try pair.commit(staged: temporary) { staged in
            written.outputSHA256 = try SHA256.hex(ofFile: staged)
            return try written.encoded()
        }
        return ClipOutcome(output: output, frames: running.framesWritten, width: width, height: height, rate: probe.rateText,
                           seconds: seconds, recipe: pair.recipe)
    }
}
