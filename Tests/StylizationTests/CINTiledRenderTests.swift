import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// The Magenta and CIN-26 networks rendered under a small memory budget (layer by layer in
/// strips of rows, whole-image instance-norm statistics, maps spilled to disk) against the
/// one-piece render on a real photo, within the golden cases' tolerances (mean 1e-4, max 2e-3).
final class CINTiledRenderTests: XCTestCase {
    /// About the smallest budget a `width` x `height` photo renders in: the baseline, the
    /// convolutions' per-thread scratch, the photo and its region maps, and 6 MB for one strip
    /// and a few maps.
    private func smallBudget(width: Int, height: Int, regions: Int = 0) -> Int {
        CINStripPlan.baselineBytes + WorkerPool.shared.threadCount * (4 << 20) + 12 * width * height
            + (regions > 0 ? 4 * (2 * regions + 1) * (width + 3) * (height + 3) : 0) + (6 << 20)
    }

    func testMagentaUnderASmallBudgetMatchesTheOnePieceRender() throws {
        try compare(try TestMagentaModels.arbitrary(), photo: try TiledFixtures.photo(640, 427),
                    settings: StylizeSettings(styles: [WeightedStyle(index: 0, weight: 1)]))
    }

    func testMagentaWithRegionsAlphaAndLuminanceMatchesTheOnePieceRender() throws {
        var settings = StylizeSettings(alpha: 0.7, color: .luminance,
                                       styles: [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 0.5)])
        settings.regions = TiledFixtures.regions(width: 602, height: 430)
        try compare(try TestMagentaModels.arbitrary(), photo: try TiledFixtures.photo(602, 430), settings: settings)
    }

    func testCIN26UnderASmallBudgetMatchesTheOnePieceRender() throws {
        try compare(try TestMagentaModels.cin26(), photo: try TiledFixtures.photo(301, 203),
                    settings: StylizeSettings(styles: [WeightedStyle(index: 19, weight: 1)]))
    }

    func testCIN26WithRegionsColourMatchAndStrengthMatchesTheOnePieceRender() throws {
        var settings = StylizeSettings(alpha: 0.8, color: .match,
                                       styles: [WeightedStyle(index: 3, weight: 1), WeightedStyle(index: 11, weight: 2)])
        settings.regions = TiledFixtures.regions(width: 262, height: 198)
        try compare(try TestMagentaModels.cin26(), photo: try TiledFixtures.photo(262, 198), settings: settings)
    }

    /// The budget decides: strips much shorter than the photo, the large maps in spill files.
    func testASmallBudgetSpillsTheLargeMapsAndKeepsTheSmallOnes() throws {
        let model = try TestMagentaModels.cin26()
        let photo = try TiledFixtures.photo(301, 203)
        var weights = [Float](repeating: 0, count: CIN26Model.styleCount)
        weights[5] = 1
        let render = try model.stylizeInStrips(content: photo, weights: weights, regions: [],
                                               options: TilingOptions(memory: smallBudget(width: 301, height: 203)),
                                               control: nil, pool: .shared)
        XCTAssertLessThan(render.plan.rows, 64)
        XCTAssertGreaterThan(render.budget.spilledMaps, 0)
        XCTAssertGreaterThan(render.budget.heldMaps, 0)
    }

    func testABudgetBelowOneStripIsRefusedWithTheSizeNeeded() throws {
        let model = try TestMagentaModels.arbitrary()
        let tiled = TiledStylizer(model: model, options: TilingOptions(memory: CINStripPlan.baselineBytes))
        XCTAssertThrowsError(try tiled.tileSize(width: 4000, height: 3000, styleSizes: [], settings: StylizeSettings())) {
            guard case TilingError.budgetTooSmall(_, _, let needed)? = $0 as? TilingError else {
                return XCTFail("unexpected error \($0)")
            }
            XCTAssertGreaterThan(needed, CINStripPlan.baselineBytes)
        }
    }

    private func compare(_ model: any StyleModel, photo: RGBImage, settings: StylizeSettings,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let content = SourceImage(image: photo, identity: "photo")
        let styles = model.family.usesBuiltinStyles ? [] : try TiledFixtures.styles(longerSide: 256)
        let untiled = try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings)
        let budget = smallBudget(width: photo.width, height: photo.height, regions: settings.regions.count)
        let stylizer = TiledStylizer(model: model, options: TilingOptions(memory: budget))
        let rows = try XCTUnwrap(try stylizer.tileSize(width: photo.width, height: photo.height, styleSizes: [],
                                                       settings: settings), "the budget did not force tiling",
                                 file: file, line: line)
        var strips = 0
        let canvas = StripCanvas(width: photo.width, height: photo.height)
        try stylizer.stylize(content: content, styles: styles, settings: settings) { strip, top in
            canvas.place(strip, top: top)
            strips += 1
        }
        let tiled = canvas.image
        let (mean, worst) = TiledFixtures.difference(tiled, untiled)
        print("\(model.family.id) \(photo.width)x\(photo.height) strips of \(rows) rows (\(strips) out): "
              + "mean abs \(mean), max abs \(worst)")
        XCTAssertGreaterThan(strips, 1, "the render was not tiled", file: file, line: line)
        XCTAssertLessThanOrEqual(mean, 1e-4, "mean abs difference", file: file, line: line)
        XCTAssertLessThanOrEqual(worst, 2e-3, "max abs difference", file: file, line: line)
    }
}
