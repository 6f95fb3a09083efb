import Engine
import Foundation
import Terminal

extension Workstation {
    // MARK: Export

    /// e: asks for the export's size.
    func beginExport() {
        if live != nil { return exportLiveFrame() }
        guard let content = session.contentPath else {
            say("open a photo first (Photos pane, Enter)", .warning)
            return
        }
        guard session.activeBlend.isEmpty == false else {
            say("turn on a style first (1-9)", .warning)
            return
        }
        if let job = exportJob, job.state == .running {
            say("an export is running (\(percent(job.progress))): press \(keyMap.label(for: .cancelExport)) to cancel it", .warning)
            return
        }
        if let (clip, _) = clipFrame {
            prompt = Prompt(.exportSize, question: "Export the whole clip \((clip.path as NSString).lastPathComponent) (\(clip.probe.frameCount) frames): longer side in px (Enter = full resolution):")
            return
        }
        let name = (content as NSString).lastPathComponent
        prompt = Prompt(.exportSize, question: "Export \(name): longer side in px (Enter = full resolution; 2x, 4x = photo enlarged by Real-ESRGAN):")
    }

    /// The default export file for the current photo: `<launch folder>/<photo name>-atelier.png`.
    func exportDestination(numbered n: Int = 1) -> URL {
        if let (clip, _) = clipFrame { return clipExportDestination(clip, numbered: n) }
        let stem = ((session.contentPath ?? "atelier") as NSString).lastPathComponent
        let base = (stem as NSString).deletingPathExtension + "-atelier" + (n > 1 ? "-\(n)" : "")
        return launchFolder.appendingPathComponent(base + ".png")
    }

