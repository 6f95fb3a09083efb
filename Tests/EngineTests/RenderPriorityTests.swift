import Foundation
import Stylization
import XCTest
@testable import Engine

final class RenderPriorityTests: XCTestCase {
    func testBackgroundWorkWaitsWhileAPreviewRendersAndNotOtherwise() {
        let priority = RenderPriority()
        priority.yieldToPreviews(control: nil)  // no preview: returns at once (a hang would time the test out)
        priority.previewStarted()
        let released = expectation(description: "background work resumes")
        let finishedEarly = NSLock()
        var resumedWhilePreviewRan = false
        var previewRunning = true
        Thread.detachNewThread {
            priority.yieldToPreviews(control: nil)
            finishedEarly.withLock { resumedWhilePreviewRan = previewRunning }
            released.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.1)
        finishedEarly.withLock { previewRunning = false }
        priority.previewEnded()
        wait(for: [released], timeout: 30)
        XCTAssertFalse(resumedWhilePreviewRan)
        XCTAssertGreaterThan(priority.secondsPaused, 0)
    }

    func testCancellationEndsTheWait() {
        let priority = RenderPriority()
        priority.previewStarted()
        let control = RenderControl()
        let released = expectation(description: "cancelled work stops waiting")
        Thread.detachNewThread {
            priority.yieldToPreviews(control: control)
            released.fulfill()
        }
        control.cancel()
        wait(for: [released], timeout: 30)
        priority.previewEnded()
    }

    func testThePipelineMarksItsRenders() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer()
        let gate = renderer.hold(alpha: 1)
        let priority = RenderPriority()
        let pipeline = PreviewPipeline(renderer: renderer, sources: SourceLibrary(), events: EventQueue(), priority: priority)
        defer { pipeline.shutdown() }
        pipeline.submit(fixtures.session)
        let log = EventLog()
        XCTAssertTrue(log.wait { _ in renderer.calls.count == 1 })
        let waited = expectation(description: "an export would wait")
        let lock = NSLock()
        var returned = false
        Thread.detachNewThread {
            priority.yieldToPreviews(control: nil)
            lock.withLock { returned = true }
            waited.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertFalse(lock.withLock { returned }, "background work waits while the preview renders")
        gate.signal()
        gate.signal()
        wait(for: [waited], timeout: 30)
        XCTAssertTrue(log.wait { _ in !pipeline.isBusy })
    }
}
