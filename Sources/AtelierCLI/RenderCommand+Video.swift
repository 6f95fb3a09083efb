import ArgumentParser
import Engine
import Foundation
import Imaging
import Stylization

/// `atelier render CLIP.mp4 -o OUT.mp4 ...`: a video with the photo options (family, blends,
/// alpha, regions with image or video masks, colour mode, size), see `ClipRender`.
extension RenderCommand {
    /// Usage errors for the options a video cannot take.
    func validateVideo() throws {
        if recipe != nil, stability != nil {
            throw ValidationError("--recipe replays the recipe's own stability; do not give --stability with it")
        }
        if let stability, !(stability.isFinite && (0...1).contains(stability)) {
            throw ValidationError("--stability must be between 0 and 1 (got \(stability))")
        }
        let isVideo = photo.map(ClipRender.isVideo) ?? false
        if stability != nil, !isVideo, photo.flatMap(PhotoFolder.init(path:)) == nil {
            throw ValidationError("--stability is for videos (a photo has no previous frame)")
        }
        guard isVideo else { return }
        if polish != 0 { throw ValidationError("--polish is for photos; a video renders feed-forward only") }
        if upscalePhoto != nil { throw ValidationError("--upscale-photo is for photos, not videos") }
        if output == RenderRecipe.standardStream { throw ValidationError("a video cannot go to standard output: give -o OUT.mp4") }
    }

    /// Renders the clip in `photo` to `output`, or replays `replaying`, a video's recipe
    /// (`--recipe OUT.mp4.json`: the clip, styles, masks and model files must be the recorded ones).
    func runClip(replaying: RenderRecipe? = nil) throws {
        let runner = RenderRunner(home: home)
        let clip = try replaying.map { ClipRender(recipe: $0, stability: $0.stability ?? ClipRender.defaultStability) }
            ?? clipRender(photo: photo!, output: output!)
        let input = clip.recipe.content.path
        let outcome = try runner.renderClip(clip, overwrite: force, verifyInputs: replaying != nil,
                                            label: PathBytes.shown(URL(fileURLWithPath: input).lastPathComponent))
        json ? JSONLines.print(RenderResult(outcome, input: input)) : report(outcome)
    }

    /// The clip render of `photo` into `output` with this command's settings.
    func clipRender(photo: String, output: String) throws -> ClipRender {
        let made = try makeRecipe(photo: photo, output: output)
        return ClipRender(recipe: made, stability: stability ?? ClipRender.defaultStability)
    }

    /// The line `render` prints for a finished video.
    func report(_ outcome: ClipOutcome) {
        let rate = Double(outcome.frames) / max(outcome.seconds, 1e-9)
        print(PathBytes.shown("wrote \(outcome.output.path) and \(outcome.recipe.lastPathComponent) (\(outcome.frames) frames, "
                              + "\(outcome.width)x\(outcome.height) at \(outcome.rate) fps, "
                              + String(format: "%.2f s, %.1f frames/s)", outcome.seconds, rate)))
    }
}

extension RenderRunner {
    /// Renders a clip (a progress line with frames/s and ETA on a terminal); Ctrl-C makes it
    /// throw `CLIFailure.interrupted` with nothing written.
    func renderClip(_ clip: ClipRender, overwrite: Bool, verifyInputs: Bool = false, label: String) throws -> ClipOutcome {
        let loaded = try model(family: clip.recipe.family)
        let bar = ProgressBar(label: label)
        let control = RenderControl()
        lock.withLock { current = control }
        defer { lock.withLock { current = nil } }
        if interrupted { throw CLIFailure.interrupted }
        do {
            let outcome = try clip.run(model: loaded.model, modelFiles: loaded.fileDigests, overwrite: overwrite,
                                       verifyInputs: verifyInputs, control: control, onFrame: bar.update(clip:))
            bar.finish()
            return outcome
        } catch {
            bar.finish()
            if interrupted { throw CLIFailure.interrupted }
            throw error
        }
    }
}

extension RenderResult {
    /// The result of a finished clip render of `input`.
    init(_ outcome: ClipOutcome, input: String) {
        self.init(status: .rendered, input: input, output: outcome.output.path, width: outcome.width, height: outcome.height,
                  seconds: (outcome.seconds * 1000).rounded() / 1000, frames: outcome.frames)
    }
}
