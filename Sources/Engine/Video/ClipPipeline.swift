import Foundation
import Imaging
import Stylization

/// The stages of a clip render on their own threads: a reader takes frames (and mask frames)
/// from the decoders and prepares them in order, one or more stylizers (the caller's thread
/// and `stylizers - 1` more) render them, several frames at once, and a writer finishes them
/// in order and feeds the encoder. The stages meet in bounded queues, so decode, stylize and
/// encode overlap while at most a few frames wait. The first failure of any stage stops all
/// of them and is the one thrown.
final class ClipPipeline: @unchecked Sendable {
    private let decoder: VideoDecoder
    private let encoder: VideoEncoder
    private let masks: [ClipMask]
    private let expected: Int?
    private let lock = NSLock()
    private var failure: Error?
    private var queues: [() -> Void] = []

    /// Frames handed to the encoder.
    var framesWritten: Int { encoder.framesWritten }

    init(decoder: VideoDecoder, encoder: VideoEncoder, masks: [ClipMask], expected: Int?) {
        self.decoder = decoder
        self.encoder = encoder
        self.masks = masks
        self.expected = expected
    }

    /// Runs the clip: `prepare` (frame index, RGB bytes, mask frames) on the reader thread in
    /// frame order, `stylize` (stylizer number, prepared frame) on `stylizers` threads at once,
    /// `finish` (prepared frame, its render -> RGB bytes) on the writer thread in frame order;
    /// then finishes the encoder's file.
    func run<Frame, Render>(control: RenderControl, stylizers: Int,
                            prepare: @escaping (Int, [UInt8], [GrayImage]) throws -> Frame,
                            stylize: @escaping (Int, Frame) throws -> Render,
                            finish: @escaping (Frame, Render) throws -> [UInt8]) throws {
        let count = max(stylizers, 1)
        let decoded = BoundedQueue<(Int, Frame)>(capacity: ClipRender.queueDepth)
        let rendered = ReorderQueue<(Frame, Render)>(capacity: ClipRender.queueDepth + count)
        lock.withLock { queues = [decoded.close, rendered.close] }
        let stages = DispatchGroup(), renders = DispatchGroup()
        stages.enter()
        Thread.detachNewThread { [self] in
            defer { stages.leave() }
            readFrames(into: decoded, prepare: prepare)
        }
        stages.enter()
        Thread.detachNewThread { [self] in
            defer { stages.leave() }
            do {
                while let (frame, render) = rendered.take() { try encoder.append(try finish(frame, render)) }
            } catch {
                fail(error)
            }
        }
        let render: @Sendable (Int) -> Void = { [self] stylizer in
            do {
                while let (index, frame) = decoded.take() {  // `stylize` checks `control` itself
                    guard rendered.put(index, (frame, try stylize(stylizer, frame))) else { break }
                }
                try control.checkCancelled()
            } catch {
                fail(error)
            }
        }
        for stylizer in 1..<count {
            renders.enter()
            Thread.detachNewThread {
                defer { renders.leave() }
                render(stylizer)
            }
        }
        render(0)
        renders.wait()
        rendered.close()
        if lock.withLock({ failure }) != nil { cancel() }
        stages.wait()
        if let failure = lock.withLock({ failure }) { throw failure }
        try encoder.finish()
    }

    /// Kills both ffmpeg processes (a failure or Ctrl-C); waiting stages wake.
    func cancel() {
        closeQueues()
        decoder.cancel()
        encoder.cancel()
    }

    private func closeQueues() {
        for close in lock.withLock({ queues }) { close() }
    }

    private func fail(_ error: Error) {
        lock.withLock { if failure == nil { failure = error } }
        closeQueues()
    }

    private func readFrames<Frame>(into decoded: BoundedQueue<(Int, Frame)>,
                                   prepare: (Int, [UInt8], [GrayImage]) throws -> Frame) {
        var index = 0
        do {
            while let frame = try decoder.next() {
                let maskFrames = try masks.map { try $0.next(frame: index, clipFrames: expected ?? index + 1) }
                guard decoded.put((index, try prepare(index, frame, maskFrames))) else { return }
                index += 1
            }
            try decoder.finish(expected: expected)
            for mask in masks { try mask.finish(frames: index) }
            decoded.close()
        } catch {
            fail(error)
        }
    }
}
