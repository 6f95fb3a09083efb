import Engine
import Foundation
import Stylization

/// The polish key: Gatys-style L-BFGS steps on the current preview picture, in the background
/// (docs/polish.md). The status bar shows the step and the loss; the picture is repainted every
/// few steps; any change of the settings cancels it (the picture it works on is then stale);
/// an export of the same session applies the same polish at the export's size and records it.
extension Workstation {
    /// Steps one press of the polish key runs.
    static let polishSteps = 100
    /// Steps between repaints of the preview during a polish.
    static let polishRepaintEvery = 5

    /// Starts polishing the current full preview picture (or says why not).
    func startPolish() {
        guard let frame = preview.latestFull, frame.generation == studio.previewGeneration, !studio.isRendering else {
            say("polish: wait for the full preview first", .warning)
            return
        }
        polishJob?.cancel()
        polishJob = studio.polishPreview(frame.image, steps: Self.polishSteps, repaintEvery: Self.polishRepaintEvery)
        polishGeneration = frame.generation
        polishStarted = Date()
        say("polishing: step 0/\(Self.polishSteps)")
    }

    /// The polish the export of the current session applies: the one run (or running) on it.
    var exportPolish: PolishSettings? {
        guard let job = polishJob, job.session == session else { return nil }
        switch job.state {
        case .running, .finished: return job.settings
        case .failed, .cancelled: return nil
        }
    }

    /// Takes the polish's progress: the picture into the preview, step and loss into the status
    /// bar; cancels it once the settings changed. Returns whether anything on screen changes.
    func pollPolish() -> Bool {
        guard let job = polishJob, let generation = polishGeneration else { return false }
        if job.state == .running && (studio.previewGeneration != generation || job.session != session) {
            job.cancel()
            polishJob = nil
            polishGeneration = nil
            say("polish cancelled: the settings changed", .warning)
            return true
        }
        var changed = false
        if let progress = job.take() {
            if let image = progress.image {
                let seconds = Date().timeIntervalSince(polishStarted ?? Date())
                preview.receive(PreviewFrame(generation: generation, kind: .full, image: image, seconds: seconds))
            }
            if job.state == .running {
                say("polishing: step \(progress.step)/\(progress.steps) · loss \(String(format: "%.4f", progress.loss))")
            } else {
                lastPolishLoss = progress.loss
            }
            changed = true
        }
        switch job.state {
        case .running:
            break
        case .finished(let taken):
            if polishGeneration != nil {
                let loss = lastPolishLoss.map { String(format: " · loss %.4f", $0) } ?? ""
                say("polished: \(taken) steps\(loss); e exports with the polish", .success)
                polishGeneration = nil   // finished: kept for the export, no longer polled
                changed = true
            }
        case .failed(let text):
            say("polish failed: \(Self.shortened(text, folders: sessionFolders))", .error)
            polishJob = nil
            polishGeneration = nil
            changed = true
        case .cancelled:
            polishJob = nil
            polishGeneration = nil
        }
        return changed
    }
}
