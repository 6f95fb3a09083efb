import XCTest
@testable import Engine

final class EngineTestsPlaceholder: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
