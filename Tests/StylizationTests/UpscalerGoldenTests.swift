import Foundation
import Runtime
@testable import Stylization
import XCTest

/// The realesrgan_* golden cases of cases_models.json, within their tolerances, with the models
/// as `atelier models install` converts and stores them.
final class UpscalerGoldenTests: XCTestCase {
    func testX4PlusWholeImage() throws { try runCase("realesrgan_x4plus_32") }
    func testAnimeVideoV3WholeImage() throws { try runCase("realesrgan_animevideov3_48") }
    func testAnimeVideoV3Tiled() throws { try runCase("realesrgan_animevideov3_tiled") }

    /// Every realesrgan case listed in cases_models.json has a test above.
    func testEveryListedUpscalerCaseIsCovered() throws {
        struct Index: Decodable { struct Entry: Decodable { var name: String }; var cases: [Entry] }
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: SharedMaterial.cases.appendingPathComponent("cases_models.json")))
        XCTAssertEqual(index.cases.map(\.name).filter { $0.hasPrefix("realesrgan_") }.sorted(),
                       ["realesrgan_animevideov3_48", "realesrgan_animevideov3_tiled", "realesrgan_x4plus_32"])
    }

    private func runCase(_ name: String) throws {
        let golden = try UpscalerCase(name: name)
        try golden.assertMatchesExpected(try golden.run(network: try TestUpscalers.network(golden.parameters.model)))
    }
}

/// The parameters of a realesrgan_ case (cases_models.json): the model, the tile side (0: the
/// whole image), its padding and blend, and the scale.
struct UpscalerCaseParameters: GoldenCaseParameters {
    static let indexFile = "cases_models.json"
    var model: String
    var tile: Int
    var pad: Int
    var blend: Int
    var scale: Int
}

/// One realesrgan_ case folder and its tolerances in cases_models.json.
typealias UpscalerCase = GoldenCase<UpscalerCaseParameters>

extension GoldenCase where Parameters == UpscalerCaseParameters {
    /// image.npy upscaled by `network` as the photo upscaler tiles it; the output's values (CHW
    /// order), after checking the case's padding, blend, scale and the output's shape.
    func run(network: UpscalerNetwork) throws -> [Float] {
        let p = parameters
        XCTAssertEqual([p.pad, p.scale], [PhotoUpscaler.pad, 4])
        XCTAssertTrue(p.blend == 0 || p.blend == PhotoUpscaler.blend)
        let output = try PhotoUpscaler(network: network).upscale(tensor("image"), tile: p.tile)
        XCTAssertEqual([output.channels, output.height, output.width], try expected().shape, "\(name): output shape")
        return output.data
    }
}
