import Foundation
import Imaging

/// A region's mask over a clip: one image for every frame, or a mask video decoded alongside
/// the clip (grey, scaled to the frames' size) with exactly one mask frame per frame.
final class ClipMask: @unchecked Sendable {
    private let still: GrayImage?
    private let video: VideoDecoder?
    private let shown: String

    /// The mask at `path`: a video when named like one, else an image read once.
    init(path: String, width: Int, height: Int, maxPixels: Int) throws {
        shown = PathBytes.shown(path)
        if VideoProbe.isVideoName(path) {
            _ = try VideoProbe.probe(path, shown: shown)
            video = try VideoDecoder(path: path, shown: shown, width: width, height: height, pixels: .gray)
            still = nil
        } else {
            still = try ImageFile.readMask(URL(fileURLWithPath: path), maxPixels: maxPixels)
            video = nil
        }
    }

    /// The mask for frame `index` (0-based); a mask video that ends first is an error.
    func next(frame index: Int, clipFrames: Int) throws -> GrayImage {
        if let still { return still }
        guard let video, let bytes = try video.next() else {
            throw VideoError.maskLength(path: shown, frames: index, expected: clipFrames)
        }
        return GrayImage(width: video.width, height: video.height, pixels: bytes.map { Float($0) / 255 })
    }

    /// After the clip's last frame (`frames` of them): a mask video with frames left is an error.
    func finish(frames: Int) throws {
        guard let video else { return }
        if try video.next() != nil {
            var count = frames + 1
            while try video.next() != nil { count += 1 }
            throw VideoError.maskLength(path: shown, frames: count, expected: frames)
        }
        try video.finish(expected: nil)
    }

    /// Stops a mask video's decoder.
    func cancel() { video?.cancel() }
}
