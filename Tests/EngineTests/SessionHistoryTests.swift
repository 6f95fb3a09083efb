import XCTest
@testable import Engine

final class SessionHistoryTests: XCTestCase {
    func testUndoAndRedoWalkMoreThanAHundredSteps() throws {
        var history = SessionHistory(Session(contentPath: "/p.jpg"))
        var states = [history.current]
        for step in 1...150 {
            let command: SessionCommand = step % 3 == 0 ? .addStyle(path: "/s\(step).jpg", weight: Float(step))
                : .setAlpha(Float(step % 100) / 100)
            XCTAssertTrue(try history.apply(command))
            states.append(history.current)
        }
        XCTAssertEqual(history.undoCount, 150)
        for step in stride(from: 149, through: 0, by: -1) {
            XCTAssertTrue(history.undo())
            XCTAssertEqual(history.current, states[step])
        }
        XCTAssertFalse(history.undo())
        XCTAssertEqual(history.redoCount, 150)
        for step in 1...150 {
            XCTAssertTrue(history.redo())
            XCTAssertEqual(history.current, states[step])
        }
        XCTAssertFalse(history.redo())
    }

    func testANewCommandAfterUndoDropsTheRedoBranch() throws {
        var history = SessionHistory()
        try history.apply(.setAlpha(0.1))
        try history.apply(.setAlpha(0.2))
        try history.apply(.setAlpha(0.3))
        history.undo()
        history.undo()
        XCTAssertEqual(history.current.alpha, 0.1)
        XCTAssertTrue(history.canRedo)
        try history.apply(.setAlpha(0.9))
        XCTAssertFalse(history.canRedo)
        XCTAssertFalse(history.redo())
        XCTAssertEqual(history.current.alpha, 0.9)
        history.undo()
        XCTAssertEqual(history.current.alpha, 0.1)
    }

    func testCommandsWithoutEffectAreNotRecorded() throws {
        var history = SessionHistory()
        XCTAssertFalse(try history.apply(.setAlpha(1)))
        XCTAssertFalse(try history.apply(.adjustAlpha(by: 0.5)), "alpha is already at its maximum")
        XCTAssertFalse(history.canUndo)
        XCTAssertThrowsError(try history.apply(.removeStyle(index: 0)))
        XCTAssertFalse(history.canUndo, "a rejected command is not recorded")
    }

    func testOldestStepsAreForgottenBeyondTheLimit() throws {
        var history = SessionHistory(limit: 120)
        for step in 1...200 { try history.apply(.setAlpha(Float(step) / 1000)) }
        XCTAssertEqual(history.undoCount, 120)
        while history.undo() {}
        XCTAssertEqual(history.current.alpha, 0.08, accuracy: 1e-6)
    }

    func testReplaceIsOneUndoableStep() throws {
        var history = SessionHistory()
        try history.apply(.setAlpha(0.4))
        let opened = Session(contentPath: "/other.jpg", alpha: 0.7)
        XCTAssertTrue(history.replace(with: opened))
        XCTAssertEqual(history.current, opened)
        history.undo()
        XCTAssertEqual(history.current.alpha, 0.4)
    }
}
