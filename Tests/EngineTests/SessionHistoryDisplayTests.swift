@testable import Engine
import XCTest

/// Preview size and theme are display settings: no undo steps of their own, kept across undo.
final class SessionHistoryDisplayTests: XCTestCase {
    func testResizingAndThemesAreNotUndoSteps() throws {
        var history = SessionHistory(Session())
        try history.apply(.setAlpha(0.5))
        try history.apply(.setPreviewSize(width: 300, height: 200))
        try history.apply(.setTheme("light"))
        XCTAssertEqual(history.undoCount, 1, "only the alpha change is an undo step")
        XCTAssertTrue(history.undo())
        XCTAssertEqual(history.current.alpha, Session().alpha)
        XCTAssertEqual(history.current.previewSize, PreviewSize(width: 300, height: 200), "undo keeps the pane size")
        XCTAssertEqual(history.current.theme, "light", "undo keeps the theme")
        try history.apply(.setPreviewSize(width: 640, height: 480))
        XCTAssertTrue(history.redo(), "a resize does not drop the redo branch")
        XCTAssertEqual(history.current.alpha, 0.5)
        XCTAssertEqual(history.current.previewSize, PreviewSize(width: 640, height: 480))
        XCTAssertFalse(try history.apply(.setPreviewSize(width: 640, height: 480)), "no change, no effect")
    }
}
