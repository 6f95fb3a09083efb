import XCTest
@testable import Imaging

final class CLITestsPlaceholder: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
