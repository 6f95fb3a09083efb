import XCTest
@testable import Stylization

final class StylizationTestsPlaceholder: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
