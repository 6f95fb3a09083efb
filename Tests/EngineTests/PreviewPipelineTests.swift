import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

final class PreviewPipelineTests: XCTestCase {
    private func pipeline(_ renderer: Renderer, _ log: EventLog, quick: Int = 128) -> PreviewPipeline {
        let events = EventQueue(onPost: { log.record($0) })
        let pipeline = PreviewPipeline(renderer: renderer, sources: SourceLibrary(backend: CountingBackend()),
                                       events: events, quickLongerSide: quick)
        addTeardownBlock { pipeline.shutdown() }
        return pipeline
    }

    private func session(_ fixtures: Fixtures, alpha: Float) -> Session {
        var session = fixtures.session
        session.alpha = alpha
        return session
    }

    func testSubmitReturnsAtOnceAndDeliversQuickThenFull() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer()
        let log = EventLog()
        let preview = pipeline(renderer, log)
        let gate = renderer.hold(alpha: 0.5)
        let generation = preview.submit(session(fixtures, alpha: 0.5))
        XCTAssertEqual(generation, 1, "submit returned while the render is held")
        XCTAssertTrue(preview.isBusy)
        gate.signal()
        gate.signal()
        XCTAssertTrue(log.wait { _ in log.frames.count == 2 })
        let frames = log.frames
        XCTAssertEqual(frames.map(\.kind), [.quick, .full])
        XCTAssertEqual(frames.map(\.generation), [1, 1])
        XCTAssertEqual(frames[0].image.width, 128)
        XCTAssertEqual(frames[0].image.height, 96)
        XCTAssertEqual(frames[1].image.width, 320)
        XCTAssertEqual(frames[1].image.height, 240)
        XCTAssertTrue(frames.allSatisfy { $0.seconds > 0 })
        XCTAssertEqual(preview.events.poll().count, 1, "the queue keeps only the newest picture")
    }

    func testSmallPanesSkipTheQuickPass() throws {
        let fixtures = try Fixtures(self)
        let log = EventLog()
        let preview = pipeline(FakeRenderer(), log)
        preview.submit(fixtures.session, box: PreviewBox(size: PreviewSize(width: 150, height: 150)))
        XCTAssertTrue(log.wait { _ in !log.frames.isEmpty && !preview.isBusy })
        XCTAssertEqual(log.frames.map(\.kind), [.full])
        XCTAssertEqual(log.frames.first?.image.width, 150)
    }

    func testAStaleJobNeverOverwritesANewerResult() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer()
        let log = EventLog()
        let preview = pipeline(renderer, log)
        let gate = renderer.hold(alpha: 0.2)
        preview.submit(session(fixtures, alpha: 0.2))
        XCTAssertTrue(log.wait { _ in renderer.calls.count == 1 }, "the first render has started")
        preview.submit(session(fixtures, alpha: 0.8))
        XCTAssertTrue(renderer.calls[0].control.isCancelled, "the obsolete render was told to stop")
        gate.signal()  // the old render now finishes anyway, as if it missed the cancellation
        gate.signal()
        XCTAssertTrue(log.wait { _ in log.frames.contains { $0.kind == .full && $0.generation == 2 } })
        XCTAssertTrue(log.wait { _ in !preview.isBusy })
        let frames = log.frames
        XCTAssertTrue(frames.allSatisfy { $0.generation == 2 }, "nothing from generation 1 is delivered")
        XCTAssertTrue(frames.allSatisfy { $0.image.pixels[0] == 0.8 })
        XCTAssertEqual(frames.last?.kind, .full)
        XCTAssertGreaterThanOrEqual(preview.counters.discarded, 1)
    }

    func testCancelledJobsAreNeverDeliveredEvenIfTheyFinish() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer(steps: 0)
        let log = EventLog()
        let preview = pipeline(renderer, log)
        let gate = renderer.hold(alpha: 0.3)
        preview.submit(session(fixtures, alpha: 0.3))
        XCTAssertTrue(log.wait { _ in renderer.calls.count == 1 })
        preview.cancelAll()
        gate.signal()
        gate.signal()
        XCTAssertTrue(log.wait { _ in !preview.isBusy })
        XCTAssertTrue(log.events.isEmpty)
        XCTAssertEqual(preview.counters.delivered, 0)
    }

    func testABurstOfSubmitsCostsFewRendersAndTheLastIsAlwaysRendered() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer(steps: 20, stepSeconds: 0.002)
        let log = EventLog()
        let preview = pipeline(renderer, log)
        var last: UInt64 = 0
        for step in 1...60 { last = preview.submit(session(fixtures, alpha: Float(step) / 100)) }
        XCTAssertEqual(last, 60)
        XCTAssertTrue(log.wait { _ in log.frames.contains { $0.generation == 60 && $0.kind == .full } })
        XCTAssertTrue(log.wait { _ in !preview.isBusy })
        XCTAssertLessThanOrEqual(renderer.calls.count, 12, "60 submissions (120 passes), \(renderer.calls.count) renders")
        XCTAssertEqual(renderer.calls.last?.alpha, 0.6)
        XCTAssertTrue(log.frames.allSatisfy { $0.generation == 60 })
        XCTAssertGreaterThanOrEqual(preview.counters.coalesced, 50)
    }

    func testGenerationsOnlyIncreaseAcrossManyInterleavedSubmits() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer(steps: 3, stepSeconds: 0.001)
        let log = EventLog()
        let preview = pipeline(renderer, log)
        for step in 1...30 {
            preview.submit(session(fixtures, alpha: Float(step) / 100))
            Thread.sleep(forTimeInterval: 0.004)
        }
        XCTAssertTrue(log.wait { _ in log.frames.contains { $0.generation == 30 && $0.kind == .full } })
        let generations = log.frames.map(\.generation)
        XCTAssertEqual(generations, generations.sorted(), "a picture never follows a newer one")
        for frame in log.frames { XCTAssertEqual(frame.image.pixels[0], Float(frame.generation) / 100) }
    }

    func testBadFilesBecomeErrorEventsNotCrashes() throws {
        let fixtures = try Fixtures(self)
        let junk = fixtures.folder.appendingPathComponent("junk.png")
        try Data("garbage".utf8).write(to: junk)
        let log = EventLog()
        let preview = pipeline(FakeRenderer(), log)
        var session = fixtures.session
        try session.apply(.addStyle(path: junk.path))
        preview.submit(session)
        XCTAssertTrue(log.wait { !$0.isEmpty })
        guard case .previewFailed(let generation, let message)? = log.events.first else {
            return XCTFail("expected an error event, got \(log.events)")
        }
        XCTAssertEqual(generation, 1)
        XCTAssertEqual(message, "cannot read \(junk.path): not a PNG or JPEG image (the content does not start like one)")
        preview.submit(Session())
        XCTAssertTrue(log.wait { $0.count == 2 })
        guard case .previewFailed(_, let second)? = log.events.last else { return XCTFail() }
        XCTAssertEqual(second, RenderSetupError.noContent.description)
    }

    func testRendererErrorsAreReported() throws {
        struct Broken: Renderer {
            func render(_ request: RenderRequest, control: RenderControl) throws -> RGBImage {
                throw StylizationError.modelUnavailable("model files missing: run atelier setup")
            }
        }
        let fixtures = try Fixtures(self)
        let log = EventLog()
        let preview = pipeline(Broken(), log)
        preview.submit(fixtures.session)
        XCTAssertTrue(log.wait { !$0.isEmpty })
        guard case .previewFailed(_, let message)? = log.events.first else { return XCTFail() }
        XCTAssertEqual(message, "model files missing: run atelier setup")
    }
}
