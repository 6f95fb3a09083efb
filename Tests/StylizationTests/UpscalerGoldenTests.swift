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
        struct Case: Decodable { var model: String; var tile: Int; var pad: Int; var blend: Int; var scale: Int }
        struct Index: Decodable { struct Entry: Decodable { var name: String; var mean_abs_tol: Double; var max_abs_tol: Double }; var cases: [Entry] }
        let folder = SharedMaterial.cases.appendingPathComponent(name)
        let spec = try JSONDecoder().decode(Case.self, from: Data(contentsOf: folder.appendingPathComponent("case.json")))
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: SharedMaterial.cases.appendingPathComponent("cases_models.json")))
        let tolerance = try XCTUnwrap(index.cases.first { $0.name == name })
        XCTAssertEqual([spec.pad, spec.scale], [PhotoUpscaler.pad, 4])
        XCTAssertTrue(spec.blend == 0 || spec.blend == PhotoUpscaler.blend)
        let image = try NumpyArray(contentsOf: folder.appendingPathComponent("image.npy"))
        let expected = try NumpyArray(contentsOf: folder.appendingPathComponent("expected.npy"))
        let upscaler = PhotoUpscaler(network: try TestUpscalers.network(spec.model))
        let input = Tensor(channels: image.shape[0], height: image.shape[1], width: image.shape[2], data: image.values)
        let output = try upscaler.upscale(input, tile: spec.tile)
        XCTAssertEqual([output.channels, output.height, output.width], expected.shape, "\(name): output shape")
        guard output.count == expected.values.count else { return }
        var sum = 0.0, worst: Float = 0
        for (a, b) in zip(output.data, expected.values) {
            let d = abs(a - b)
            sum += Double(d)
            worst = max(worst, d)
        }
        let mean = sum / Double(output.count)
        print("golden \(name): mean abs \(String(format: "%.2e", mean)) (tol \(tolerance.mean_abs_tol)), max abs \(String(format: "%.2e", worst)) (tol \(tolerance.max_abs_tol))")
        XCTAssertLessThanOrEqual(mean, tolerance.mean_abs_tol, "\(name): mean abs difference")
        XCTAssertLessThanOrEqual(Double(worst), tolerance.max_abs_tol, "\(name): max abs difference")
    }
}
