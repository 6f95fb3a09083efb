#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Imaging

/// Something `atelier live` reads frames from: a camera device (`/dev/video0`, through
/// video4linux2), a stream URL, or a file read at real-time rate (`-re`), as ffmpeg inputs.
public struct LiveSource: Sendable {
    /// The device, URL or file as given.
    public var location: String
    /// Whether a file starts again at its end (`-stream_loop -1`).
    public var loops: Bool

    /// A source at `location`.
    public init(_ location: String, loops: Bool = false) {
        self.location = location
        self.loops = loops
    }

    /// A camera device (read through video4linux2).
    public var isDevice: Bool { location.hasPrefix("/dev/") }

    /// A stream named by a URL (rtsp://, http://, udp://, ...).
    public var isURL: Bool { location.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*://"#, options: .regularExpression) != nil }

    /// The ffmpeg input options and the input itself.
    public var inputArguments: [String] {
        if isDevice { return ["-f", "v4l2", "-i", location] }
        if isURL { return ["-i", location] }
        return ["-re"] + (loops ? ["-stream_loop", "-1"] : []) + ["-i", location]
    }

    /// What ffprobe says about the source's video (size, rate). Throws `VideoError` (one line).
    public func probe() throws -> VideoProbe {
        let shown = PathBytes.shown(location)
        if !isURL {
            var info = stat()
            guard stat(location, &info) == 0 else { throw VideoError.unreadable(path: shown, reason: "no such file or device") }
        }
        let input = isDevice ? ["-f", "v4l2", "-i", location] : ["-i", location]
        let probe = try FFmpegProcess("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", "-show_format"] + input,
                                      file: shown)
        var data = [UInt8]()
        while let chunk = probe.read(exactly: 65536) {
            data += chunk
            if chunk.count < 65536 { break }
        }
        let (status, message) = probe.wait()
        guard status == 0 else { throw VideoError.unreadable(path: shown, reason: message.hasPrefix(location + ": ") ? String(message.dropFirst(location.count + 2)) : message) }
        return try VideoProbe.parse(Data(data), shown: shown)
    }
}
