import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// Every magenta_* and cin26_* golden case of ../shared/reference/cases/cases_models.json, within
/// its tolerances, run on the networks imported from the shared wheel.
final class MagentaGoldenCaseTests: XCTestCase {
    func testPredict() throws { try runCase("magenta_predict") }
    func testContentVector() throws { try runCase("magenta_content_vector") }
    func testStylize() throws { try runCase("magenta_stylize") }
    func testBlendTwo() throws { try runCase("magenta_blend_two") }
    func testAlpha05() throws { try runCase("magenta_alpha05") }
    func testOdd101x75() throws { try runCase("magenta_odd_101x75") }
    func testRegionLeftRight() throws { try runCase("magenta_region_left_right") }
    func testCIN26Style19() throws { try runCase("cin26_style19") }
    func testCIN26Mix3() throws { try runCase("cin26_mix3") }
    func testCIN26Odd101x75() throws { try runCase("cin26_odd_101x75") }
    func testCIN26RegionSoft() throws { try runCase("cin26_region_soft") }
    func testCIN26Strength06Luminance() throws { try runCase("cin26_strength06_luminance") }

    /// Every magenta_/cin26_ case listed has a test above.
    func testEveryListedCaseIsCovered() throws {
        let listed = try ModelCase.index().map(\.name).filter { $0.hasPrefix("magenta_") || $0.hasPrefix("cin26_") }.sorted()
        XCTAssertEqual(listed, ["cin26_mix3", "cin26_odd_101x75", "cin26_region_soft", "cin26_strength06_luminance",
                                "cin26_style19", "magenta_alpha05", "magenta_blend_two", "magenta_content_vector",
                                "magenta_odd_101x75", "magenta_predict", "magenta_region_left_right", "magenta_stylize"])
    }

    private func runCase(_ name: String) throws {
        let golden = try ModelCase(name: name)
        try golden.assertMatchesExpected(try golden.run())
    }
}

/// The parameters of a magenta_/cin26_ case (cases_models.json).
struct ModelCaseParameters: GoldenCaseParameters {
    static let indexFile = "cases_models.json"
    var kind: String
    var style_weights: [Float]?
    var alpha: Float?
    var strength: Float?
    var color: String?
    var regions: [[[Double]]]?
}

/// One magenta_/cin26_ case folder and its tolerances in cases_models.json.
typealias ModelCase = GoldenCase<ModelCaseParameters>

extension GoldenCase where Parameters == ModelCaseParameters {
    func mask(_ i: Int) throws -> [Float] { try array("mask\(i)").values }

    /// The case run through the Swift implementation; the output's values (CHW order). The
    /// models are the shared ones unless given.
    func run(arbitrary: ArbitraryStyleModel? = nil, cin26: CIN26Model? = nil) throws -> [Float] {
        let p = parameters
        func arbitraryModel() throws -> ArbitraryStyleModel { try arbitrary ?? TestMagentaModels.arbitrary() }
        let color = p.color.flatMap(ColorPreservation.init(rawValue:)) ?? .off
        switch p.kind {
        case "magenta_predict":
            return try arbitraryModel().predictor.styleVector(tensor("style"))
        case "magenta_content_vector":
            return try arbitraryModel().styleVector(for: image("content"))
        case "magenta_stylize":
            let weights = p.style_weights ?? [1]
            let vectors = try weights.indices.map { try array("style\($0)_vector").values }
            let alpha = p.alpha ?? 1
            let contentVector = alpha == 1 ? nil : try array("content_vector").values
            func final(_ blend: [(Int, Float)]) -> [Float] {
                let used = blend.filter { $0.1 > 0 }
                let s = ArbitraryStyleModel.blend(used.map { vectors[$0.0] }, weights: used.map(\.1))
                return contentVector.map { ArbitraryStyleModel.applyAlpha(s, alpha: alpha, contentVector: $0) } ?? s
            }
            let base = final(weights.enumerated().map { ($0.offset, $0.element) })
            let regions = try (p.regions ?? []).enumerated().map { i, blend in
                CINRegion(mask: try mask(i), parameter: final(blend.map { (Int($0[0]), Float($0[1])) }))
            }
            XCTAssertEqual(color, .off)
            return try arbitraryModel().stylize(content: image("content"), vector: base, regions: regions).pixels
        case "cin26_stylize":
            let regions = try (p.regions ?? []).enumerated().map { i, blend -> CINRegion in
                var w = [Float](repeating: 0, count: 26)
                for pair in blend { w[Int(pair[0])] += Float(pair[1]) }
                return CINRegion(mask: try mask(i), parameter: w)
            }
            return try (cin26 ?? TestMagentaModels.cin26()).stylize(content: image("content"), weights: p.style_weights!,
                                                         strength: p.strength ?? 1, regions: regions, color: color).pixels
        default:
            throw NumpyArray.ReadError.malformed(name, "unknown kind \(p.kind)")
        }
    }
}
