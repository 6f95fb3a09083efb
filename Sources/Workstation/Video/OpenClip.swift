import Foundation
import Imaging

/// A video clip open in the workstation: what ffprobe said about it, and the folder where its
/// frames are written as PNGs when shown (the session's photo is the frame on screen, so
/// every control, the 1:1 view and before/after work on it unchanged).
public struct OpenClip: Sendable {
    /// The clip.
    public var path: String
    /// Its stream: size, rate, frame count.
    public var probe: VideoProbe
    /// The hidden temporary folder holding the frames grabbed so far (removed on quit).
    public var frames: URL

    /// The file frame `index` is written to.
    public func frameURL(_ index: Int) -> URL {
        frames.appendingPathComponent(String(format: "frame-%07d.png", index))
    }

    /// The frame index of `path` when it is one of this clip's frames.
    public func frameIndex(of path: String?) -> Int? {
        guard let path, (path as NSString).deletingLastPathComponent == frames.path else { return nil }
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix("frame-"), name.hasSuffix(".png") else { return nil }
        return Int(name.dropFirst(6).dropLast(4))
    }

    /// The last frame's index.
    public var lastFrame: Int { max(0, probe.frameCount - 1) }

    /// "frame 13/48 · 0:00.52" for frame `index`.
    public func position(_ index: Int) -> String {
        let seconds = Double(index) / max(probe.framesPerSecond, 1e-6)
        return "frame \(index + 1)/\(probe.frameCount) · " + String(format: "%d:%05.2f", Int(seconds) / 60, seconds.truncatingRemainder(dividingBy: 60))
    }
}

/// The clip browsing state of a workstation: the open clip and the frame grab in flight.
final class ClipBrowsing {
    /// The clip open, if any.
    var clip: OpenClip?
    /// The frame a grab is running for.
    var grabbing: Int?
    /// The newest frame asked for while a grab ran (fetched next).
    var wanted: Int?
    /// Every frames folder made by this process (removed on quit).
    var folders: [URL] = []
    nonisolated(unsafe) private static var counter = 0

    /// A new hidden frames folder in the temporary directory, named like our temporaries, so a
    /// later run sweeps it if this process is killed.
    func makeFolder() throws -> URL {
        let tmp = URL(fileURLWithPath: NSTemporaryDirectory())
        TemporaryFiles.sweep(tmp)
        Self.counter += 1
        let folder = TemporaryFiles.url(beside: tmp.appendingPathComponent("atelier-frames"), tag: "frames\(Self.counter)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        TemporaryFiles.register(folder)  // a signal empties and removes it
        folders.append(folder)
        return folder
    }

    /// Removes every frames folder.
    func removeFolders() {
        for folder in folders {
            try? FileManager.default.removeItem(at: folder)
            TemporaryFiles.unregister(folder)
        }
        folders = []
    }
}
