@testable import Engine
import Stylization
import XCTest

/// The preview box is a display setting kept by the studio, outside the session and its history:
/// changing it renders again but is no undo step, and undo never resizes the preview.
final class SessionHistoryDisplayTests: XCTestCase {
    func testThePreviewBoxIsNoUndoStepAndUndoKeepsIt() throws {
        let fixtures = try Fixtures(self)
        let studio = Studio(session: fixtures.session, configuration: .init(autosaveURL: nil), renderer: FakeRenderer(),
                            featureCache: LRUFeatureCache(capacityBytes: 1 << 20), model: nil)
        XCTAssertTrue(try studio.perform(.setAlpha(0.5)))
        let before = studio.previewGeneration
        studio.setPreviewBox(PreviewBox(size: PreviewSize(width: 300, height: 0)))
        XCTAssertEqual(studio.previewBox.size, PreviewSize(width: 300, height: 1), "sides are clamped")
        XCTAssertGreaterThan(studio.previewGeneration, before, "a new box renders again")
        XCTAssertTrue(studio.canUndo)
        XCTAssertTrue(studio.undo())
        XCTAssertFalse(studio.canUndo, "the box change was no undo step")
        XCTAssertEqual(studio.previewBox.size, PreviewSize(width: 300, height: 1), "undo keeps the box")
        let settled = studio.previewGeneration
        studio.setPreviewBox(studio.previewBox)
        XCTAssertEqual(studio.previewGeneration, settled, "the same box: nothing to render")
        studio.shutdown()
    }
}
