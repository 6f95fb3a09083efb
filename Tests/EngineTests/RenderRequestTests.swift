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
        let library = SourceLibrary(backend: PortableMapBackend())
        let request = try RenderRequest.make(for: session, fit: .box(width: 160, height: 160), sources: library)
        XCTAssertEqual(request.content.image.width, 160)
        XCTAssertEqual(request.content.image.height, 120)
        XCTAssertEqual(request.styles.map { max($0.image.width, $0.image.height) }, [160, 160],
                       "styles are scaled to the photo's longer side")
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
        let library = SourceLibrary(backend: PortableMapBackend())
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

    func testPresetMaskBecomesTwoComplementaryRegions() throws {
        let fixtures = try Fixtures(self)
        var session = fixtures.session
        try session.apply(.addStyle(path: fixtures.styleB, weight: 1))
        try session.apply(.setActive(index: 1, active: false))
        try session.apply(.setMask(.preset(PresetMask(shape: .leftRight, split: 0.3, feather: 0.1))))
        try session.apply(.setRegionBlend(.inside, [WeightedStyle(index: 2, weight: 2)]))
        try session.apply(.setRegionBlend(.outside, [WeightedStyle(index: 1, weight: 1), WeightedStyle(index: 0, weight: 1)]))
        let library = SourceLibrary(backend: PortableMapBackend())
        let request = try RenderRequest.make(for: session, fit: .longerSide(100), sources: library)
        // Used styles: 0 and 2 (the active ones); style 1 is inactive, so it drops out everywhere.
        XCTAssertEqual(request.styles.count, 2)
        XCTAssertEqual(request.settings.styles, [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 1)])
        let regions = request.settings.regions
        XCTAssertEqual(regions.count, 2)
        XCTAssertEqual(regions[0].styles, [WeightedStyle(index: 1, weight: 2)])
        XCTAssertEqual(regions[1].styles, [WeightedStyle(index: 0, weight: 1)])
        XCTAssertEqual(regions[0].mask.width, 100)
        XCTAssertEqual(regions[0].mask.height, 75)
        XCTAssertEqual(regions[0].mask[0, 0], 1)
        XCTAssertEqual(regions[0].mask[99, 0], 0)
        for i in regions[0].mask.pixels.indices {
            XCTAssertEqual(regions[0].mask.pixels[i] + regions[1].mask.pixels[i], 1, accuracy: 1e-6)
        }
    }

    func testEmptyRegionBlendsFallBackToTheActiveStyles() throws {
        let fixtures = try Fixtures(self)
        var session = fixtures.session
        try session.apply(.setMaskShape(.centreEllipse))
        let request = try RenderRequest.make(for: session, fit: .original, sources: SourceLibrary(backend: PortableMapBackend()))
        XCTAssertEqual(request.settings.regions.map(\.styles), [request.settings.styles, request.settings.styles])
    }

    func testMaskImageFromDisk() throws {
        let fixtures = try Fixtures(self)
        let maskURL = fixtures.folder.appendingPathComponent("mask.pgm")
        try PortableMap.write(GrayImage(width: 2, height: 1, pixels: [1, 0]), to: maskURL)
        var session = fixtures.session
        try session.apply(.setMask(.image(path: maskURL.path)))
        let library = SourceLibrary(backend: PortableMapBackend())
        let request = try RenderRequest.make(for: session, fit: .original, sources: library)
        XCTAssertEqual(request.settings.regions.map(\.mask.pixels), [[1, 0], [0, 1]])
        try session.apply(.setMask(.image(path: fixtures.folder.appendingPathComponent("nope.pgm").path)))
        XCTAssertThrowsError(try RenderRequest.make(for: session, fit: .original, sources: library)) { error in
            XCTAssertEqual(String(describing: error), "nope.pgm: no such file (check the path)")
        }
    }
}
