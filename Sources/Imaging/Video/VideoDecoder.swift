/// Decodes a clip's frames, upright (ffmpeg applies the rotation metadata) and scaled to
/// `width` x `height`, as raw 8-bit frames on a pipe from a separate ffmpeg process.
public final class VideoDecoder: @unchecked Sendable {
    /// How each frame is delivered.
    public enum Pixels: String, Sendable {
        /// Interleaved 8-bit RGB (photos).
        case rgb24
        /// 8-bit grey (mask videos).
        case gray
    }

    /// Frame size after scaling.
    public let width: Int
    /// Frame size after scaling.
    public let height: Int
    private let pixels: Pixels
    private let process: FFmpegProcess
    private let shown: String
    private let path: String
    /// Frames read so far.
    public private(set) var framesRead = 0

    /// Starts decoding `path` (`shown`: its name in messages).
    public init(path: String, shown: String, width: Int, height: Int, pixels: Pixels = .rgb24) throws {
        self.width = width
        self.height = height
        self.pixels = pixels
        self.shown = shown
        self.path = path
        process = try FFmpegProcess("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn",
                                               "-vf", "scale=\(width):\(height):flags=bicubic", "-fps_mode", "passthrough",
                                               "-f", "rawvideo", "-pix_fmt", pixels.rawValue, "pipe:1"], file: shown)
    }

    /// The next frame's bytes (`width * height * 3` for RGB, `width * height` for grey), nil at
    /// the end of the clip. A frame cut short, or ffmpeg failing, is an error naming the file.
    public func next() throws -> [UInt8]? {
        let size = width * height * (pixels == .rgb24 ? 3 : 1)
        guard let bytes = process.read(exactly: size) else { return nil }
        guard bytes.count == size else { throw finishWithError() }
        framesRead += 1
        return bytes
    }

    /// Waits for ffmpeg after the last frame; throws when it failed (damaged data), or when
    /// fewer frames came than `expected` (a container count that decoding must reach).
    public func finish(expected: Int?) throws {
        let (status, message) = process.wait()
        guard status == 0 else { throw VideoError.unreadable(path: shown, reason: VideoError.reason(message, path: path)) }
        if let expected, framesRead + 1 < expected {
            throw VideoError.truncated(path: shown, frames: framesRead, expected: expected)
        }
    }

    /// Stops decoding now (kills ffmpeg).
    public func cancel() { process.terminate() }

    private func finishWithError() -> VideoError {
        let (status, message) = process.wait()
        return status == 0 ? .truncated(path: shown, frames: framesRead, expected: framesRead + 1)
                           : .unreadable(path: shown, reason: VideoError.reason(message, path: path))
    }
}
