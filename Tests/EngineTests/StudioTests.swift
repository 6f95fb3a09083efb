import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

final class StudioTests: XCTestCase {
    private func studio(_ session: Session = Session(), renderer: Renderer = FakeRenderer(), log: EventLog,
                        autosave: URL? = nil) -> Studio {
        let studio = Studio(session: session,
                            configuration: Studio.Configuration(autosaveURL: autosave, autosaveDelay: 60),
                            renderer: renderer, featureCache: LRUFeatureCache(capacityBytes: 1 << 20), model: nil,
                            onEvent: { log.record($0) })
        addTeardownBlock { studio.shutdown() }
        return studio
    }

    func testCommandsRenderUndoRendersAgainAndThemesDoNot() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer()
        let log = EventLog()
        let studio = studio(fixtures.session, renderer: renderer, log: log)
        XCTAssertTrue(log.wait { _ in log.frames.contains { $0.generation == 1 && $0.kind == .full } }, "the opening session renders")

        XCTAssertTrue(try studio.perform(.setAlpha(0.25)))
        XCTAssertTrue(log.wait { _ in log.frames.last.map { $0.generation == 2 && $0.kind == .full } ?? false })
        XCTAssertEqual(log.frames.last?.image.pixels[0], 0.25)

        XCTAssertTrue(studio.undo())
        XCTAssertEqual(studio.session.alpha, 1)
        XCTAssertTrue(log.wait { _ in log.frames.last.map { $0.generation == 3 && $0.kind == .full } ?? false })
        XCTAssertEqual(log.frames.last?.image.pixels[0], 1)
        XCTAssertTrue(studio.redo())
        XCTAssertEqual(studio.session.alpha, 0.25)


        XCTAssertThrowsError(try studio.perform(.setWeight(index: 9, weight: 1))) { error in
            XCTAssertEqual(String(describing: error), "there is no style 10: choose one of 1...2")
        }
        XCTAssertTrue(log.wait { _ in !studio.isRendering })
        let polled = studio.pollEvents()
        XCTAssertEqual(polled.count, 1, "only the newest picture waits in the queue")
    }

    func testEveryPerformReturnsWithoutWaitingForARender() throws {
        let fixtures = try Fixtures(self)
        let renderer = FakeRenderer()
        let gate = renderer.hold(alpha: 1)
        let log = EventLog()
        let studio = studio(fixtures.session, renderer: renderer, log: log)
        XCTAssertTrue(log.wait { _ in renderer.calls.count == 1 }, "the first render is held")
        for step in 1...50 { try studio.perform(.adjustAlpha(by: -Float(step % 2) * 0.01)) }
        XCTAssertTrue(studio.isRendering)
        gate.signal()
        XCTAssertTrue(log.wait { _ in !studio.isRendering })
        XCTAssertTrue(log.frames.allSatisfy { $0.generation == studio.previewGeneration })
        XCTAssertLessThanOrEqual(renderer.calls.count, 5)
    }

    func testChangesAreAutosavedAndShutdownFlushesThem() throws {
        let fixtures = try Fixtures(self)
        let autosave = fixtures.folder.appendingPathComponent("home/sessions/autosave.json")
        let log = EventLog()
        let studio = studio(fixtures.session, log: log, autosave: autosave)
        try studio.perform(.setAlpha(0.4))
        try studio.perform(.setMaskShape(.topBottom))
        studio.shutdown()
        XCTAssertEqual(try SessionStore.load(from: autosave), studio.session)
    }

    func testAnOpeningSessionWithAPhotoIsAutosavedWithoutAnyChange() throws {
        let fixtures = try Fixtures(self)
        let autosave = fixtures.folder.appendingPathComponent("home/sessions/autosave.json")
        let studio = Studio(session: fixtures.session,
                            configuration: Studio.Configuration(autosaveURL: autosave, autosaveDelay: 0.05),
                            renderer: FakeRenderer(), featureCache: LRUFeatureCache(capacityBytes: 1 << 20), model: nil)
        defer { studio.shutdown() }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: autosave.path) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(try SessionStore.load(from: autosave), fixtures.session, "--resume brings back this photo, not an older session")
    }

    func testOpenAndSaveSessionFiles() throws {
        let fixtures = try Fixtures(self)
        let log = EventLog()
        let studio = studio(log: log)
        var other = fixtures.session
        other.alpha = 0.5
        let file = fixtures.folder.appendingPathComponent("other.json")
        try SessionStore.save(other, to: file)
        try studio.open(file)
        XCTAssertEqual(studio.session, other)
        XCTAssertTrue(log.wait { _ in log.frames.contains { $0.kind == .full } })
        XCTAssertTrue(studio.undo())
        let before = Session()
        XCTAssertEqual(studio.session, before)
        let copy = fixtures.folder.appendingPathComponent("copy.json")
        try studio.save(to: copy)
        XCTAssertEqual(try SessionStore.load(from: copy), before)
        XCTAssertThrowsError(try studio.open(fixtures.folder.appendingPathComponent("missing.json")))
    }

    func testStatusReportsBothCaches() throws {
        let fixtures = try Fixtures(self)
        let log = EventLog()
        let studio = studio(fixtures.session, log: log)
        XCTAssertTrue(log.wait { _ in log.frames.contains { $0.kind == .full } })
        let status = studio.cacheStatus
        XCTAssertEqual(status.features.capacityBytes, 1 << 20)
        XCTAssertGreaterThan(status.images.usedBytes, 0)
        XCTAssertGreaterThan(status.images.entries, 2)
        XCTAssertEqual(status.images.capacityBytes, 384 << 20)
    }

    func testExportWithoutAModelFailsWithAnEvent() throws {
        let fixtures = try Fixtures(self)
        let log = EventLog()
        let studio = studio(fixtures.session, log: log)
        let job = studio.export(to: fixtures.folder.appendingPathComponent("out.png"))
        XCTAssertEqual(job.wait(), .failed("no model is configured for exports"))
        XCTAssertTrue(log.wait { $0.contains { if case .exportFailed = $0 { return true } else { return false } } })
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixtures.folder.appendingPathComponent("out.png").path))
    }
}
