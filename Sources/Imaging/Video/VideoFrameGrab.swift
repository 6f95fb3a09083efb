#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One frame of a clip written as a PNG, decoded on demand by a separate ffmpeg process with a
/// seek (`-ss T -i CLIP -frames:v 1`): what the workstation shows while stepping through a clip.
public enum VideoFrameGrab {
    /// The seek time that lands on frame `index` (0-based) of a clip at `rate` frames/s: half a
    /// frame before the frame's own time, so rounding never picks its neighbour.
    public static func seekSeconds(frame index: Int, rate: Double) -> Double {
        index <= 0 ? 0 : (Double(index) - 0.5) / max(rate, 1e-6)
    }

    /// Writes frame `index` of `clip` (upright, at its own size) to `destination` through a
    /// temporary renamed into place. Throws `VideoError` (one line naming `shown`).
    public static func write(clip: String, shown: String, frame index: Int, rate: Double, to destination: URL) throws {
        let temporary = TemporaryFiles.url(beside: destination, tag: "frame")
        TemporaryFiles.register(temporary)
        defer {
            unlink(temporary.systemPath)
            TemporaryFiles.unregister(temporary)
        }
        let seek = String(format: "%.6f", seekSeconds(frame: index, rate: rate))
        let process = try FFmpegProcess("ffmpeg", ["-nostdin", "-v", "error", "-ss", seek, "-i", clip, "-map", "0:v:0",
                                                   "-an", "-sn", "-dn", "-frames:v", "1", "-f", "image2", "-update", "1",
                                                   "-c:v", "png", "-y", temporary.path], file: shown)
        let (status, message) = process.wait()
        guard status == 0 else { throw VideoError.unreadable(path: shown, reason: VideoError.reason(message, path: clip)) }
        var info = stat()
        guard stat(temporary.systemPath, &info) == 0, info.st_size > 0 else {
            throw VideoError.truncated(path: shown, frames: index, expected: index + 1)
        }
        guard rename(temporary.systemPath, destination.systemPath) == 0 else {
            throw VideoError.unreadable(path: shown, reason: "cannot write the frame: \(String(cString: strerror(errno)))")
        }
    }
}
