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
        let state = Locked((previewRunning: true, resumedWhilePreviewRan: false))
        Thread.detachNewThread {
            priority.yieldToPreviews(control: nil)
            state.withLock { $0.resumedWhilePreviewRan = $0.previewRunning }
            released.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.1)
        state.withLock { $0.previewRunning = false }
        priority.previewEnded()
        wait(for: [released], timeout: 30)
        XCTAssertFalse(state.withLock { $0.resumedWhilePreviewRan })
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
        let returned = Locked(false)
        Thread.detachNewThread {
            priority.yieldToPreviews(control: nil)
            returned.withLock { $0 = true }
            waited.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertFalse(returned.withLock { $0 }, "background work waits while the preview renders")
        gate.signal()
        gate.signal()
        wait(for: [waited], timeout: 30)
        XCTAssertTrue(log.wait { _ in !pipeline.isBusy })
    }
}

/// A value that threads read and write only under its lock.
private final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&value) }
    }
}
