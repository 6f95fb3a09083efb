import Engine
import Foundation
import Imaging

/// Video clips in the workstation: a clip opens like a photo, the preview shows its current
/// frame (grabbed by ffmpeg with a seek, off the interface's thread), keys step and jump through
/// the frames, and `e` renders the whole clip in the background (see `Studio.exportClip`).
extension Workstation {
    /// The open clip when the session shows one of its frames, with that frame's index.
    public var clipFrame: (clip: OpenClip, index: Int)? {
        guard let clip = clips.clip, let index = clip.frameIndex(of: session.contentPath) else { return nil }
        return (clip, index)
    }

    /// The status bar's position in the clip ("frame 13/48 · 0:00.52"), nil without a clip.
    var clipStatus: String? {
        guard let (clip, index) = clipFrame else { return nil }
        return clip.position(clips.wanted ?? clips.grabbing ?? index)
    }

    /// Opens the clip at `url` at frame `start` (clamped to the clip; probed, then the frame
    /// grabbed, in the background).
    func openClip(_ url: URL, at start: Int = 0) {
        let path = url.standardizedFileURL.path
        if let clip = clips.clip, clip.path == path, clipFrame != nil {
            say("\(url.lastPathComponent) is already open")
            return
        }
        let folder: URL
        do { folder = try clips.makeFolder() } catch {
            say("cannot make a folder for the frames: \(FileErrorText.reason(for: error))", .error)
            return
        }
        say("opening \(url.lastPathComponent)…")
        let shown = PathBytes.shown(url.lastPathComponent)
        reads.start({ () throws -> (OpenClip, Int) in
            let probe = try VideoProbe.probe(path, shown: shown)
            let clip = OpenClip(path: path, probe: probe, frames: folder)
            let index = min(max(start, 0), clip.lastFrame)
            try VideoFrameGrab.write(clip: path, shown: shown, frame: index, rate: probe.framesPerSecond, to: clip.frameURL(index))
            return (clip, index)
        }) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let (clip, index)):
                clips.clip = clip
                clips.grabbing = nil
                clips.wanted = nil
                if show(index, of: clip) {
                    mode = .stylized
                    say("opened \(shown): \(clip.probe.frameCount) frames at \(String(format: "%.3g", clip.probe.framesPerSecond)) fps"
                        + (index > 0 ? ", at \(clip.position(index))" : "")
                        + " (\(keyMap.label(for: .previousFrame)) \(keyMap.label(for: .nextFrame)) step, e exports the clip)")
                }
            case .failure(let error):
                say(Self.shortened("\(error)", folders: sessionFolders), .error)
            }
        }
    }

    /// Makes frame `index` of `clip` (already grabbed) the session's photo, naming the clip and
    /// frame in the session so a saved or autosaved session can grab it again.
    @discardableResult
    private func show(_ index: Int, of clip: OpenClip) -> Bool {
        apply(.setContent(path: clip.frameURL(index).path, frame: ClipFrame(clip: clip.path, index: index)))
    }

    /// Moves to another frame: `by` frames, or to `to` (clamped to the clip).
    func moveInClip(by delta: Int = 0, to target: Int? = nil) {
        guard let (clip, index) = clipFrame else {
            say("no video open: open a clip in the Photos pane (Enter)", .warning)
            return
        }
        let from = clips.wanted ?? clips.grabbing ?? index
        let next = min(max(target ?? from + delta, 0), clip.lastFrame)
        guard next != from || (clips.grabbing == nil && next != index) else { return }
        showFrame(next, of: clip)
    }

    /// Frames in `seconds` of the open clip (at least one).
    func clipFrames(seconds: Double) -> Int {
        max(1, Int((seconds * (clips.clip?.probe.framesPerSecond ?? 1)).rounded()))
    }

    private func showFrame(_ index: Int, of clip: OpenClip) {
        if clips.grabbing != nil {
            clips.wanted = index
            return
        }
        let url = clip.frameURL(index)
        if FileManager.default.fileExists(atPath: url.path) {
            show(index, of: clip)
            return
        }
        clips.grabbing = index
        clips.wanted = nil
        let shown = PathBytes.shown((clip.path as NSString).lastPathComponent)
        reads.start({
            try VideoFrameGrab.write(clip: clip.path, shown: shown, frame: index, rate: clip.probe.framesPerSecond, to: url)
        }) { [weak self] result in
            guard let self else { return }
            clips.grabbing = nil
            switch result {
            case .success:
                if clips.clip?.path == clip.path { show(index, of: clip) }
            case .failure(let error):
                say(Self.shortened("\(error)", folders: sessionFolders), .error)
            }
            if let wanted = clips.wanted, clips.clip?.path == clip.path {
                clips.wanted = nil
                if wanted != clipFrame?.index { showFrame(wanted, of: clip) }
            }
        }
    }

    /// The file a clip export writes: `<launch folder>/<clip name>-atelier.mp4` (`-N` numbered).
    func clipExportDestination(_ clip: OpenClip, numbered n: Int = 1) -> URL {
        let stem = ((clip.path as NSString).lastPathComponent as NSString).deletingPathExtension
        return launchFolder.appendingPathComponent(stem + "-atelier" + (n > 1 ? "-\(n)" : "") + ".mp4")
    }

    /// Removes the frames grabbed (call when quitting).
    public func closeClips() { clips.removeFolders() }
}
