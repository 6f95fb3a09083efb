import Foundation
import Imaging
import Stylization

/// The three stages of a clip render on their own threads: a reader takes frames (and mask
/// frames) from the decoders, the caller's thread stylizes, a writer feeds the encoder. The
/// stages meet in bounded queues, so decode, stylize and encode overlap while at most a few
/// frames wait. The first failure of any stage stops all three and is the one thrown.
final class ClipPipeline: @unchecked Sendable {
    private let decoder: VideoDecoder
    private let encoder: VideoEncoder
    private let masks: [ClipMask]
    private let expected: Int?
    private let lock = NSLock()
    private var failure: Error?
    private let decoded = BoundedQueue<(Int, [UInt8], [GrayImage])>(capacity: ClipRender.queueDepth)
    private let encoded = BoundedQueue<[UInt8]>(capacity: ClipRender.queueDepth)

    /// Frames handed to the encoder.
    var framesWritten: Int { encoder.framesWritten }

    init(decoder: VideoDecoder, encoder: VideoEncoder, masks: [ClipMask], expected: Int?) {
        self.decoder = decoder
        self.encoder = encoder
        self.masks = masks
        self.expected = expected
    }

    /// Runs the clip through `stylize` (frame index, RGB bytes, mask frames -> RGB bytes) and
    /// finishes the encoder's file.
    func run(control: RenderControl, stylize: (Int, [UInt8], [GrayImage]) throws -> [UInt8]) throws {
        let stages = DispatchGroup()
        stages.enter()
        Thread.detachNewThread { [self] in
            defer { stages.leave() }
            readFrames()
        }
        stages.enter()
        Thread.detachNewThread { [self] in
            defer { stages.leave() }
            writeFrames()
        }
        do {
            while let (index, frame, maskFrames) = decoded.take() {
                try control.checkCancelled()
                guard encoded.put(try stylize(index, frame, maskFrames)) else { break }
            }
            try control.checkCancelled()
        } catch {
            fail(error)
        }
        encoded.close()
        if lock.withLock({ failure }) != nil { cancel() }
        stages.wait()
        if let failure = lock.withLock({ failure }) { throw failure }
        try encoder.finish()
    }

    /// Kills both ffmpeg processes (a failure or Ctrl-C); waiting stages wake.
    func cancel() {
        decoded.close()
        encoded.close()
        decoder.cancel()
        encoder.cancel()
    }

    private func fail(_ error: Error) {
        lock.withLock { if failure == nil { failure = error } }
        decoded.close()
        encoded.close()
    }

    private func readFrames() {
        var index = 0
        do {
            while let frame = try decoder.next() {
                let maskFrames = try masks.map { try $0.next(frame: index, clipFrames: expected ?? index + 1) }
                guard decoded.put((index, frame, maskFrames)) else { return }
                index += 1
            }
            try decoder.finish(expected: expected)
            for mask in masks { try mask.finish(frames: index) }
            decoded.close()
        } catch {
            fail(error)
        }
    }

    private func writeFrames() {
        do {
            while let frame = encoded.take() { try encoder.append(frame) }
        } catch {
            fail(error)
        }
    }
}
