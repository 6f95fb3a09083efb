import Foundation

/// What ffprobe says about a clip's first video stream (and its first audio stream), read
/// from its JSON output.
public struct VideoProbe: Equatable, Sendable {
    /// The stored frame size (before rotation).
    public var codedWidth: Int
    /// The stored frame size (before rotation).
    public var codedHeight: Int
    /// Clockwise degrees the player turns the picture (0, 90, 180, 270), from the display matrix.
    public var rotation: Int
    /// The frame rate as a fraction (e.g. 30000/1001).
    public var frameRate: (numerator: Int, denominator: Int)
    /// Frames in the stream: the container's count, else duration x rate.
    public var frameCount: Int
    /// Whether `frameCount` is the container's own count (nb_frames), which decoding must reach.
    public var frameCountIsExact: Bool
    /// Seconds.
    public var duration: Double
    /// The first audio stream's codec name, nil without audio.
    public var audioCodec: String?

    /// The upright picture's size (width and height swapped for a quarter turn).
    public var width: Int { rotation % 180 == 0 ? codedWidth : codedHeight }
    /// The upright picture's size.
    public var height: Int { rotation % 180 == 0 ? codedHeight : codedWidth }
    /// The frame rate as ffmpeg writes it ("30000/1001").
    public var rateText: String { "\(frameRate.numerator)/\(frameRate.denominator)" }
    /// Frames per second.
    public var framesPerSecond: Double { Double(frameRate.numerator) / Double(max(frameRate.denominator, 1)) }

    public static func == (a: VideoProbe, b: VideoProbe) -> Bool {
        a.codedWidth == b.codedWidth && a.codedHeight == b.codedHeight && a.rotation == b.rotation
            && a.frameRate == b.frameRate && a.frameCount == b.frameCount && a.audioCodec == b.audioCodec
    }

    /// File names a folder run and `render` take for videos.
    public static let fileExtensions: Set<String> = ["mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "wmv", "flv", "3gp"]

    /// Whether `path` is named like a video.
    public static func isVideoName(_ path: String) -> Bool {
        fileExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// Runs ffprobe on `path` (`shown`: its name in messages).
    public static func probe(_ path: String, shown: String) throws -> VideoProbe {
        let probe = try FFmpegProcess("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", "-show_format",
                                                  "--", path], file: shown)
        var data = [UInt8]()
        while let chunk = probe.read(exactly: 65536) {
            data += chunk
            if chunk.count < 65536 { break }
        }
        let (status, message) = probe.wait()
        guard status == 0 else { throw VideoError.unreadable(path: shown, reason: VideoError.reason(message, path: path)) }
        return try parse(Data(data), shown: shown)
    }

    /// Reads ffprobe's `-print_format json -show_streams -show_format` output.
    public static func parse(_ json: Data, shown: String) throws -> VideoProbe {
        guard let root = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let streams = root["streams"] as? [[String: Any]] else {
            throw VideoError.unreadable(path: shown, reason: "ffprobe printed no streams")
        }
        let format = root["format"] as? [String: Any] ?? [:]
        guard let video = streams.first(where: { ($0["codec_type"] as? String) == "video"
                                                   && (($0["disposition"] as? [String: Any])?["attached_pic"] as? Int ?? 0) == 0 }),
              let width = video["width"] as? Int, let height = video["height"] as? Int, width > 0, height > 0 else {
            throw VideoError.noVideoStream(path: shown)
        }
        let rate = fraction(video["avg_frame_rate"] as? String) ?? fraction(video["r_frame_rate"] as? String) ?? (25, 1)
        let duration = double(video["duration"]) ?? double(format["duration"]) ?? 0
        let counted = (video["nb_frames"] as? String).flatMap(Int.init)
        let estimated = Int((duration * Double(rate.0) / Double(rate.1)).rounded())
        return VideoProbe(codedWidth: width, codedHeight: height, rotation: rotation(of: video), frameRate: rate,
                          frameCount: counted ?? estimated, frameCountIsExact: counted != nil, duration: duration,
                          audioCodec: streams.first { ($0["codec_type"] as? String) == "audio" }?["codec_name"] as? String)
    }

    /// Clockwise display rotation: the display matrix's (counter-clockwise) angle, or the old `rotate` tag.
    private static func rotation(of stream: [String: Any]) -> Int {
        var degrees = 0
        if let sides = stream["side_data_list"] as? [[String: Any]],
           let angle = sides.compactMap({ double($0["rotation"]) }).first {
            degrees = -Int(angle.rounded())
        } else if let tags = stream["tags"] as? [String: Any], let tag = (tags["rotate"] as? String).flatMap(Int.init) {
            degrees = tag
        }
        return ((degrees % 360) + 360) % 360
    }

    private static func fraction(_ text: String?) -> (Int, Int)? {
        guard let parts = text?.split(separator: "/"), parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]),
              n > 0, d > 0 else { return nil }
        return (n, d)
    }

    private static func double(_ value: Any?) -> Double? {
        if let number = value as? Double { return number }
        if let number = value as? Int { return Double(number) }
        return (value as? String).flatMap(Double.init)
    }
}
