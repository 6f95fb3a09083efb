import Foundation
import Imaging

/// Frames from a live source, newest first: a decoder thread reads raw RGB frames from ffmpeg
/// and overwrites a one-frame mailbox, so a stylizer that falls behind skips frames (counted
/// as dropped) instead of queueing them and lagging further and further behind.
public final class LiveFeed: @unchecked Sendable {
    /// One decoded frame.
    public struct Frame: Sendable {
        /// 0-based number of the frame in the source.
        public var index: Int
        /// The frame at the source's size.
        public var image: RGBImage
    }

    /// Frame size.
    public let width: Int
    /// Frame size.
    public let height: Int
    private let process: FFmpegProcess
    private let condition = NSCondition()
    private var mailbox: Frame?
    private var newest: Frame?
    private var decoded = 0
    private var dropped = 0
    private var ended: String?
    private var stopped = false

    /// Starts ffmpeg on `source` (probed as `probe`) and the decoder thread.
    public init(source: LiveSource, probe: VideoProbe) throws {
        width = probe.width
        height = probe.height
        process = try FFmpegProcess("ffmpeg", ["-nostdin", "-v", "error"] + source.inputArguments
                                    + ["-map", "0:v:0", "-an", "-sn", "-dn", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
                                    file: PathBytes.shown(source.location))
        let thread = Thread { [self] in decode() }
        thread.name = "atelier-live-decode"
        thread.start()
    }

    private func decode() {
        let size = width * height * 3
        while let bytes = process.read(exactly: size), bytes.count == size {
            let frame = Frame(index: decoded, image: RGBImage(width: width, height: height, rgb8: bytes))
            condition.withLock {
                if mailbox != nil { dropped += 1 }
                mailbox = frame
                newest = frame
                decoded += 1
                condition.broadcast()
            }
            if condition.withLock({ stopped }) { break }
        }
        let (status, message) = process.wait()
        condition.withLock {
            if !stopped { ended = status == 0 ? "the source ended" : "the source failed: \(message)" }
            condition.broadcast()
        }
    }

    /// Takes the newest frame not taken yet, waiting up to `timeout` seconds; nil when none came
    /// (or the feed stopped or ended).
    public func take(timeout: TimeInterval) -> Frame? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while mailbox == nil && !stopped && ended == nil {
            if !condition.wait(until: deadline) { break }
        }
        defer { mailbox = nil }
        return mailbox
    }

    /// The newest frame decoded (taken or not), at the source's size.
    public var newestFrame: Frame? { condition.withLock { newest } }

    /// Frames decoded, frames overwritten before anyone took them, and why the feed ended (nil while it runs).
    public var counts: (decoded: Int, dropped: Int, ended: String?) { condition.withLock { (decoded, dropped, ended) } }

    /// Stops ffmpeg and the decoder thread.
    public func stop() {
        let first = condition.withLock {
            defer { stopped = true; condition.broadcast() }
            return !stopped
        }
        if first { process.terminate() }
    }
}
