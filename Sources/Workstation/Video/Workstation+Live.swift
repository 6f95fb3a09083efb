import Engine
import Foundation
import Imaging

/// `atelier live`: the preview shows a live source stylized with the current look, the newest
/// frame each time (frames that arrive while one renders are dropped, never queued); the
/// controls act on the next frame; `e` saves the current frame's input and exports it as a photo.
extension Workstation {
    /// Starts showing `source` (probed as `probe`); `wake` wakes the interface's loop.
    public func startLive(_ source: LiveSource, probe: VideoProbe, wake: @escaping @Sendable () -> Void) throws {
        let feed = try LiveFeed(source: source, probe: probe)
        live = LiveView(source: source, stylizer: LiveStylizer(feed: feed, studio: studio, onPicture: wake))
        say("live: \(PathBytes.shown(source.location)) \(probe.width)x\(probe.height) · e saves the frame · press ? for keys")
    }

    /// Stops the live source (call when quitting).
    public func stopLive() { live?.stylizer.stop() }

    /// Takes a new live picture when one came; returns whether the screen changes.
    func pollLive() -> Bool {
        guard let live, let picture = live.stylizer.picture, picture.index != live.shownIndex else { return false }
        live.shownIndex = picture.index
        live.noteShown(at: Self.now)
        trace?.note("live \(picture.index)")
        if let failure = picture.failure, failure != RenderSetupError.noActiveStyle.description || !session.activeBlend.isEmpty {
            say(Self.shortened(failure, folders: sessionFolders), .error)
        }
        return true
    }

    /// The live picture for the preview (the input in before/after), with its caption.
    var livePicture: (image: RGBImage, caption: String, id: String)? {
        guard let live, let picture = live.stylizer.picture else { return nil }
        if mode == .before { return (picture.input, "live input", "li\(picture.index)") }
        return (picture.image, picture.failure == nil ? "live" : "live (not stylized)", "lv\(picture.index)")
    }

    /// The status bar's live figures: "live 7.9 fps · 123 dropped".
    var liveStatus: String? {
        guard let live else { return nil }
        let counts = live.stylizer.feed.counts
        var text = String(format: "live %.1f fps · %d dropped", live.displayedRate(now: Self.now), counts.dropped)
        if let ended = counts.ended { text += " · \(ended)" }
        return text
    }

    /// e while live: saves the newest input frame as `live-<time>.png` in the launch folder and
    /// exports it stylized (`live-<time>-atelier.png` and its recipe, which replays from it).
    func exportLiveFrame() {
        guard let live, let frame = live.stylizer.feed.newestFrame else {
            say("no frame yet", .warning)
            return
        }
        if let job = exportJob, job.state == .running {
            say("an export is running (\(percent(job.progress))): press \(keyMap.label(for: .cancelExport)) to cancel it", .warning)
            return
        }
        guard !session.activeBlend.isEmpty else {
            say("turn on a style first (1-9)", .warning)
            return
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stem = "live-" + formatter.string(from: Date())
        var n = 1
        func name(_ suffix: String) -> URL {
            launchFolder.appendingPathComponent(stem + (n > 1 ? "-\(n)" : "") + suffix)
        }
        while FileManager.default.fileExists(atPath: name(".png").path) || Self.exportWouldReplace(name("-atelier.png")) { n += 1 }
        let input = name(".png")
        do {
            let temporary = TemporaryFiles.url(beside: input, tag: "live")
            TemporaryFiles.register(temporary)
            defer {
                unlink(temporary.systemPath)
                TemporaryFiles.unregister(temporary)
            }
            try ImageFile.writePNG(frame.image, to: temporary)
            guard rename(temporary.systemPath, input.systemPath) == 0 else {
                throw RenderJobError.cannotWrite(path: input.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            say("cannot save the frame: \(error)", .error)
            return
        }
        trace?.note("export started")
        exportJob = studio.exportFrame(input.path, to: name("-atelier.png"))
        say("saved frame \(frame.index) as \(input.lastPathComponent); exporting \(name("-atelier.png").lastPathComponent) "
            + "(\(keyMap.label(for: .cancelExport)) cancels)")
    }

    private static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
