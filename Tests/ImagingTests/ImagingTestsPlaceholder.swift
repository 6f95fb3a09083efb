import XCTest
@testable import Imaging

final class ImagingTestsPlaceholder: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
