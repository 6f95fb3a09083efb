import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// Every golden case of ../shared/reference/cases, within the tolerances of cases.json.
final class GoldenCaseTests: XCTestCase {
    func testEncodeLevel1() throws { try runCase("encode_l1") }
    func testEncodeLevel2() throws { try runCase("encode_l2") }
    func testEncodeLevel3() throws { try runCase("encode_l3") }
    func testEncodeLevel4() throws { try runCase("encode_l4") }
    func testEncodeLevel5() throws { try runCase("encode_l5") }
    func testDecodeLevel1() throws { try runCase("decode_l1") }
    func testDecodeLevel2() throws { try runCase("decode_l2") }
    func testDecodeLevel3() throws { try runCase("decode_l3") }
    func testDecodeLevel4() throws { try runCase("decode_l4") }
    func testDecodeLevel5() throws { try runCase("decode_l5") }
    func testFastAdaIN() throws { try runCase("fast_adain") }
    func testFastWCT() throws { try runCase("fast_wct") }
    func testFullAdaINAlpha06() throws { try runCase("full_adain_alpha06") }
    func testFullWCT() throws { try runCase("full_wct") }
    func testBlendTwoStyles() throws { try runCase("blend_two_styles") }
    func testMaskLeftRight() throws { try runCase("mask_left_right") }
    func testColorMatchWCT() throws { try runCase("color_match_wct") }
    func testColorLuminance() throws { try runCase("color_luminance") }
    func testPadding150x100() throws { try runCase("padding_150x100") }

    /// Every case listed in cases.json has a test above (a new case must not pass unnoticed).
    func testEveryListedCaseIsCovered() throws {
        let listed = try GoldenCase<UST16xCaseParameters>.index().map(\.name).sorted()
        let covered = ["encode_l1", "encode_l2", "encode_l3", "encode_l4", "encode_l5",
                       "decode_l1", "decode_l2", "decode_l3", "decode_l4", "decode_l5",
                       "fast_adain", "fast_wct", "full_adain_alpha06", "full_wct", "blend_two_styles",
                       "mask_left_right", "color_match_wct", "color_luminance", "padding_150x100"].sorted()
        XCTAssertEqual(listed, covered)
    }

    private func runCase(_ name: String) throws {
        let golden = try GoldenCase<UST16xCaseParameters>(name: name)
        try golden.assertMatchesExpected(try golden.run(model: try TestModel.shared()))
    }
}
