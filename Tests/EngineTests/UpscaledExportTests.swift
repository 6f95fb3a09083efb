import Engine
import Foundation
import Imaging
import Stylization
import XCTest

/// The workstation's export with the photo enlarged by an upscaler first (`2x`/`4x` at the size prompt).
final class UpscaledExportTests: XCTestCase {
    func testUpscaledExportIsTwiceTheSizeAndRecordsTheUpscale() throws {
        try RealModel.require()
        let folder = try makeScratchFolder(self)
        let home = folder.appendingPathComponent("home")
        try UpscalerStore(home: home).install(from: sharedFolder().appendingPathComponent("models"), progress: { _ in })
        let session = Session(contentPath: RealModel.image("content/chicago.png"),
                              styles: [StyleChoice(path: RealModel.image("style/picasso.jpg"))])
        let output = folder.appendingPathComponent("up.png")
        let job = ExportJob.start(session: session, to: output, longerSide: 64,
                                  upscale: PhotoUpscale(factor: 2, upscaler: "fast"), upscalerHome: home,
                                  model: { try RealModel.load() })
        guard case .finished(let result) = job.wait() else { return XCTFail("export failed: \(job.state)") }
        XCTAssertEqual(result.width, 128)
        let recipe = try RenderRecipe.load(from: result.recipeURL)
        XCTAssertEqual(recipe.upscale?.factor, 2)
        XCTAssertEqual(recipe.upscale?.tile, 0)
        XCTAssertNotNil(recipe.modelFiles[UpscalerModel.fast.layersFileName])
        XCTAssertEqual(try ImageFile.read(output).width, 128)
    }
}
