import XCTest
@testable import Terminal

final class TerminalTestsPlaceholder: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
