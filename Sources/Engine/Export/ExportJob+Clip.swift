import Foundation
import Imaging
import Stylization

extension ExportJob {
    /// Starts rendering the whole of `clip` with `session`'s look to `destination` (a video,
    /// see `ClipRender`) and returns at once; progress is frames written over the clip's frames.
    /// The recipe goes beside it (`<out>.mp4.json`, content: the clip), and with a mask the
    /// mask at the frames' size (`<out>.mp4.mask.png`). `frame` is a frame of the clip at its
    /// own size (the session's content while the clip is open), used to size that mask.
    public static func startClip(session: Session, clip: String, frame: String, to destination: URL, longerSide: Int?,
                                 overwrite: Bool, model: @escaping @Sendable () throws -> LoadedModel,
                                 events: EventQueue?, stability: Float = ClipRender.defaultStability) -> ExportJob {
        let job = ExportJob(destination: destination.standardizedFileURL)
        job.control = RenderControl()
        let thread = Thread {
            job.runClip(session: session, clip: clip, frame: frame, longerSide: longerSide, overwrite: overwrite,
                        model: model, events: events, stability: stability)
        }
        thread.name = "atelier-export-clip"
        thread.stackSize = 8 << 20
        thread.start()
        return job
    }

    private func runClip(session: Session, clip: String, frame: String, longerSide: Int?, overwrite: Bool,
                         model: () throws -> LoadedModel, events: EventQueue?, stability: Float) {
        let start = Date()
        let recipeURL = RenderRecipe.recipeURL(forOutput: destination)
        var wroteMask = false
        do {
            if let longerSide, longerSide < 16 { throw ExportError.tooSmall(longerSide) }
            let masked = session.mask.hasRegions
            var onFrame = session
            onFrame.contentPath = frame
            var recipe = try RenderRecipe(session: onFrame, output: destination, longerSide: longerSide,
                                          maskFile: masked ? maskURL : nil)
            if !overwrite {
                for url in [recipeURL] + (masked ? [maskURL] : []) where FileManager.default.fileExists(atPath: url.path) {
                    throw RenderJobError.outputExists(path: url.path)
                }
            }
            if masked {
                TemporaryFiles.register(maskURL)
                try writeMask(session: onFrame, recipe: recipe)
                wroteMask = true
            }
            recipe.content = RenderRecipe.InputFile(path: URL(fileURLWithPath: clip).standardizedFileURL.path)
            let render = ClipRender(recipe: recipe, stability: stability)
            _ = try render.checkOutput(overwrite: overwrite)
            try control.checkCancelled()
            let loaded = try model()
            // ClipRender writes the recipe beside the video (both or neither).
            let outcome = try render.run(model: loaded.model, modelFiles: loaded.fileDigests, overwrite: overwrite,
                                         control: control) { [weak self] progress in
                self?.setProgress(Double(progress.frames) / Double(max(progress.total, 1)))
            }
            if masked { TemporaryFiles.unregister(maskURL) }
            finish(.finished(ExportResult(imageURL: outcome.output, recipeURL: outcome.recipe, width: outcome.width,
                                          height: outcome.height, seconds: Date().timeIntervalSince(start))), events: events)
        } catch {
            finish(failing: error, wroteMask: wroteMask, events: events)
        }
    }
}
