import Imaging
import Stylization
import XCTest
@testable import Engine

final class RenderRequestTests: XCTestCase {
    func testPlainSessionUsesActiveStylesAtThePhotosScale() throws {
        let fixtures = try Fixtures(self)
        var session = fixtures.session
        try session.apply(.setAlpha(0.6))
        try session.apply(.setTransform(.wct))
        try session.apply(.setColor(.match))
        let library = SourceLibrary(backend: CountingBackend())
        let request = try RenderRequest.make(for: session, fit: .box(width: 160, height: 160), sources: library)
        XCTAssertEqual(request.content.image.width, 160)
        XCTAssertEqual(request.content.image.height, 120)
        XCTAssertEqual(request.styles.map { max($0.image.width, $0.image.height) }, [512, 512],
                       "styles are scaled to the recipe's style size, as exports are")
        XCTAssertEqual(request.styles[1].image.height, 384)
        XCTAssertEqual(request.settings.styles, [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 0.5)])
        XCTAssertEqual(request.settings.alpha, 0.6)
        XCTAssertEqual(request.settings.transform, .wct)
        XCTAssertEqual(request.settings.color, .match)
        XCTAssertTrue(request.settings.regions.isEmpty)
    }

    func testInactiveAndZeroWeightStylesAreLeftOutAndIndicesCompacted() throws {
        let fixtures = try Fixtures(self)
        var session = fixtures.session
        try session.apply(.addStyle(path: fixtures.styleA, weight: 3))
        try session.apply(.setActive(index: 0, active: false))
        try session.apply(.setWeight(index: 1, weight: 0))
        let library = SourceLibrary(backend: CountingBackend())
        let request = try RenderRequest.make(for: session, fit: .original, sources: library)
        XCTAssertEqual(request.styles.count, 1)
        XCTAssertEqual(request.settings.styles, [WeightedStyle(index: 0, weight: 3)])
        try session.apply(.setActive(index: 2, active: false))
        XCTAssertThrowsError(try RenderRequest.make(for: session, fit: .original, sources: library)) { error in
            XCTAssertEqual(error as? RenderSetupError, .noActiveStyle)
        }
        XCTAssertThrowsError(try RenderRequest.make(for: Session(), fit: .original, sources: library)) { error in
            XCTAssertEqual(error as? RenderSetupError, .noContent)
        }
    }

    func testPresetMaskBecomesTheInsideRegionAndTheOutsideBlendTheDefault() throws {
        let fixtures = try Fixtures(self)
        var session = fixtures.session
        try session.apply(.addStyle(path: fixtures.styleB, weight: 1))
        try session.apply(.setActive(index: 1, active: false))
        try session.apply(.setMask(.preset(PresetMask(shape: .leftRight, split: 0.3, feather: 0.1))))
        try session.apply(.setRegionBlend(.inside, [WeightedStyle(index: 2, weight: 2)]))
        try session.apply(.setRegionBlend(.outside, [WeightedStyle(index: 1, weight: 1), WeightedStyle(index: 0, weight: 1)]))
        let library = SourceLibrary(backend: CountingBackend())
        let request = try RenderRequest.make(for: session, fit: .longerSide(100), sources: library, styleSide: 64)
        // Used styles: 0 (outside) and 2 (inside); style 1 is inactive, so it drops out of the outside blend.
        XCTAssertEqual(request.styles.count, 2)
        XCTAssertEqual(request.styles.map { max($0.image.width, $0.image.height) }, [64, 64])
        XCTAssertEqual(request.settings.styles, [WeightedStyle(index: 0, weight: 1)], "outside = the default blend")
        let regions = request.settings.regions
        XCTAssertEqual(regions.count, 1, "the stylizer gives the default blend exactly 1 - mask")
        XCTAssertEqual(regions[0].styles, [WeightedStyle(index: 1, weight: 2)])
        XCTAssertEqual(regions[0].mask.width, 100)
        XCTAssertEqual(regions[0].mask.height, 75)
        XCTAssertEqual(regions[0].mask, PresetMask(shape: .leftRight, split: 0.3, feather: 0.1).render(width: 100, height: 75))
    }

    func testEmptyRegionBlendsFallBackToTheActiveStyles() throws {
        let fixtures = try Fixtures(self)
        var session = fixtures.session
        try session.apply(.setMaskShape(.centreEllipse))
        let request = try RenderRequest.make(for: session, fit: .original, sources: SourceLibrary(backend: CountingBackend()))
        XCTAssertEqual(request.settings.regions.map(\.styles), [request.settings.styles])
        XCTAssertEqual(request.settings.styles, [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 0.5)])
        try session.apply(.setActive(index: 0, active: false))
        try session.apply(.setActive(index: 1, active: false))
        try session.apply(.setRegionBlend(.inside, [WeightedStyle(index: 0, weight: 1)]))
        XCTAssertThrowsError(try RenderRequest.make(for: session, fit: .original, sources: SourceLibrary()),
                             "inactive styles are left out of region blends too")
    }

    func testMaskImageFromDisk() throws {
        let fixtures = try Fixtures(self)
        let maskURL = fixtures.folder.appendingPathComponent("mask.png")
        try TestPictures.write(GrayImage(width: 2, height: 1, pixels: [1, 0]), to: maskURL)
        var session = fixtures.session
        try session.apply(.setMask(.image(path: maskURL.path)))
        let library = SourceLibrary(backend: CountingBackend())
        let request = try RenderRequest.make(for: session, fit: .original, sources: library)
        let mask = try XCTUnwrap(request.settings.regions.first?.mask)
        XCTAssertEqual(mask.width, 320, "the mask is resampled to the photo's size")
        XCTAssertEqual(mask.height, 240)
        XCTAssertEqual(mask[0, 0], 1)
        XCTAssertEqual(mask[319, 239], 0)
        try session.apply(.setMask(.image(path: fixtures.folder.appendingPathComponent("nope.png").path)))
        XCTAssertThrowsError(try RenderRequest.make(for: session, fit: .original, sources: library)) { error in
            XCTAssertEqual(String(describing: error), "nope.png: no such file (check the path)")
        }
    }
}
