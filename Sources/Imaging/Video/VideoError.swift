/// Why a clip could not be read or written, worded for the user (one line, naming the file).
public enum VideoError: Error, Equatable, CustomStringConvertible {
    /// `ffmpeg` or `ffprobe` is not on PATH (`file`: the video it was needed for).
    case toolMissing(tool: String, file: String?)
    /// ffprobe/ffmpeg refused the file (not a video, damaged): its own last line.
    case unreadable(path: String, reason: String)
    /// The file has no video stream (audio only, an image, a subtitle file).
    case noVideoStream(path: String)
    /// Decoding stopped early: fewer frames than the container announces.
    case truncated(path: String, frames: Int, expected: Int)
    /// A mask video does not have one frame per frame of the clip.
    case maskLength(path: String, frames: Int, expected: Int)
    /// The encoder failed: its own last line.
    case encodeFailed(path: String, reason: String)
    /// The frames are larger than the pixel limit.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)

    /// ffmpeg's own message without the file name it starts with.
    static func reason(_ message: String, path: String) -> String {
        message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }

    public var description: String {
        switch self {
        case .toolMissing(let tool, let file):
            return (file.map { "\($0): " } ?? "") + "\(tool) is not installed or not on PATH (Debian package ffmpeg): it is needed to read and write videos"
        case .unreadable(let path, let reason):
            return "\(path): ffmpeg cannot read it as a video (\(reason))"
        case .noVideoStream(let path):
            return "\(path): has no video stream"
        case .truncated(let path, let frames, let expected):
            return "\(path): the clip is damaged or truncated (decoded \(frames) of its \(expected) frames)"
        case .maskLength(let path, let frames, let expected):
            return "\(path): the mask video has \(frames) frames, the clip \(expected) (a mask video needs one frame per frame)"
        case .encodeFailed(let path, let reason):
            return "\(path): ffmpeg could not write the video (\(reason))"
        case .tooLarge(let path, let width, let height, let limit):
            return "\(path): frames of \(width)x\(height) exceed the pixel limit (\(limit)); use --size"
        }
    }
}
