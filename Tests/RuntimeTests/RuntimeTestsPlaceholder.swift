import XCTest
@testable import Runtime

final class RuntimeTestsPlaceholder: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