    /// Whether writing an export to `url` would replace a file (the PNG, its recipe or its mask).
    static func exportWouldReplace(_ url: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: url.path) || fm.fileExists(atPath: RenderRecipe.recipeURL(forOutput: url).path)
            || fm.fileExists(atPath: url.path + ".mask.png")
    }

    private func exportSizeAnswered(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var longerSide: Int?
        let upscale = ["2x": 2, "4x": 4][trimmed]
        if !(trimmed.isEmpty || trimmed == "full" || trimmed == "f" || upscale != nil) {
            guard let side = Int(trimmed.hasSuffix("px") ? String(trimmed.dropLast(2)) : trimmed), side >= 16, side <= 16384 else {
                // The prompt takes the message line, so the error goes into its question.
                prompt = Prompt(.exportSize, question: "'\(text)' is not a size: type 16 to 16384 px, 2x or 4x, or Enter for full resolution:")
                return
            }
            longerSide = side
        }
        if upscale != nil, clipFrame != nil {
            prompt = Prompt(.exportSize, question: "a video is not enlarged: type 16 to 16384 px, or Enter for full resolution:")
            return
        }
        let destination = exportDestination()
        if Self.exportWouldReplace(destination) {
            var n = 2
            while Self.exportWouldReplace(exportDestination(numbered: n)) { n += 1 }
            prompt = Prompt(.confirmOverwrite(destination: destination, longerSide: longerSide, upscale: upscale),
                            question: "\(destination.lastPathComponent) exists: overwrite? y/n (n: \(exportDestination(numbered: n).lastPathComponent))")
            return
        }
        startExport(to: destination, longerSide: longerSide, overwrite: false, upscale: upscale)
    }

    private func startExport(to destination: URL, longerSide: Int?, overwrite: Bool, upscale: Int? = nil) {
        trace?.note("export started")
        if let (clip, index) = clipFrame {
            exportJob = studio.exportClip(clip.path, frame: clip.frameURL(index).path, to: destination, longerSide: longerSide,
                                          overwrite: overwrite)
        } else {
            exportJob = studio.export(to: destination, longerSide: longerSide, overwrite: overwrite,
                                      upscaleFactor: upscale, polish: exportPolish)
        }
        settled = session
        detail.exportSize = (longerSide, upscale)
        say("exporting \(destination.lastPathComponent) at \(upscale.map { "\($0)x (Real-ESRGAN)" } ?? longerSide.map { "\($0) px" } ?? "full resolution") "
            + "(\(keyMap.label(for: .cancelExport)) cancels)")
    }

    /// x: cancels the running export.
    func cancelExport() {
        guard let job = exportJob, job.state == .running else {
            say("no export is running")
            return
        }
        job.cancel()
        say("cancelling the export…", .warning)
    }

    func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded(.down)))%" }

    // MARK: Saving

    /// s: asks where to save the session.
    func beginSave() {
        let suggested = sessionFile ?? launchFolder.appendingPathComponent(
            (((session.contentPath ?? "session") as NSString).lastPathComponent as NSString).deletingPathExtension + ".atelier.json")
        prompt = Prompt(.sessionPath, question: "Save session to:", text: suggested.path)
    }

    private func sessionPathAnswered(_ text: String) {
        let path = (text.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
        guard !path.isEmpty else {
            say("no path given: nothing saved", .warning)
            return
        }
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : launchFolder.appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: url.path) && url.standardizedFileURL != sessionFile?.standardizedFileURL {
            prompt = Prompt(.confirmSessionOverwrite(url), question: "\(url.lastPathComponent) exists: replace it? y/n")
            return
        }
        save(to: url)
    }

    private func save(to url: URL) {
        do {
            try studio.save(to: url)
            sessionFile = url.standardizedFileURL
            settled = session
            say("saved session \(url.path)", .success)
        } catch {
            say("\(error)", .error)
        }
    }

    // MARK: Quitting

    /// q: quits, asking first while an export runs or when the look was never exported or saved.
    func requestQuit() {
        if let job = exportJob, job.state == .running {
            prompt = Prompt(.confirmQuit, question: "Export running (\(percent(job.progress))): cancel it and quit? y/n")
        } else if hasUnexportedChanges {
            prompt = Prompt(.confirmQuit, question: "Not exported or saved (autosaved for --resume). Quit? y/n")
        } else {
            quitRequested = true
        }
    }

    /// Ctrl-C: quits with status 130, first asking what `q` asks (an export running, a look not
    /// exported or saved); Ctrl-C again while that question shows quits at once.
    func interrupt() {
        let asking = prompt?.purpose == .confirmQuit
        prompt = nil
        if !asking {
            requestQuit()
            if var question = prompt {
                question.question = question.question.replacingOccurrences(of: " y/n", with: " y/n · Ctrl-C: y")
                prompt = question
                return
            }
        }
        exportJob?.cancel()
        exitStatus = 130
        quitRequested = true
    }

    // MARK: Prompt keys

    func handlePrompt(_ key: KeyEvent) {
        guard var current = prompt else { return }
        let outcome = current.handle(key)
        prompt = current
        switch outcome {
        case .editing:
            return
        case .cancelled:
            prompt = nil
            say("cancelled")
        case .answered(let answer):
            prompt = nil
            answered(current.purpose, answer)
        }
    }

    private func answered(_ purpose: Prompt.Purpose, _ answer: String) {
        switch purpose {
        case .exportSize:
            exportSizeAnswered(answer)
        case .confirmOverwrite(let destination, let longerSide, let upscale):
            if answer == "y" {
                startExport(to: destination, longerSide: longerSide, overwrite: true, upscale: upscale)
            } else {
                var n = 2
                while Self.exportWouldReplace(exportDestination(numbered: n)) { n += 1 }
                startExport(to: exportDestination(numbered: n), longerSide: longerSide, overwrite: false, upscale: upscale)
            }
        case .sessionPath:
            sessionPathAnswered(answer)
        case .confirmSessionOverwrite(let url):
            if answer == "y" { save(to: url) } else { say("not saved", .warning) }
        case .maskPath:
            let trimmed = answer.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty {
                setMaskImage(trimmed)
            } else if let last = lastMaskImage {
                setMaskImage(last)
            } else {
                say("no mask image given", .warning)
            }
        case .confirmQuit:
            if answer == "y" {
                exportJob?.cancel()
                quitRequested = true
            } else {
                say("not quitting")
            }
        }
    }
}
