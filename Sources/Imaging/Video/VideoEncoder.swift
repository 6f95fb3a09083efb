import Foundation

/// Encodes 8-bit RGB frames to H.264 (yuv420p, BT.709) through a separate ffmpeg process,
/// copying the audio of a source clip. The file is written at `destination` (a temporary the
/// caller renames into place).
///
/// Quality: CRF 18 (visually lossless for most material; stylized frames are full of
/// fine texture, which higher CRFs smear) with the `veryfast` preset, which keeps the
/// encoder a small share of the time per frame at 640x360 and larger.
public final class VideoEncoder: @unchecked Sendable {
    /// The constant rate factor given to libx264.
    public static let crf = 18
    /// The libx264 preset.
    public static let preset = "veryfast"
    /// Output names and the container each is written in.
    public static let containers: [String: String] = ["mp4": "mp4", "m4v": "mp4", "mov": "mov", "mkv": "matroska"]
    /// Audio codecs MP4/MOV take as they are; others are re-encoded to AAC.
    static let mp4Audio: Set<String> = ["aac", "mp3", "alac", "ac3", "eac3", "opus"]

    private let process: FFmpegProcess
    private let shown: String
    /// Frames written so far.
    public private(set) var framesWritten = 0

    /// Starts ffmpeg writing `destination` in `container` (see `containers`), with frames of
    /// `width` x `height` at `rate` and the audio of `audioSource` (codec `audioCodec`) when given.
    public init(destination: String, shown: String, container: String, width: Int, height: Int, rate: String,
                audioSource: String?, audioCodec: String?) throws {
        self.shown = shown
        var arguments = ["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
                         "-framerate", rate, "-i", "pipe:0"]
        if let audioSource, audioCodec != nil { arguments += ["-i", audioSource, "-map", "0:v:0", "-map", "1:a:0"] }
        arguments += ["-c:v", "libx264", "-preset", Self.preset, "-crf", "\(Self.crf)",
                      "-vf", "scale=out_color_matrix=bt709:out_range=tv", "-pix_fmt", "yuv420p",
                      "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]
        if let audioCodec, audioSource != nil {
            let copies = container == "matroska" || Self.mp4Audio.contains(audioCodec)
            arguments += copies ? ["-c:a", "copy"] : ["-c:a", "aac", "-b:a", "192k"]
        }
        arguments += ["-f", container, destination]
        process = try FFmpegProcess("ffmpeg", arguments, withInput: true, file: shown)
    }

    /// Writes one frame (`width * height * 3` interleaved RGB bytes).
    public func append(_ frame: [UInt8]) throws {
        guard process.write(frame) else { throw finishWithError() }
        framesWritten += 1
    }

    /// Ends the stream and waits for ffmpeg to finish the file.
    public func finish() throws {
        process.closeInput()
        let (status, message) = process.wait()
        guard status == 0 else { throw VideoError.encodeFailed(path: shown, reason: message) }
    }

    /// Stops now (kills ffmpeg); the caller removes the file.
    public func cancel() { process.terminate() }

    private func finishWithError() -> VideoError {
        process.closeInput()
        let (_, message) = process.wait()
        return .encodeFailed(path: shown, reason: message)
    }
}
