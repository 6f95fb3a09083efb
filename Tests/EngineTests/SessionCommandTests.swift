import Stylization
import XCTest
@testable import Engine

final class SessionCommandTests: XCTestCase {
    private func twoStyles() -> Session {
        Session(contentPath: "/p.jpg", styles: [StyleChoice(path: "/a.jpg"), StyleChoice(path: "/b.jpg", weight: 2)])
    }

    func testAlphaIsClampedToUnitRange() throws {
        var s = Session()
        try s.apply(.setAlpha(1.7))
        XCTAssertEqual(s.alpha, 1)
        try s.apply(.setAlpha(-0.3))
        XCTAssertEqual(s.alpha, 0)
        try s.apply(.adjustAlpha(by: 0.25))
        try s.apply(.adjustAlpha(by: 0.25))
        XCTAssertEqual(s.alpha, 0.5, accuracy: 1e-6)
        try s.apply(.adjustAlpha(by: 3))
        XCTAssertEqual(s.alpha, 1)
        XCTAssertThrowsError(try s.apply(.setAlpha(.nan))) { error in
            XCTAssertEqual(error as? SessionCommandError, .notANumber("alpha"))
        }
        XCTAssertEqual(s.alpha, 1, "a rejected command leaves the session unchanged")
    }

    func testWeightsStayNonNegative() throws {
        var s = twoStyles()
        try s.apply(.setWeight(index: 0, weight: -2))
        XCTAssertEqual(s.styles[0].weight, 0)
        try s.apply(.adjustWeight(index: 1, by: -0.5))
        XCTAssertEqual(s.styles[1].weight, 1.5)
        try s.apply(.adjustWeight(index: 1, by: -5))
        XCTAssertEqual(s.styles[1].weight, 0)
        try s.apply(.addStyle(path: "/c.jpg", weight: -1))
        XCTAssertEqual(s.styles[2].weight, 0)
        XCTAssertThrowsError(try s.apply(.setWeight(index: 0, weight: .infinity)))
    }

    func testStyleIndicesAreValidated() {
        let s = twoStyles()
        XCTAssertThrowsError(try s.applying(.setWeight(index: 2, weight: 1))) { error in
            XCTAssertEqual(error as? SessionCommandError, .noSuchStyle(index: 2, count: 2))
            XCTAssertEqual(String(describing: error), "there is no style 3: choose one of 1...2")
        }
        XCTAssertThrowsError(try s.applying(.removeStyle(index: -1)))
        XCTAssertThrowsError(try s.applying(.toggleActive(index: 5)))
        XCTAssertThrowsError(try s.applying(.setRegionBlend(.inside, [WeightedStyle(index: 7, weight: 1)])))
        XCTAssertThrowsError(try Session().applying(.moveStyle(from: 0, to: 0))) { error in
            XCTAssertEqual(String(describing: error), "there is no style 1: add a style first")
        }
    }

    func testEmptyPathsAreRejected() {
        XCTAssertThrowsError(try Session().applying(.setContent(path: "  "))) { error in
            XCTAssertEqual(error as? SessionCommandError, .emptyPath)
        }
        XCTAssertThrowsError(try Session().applying(.addStyle(path: "")))
        XCTAssertThrowsError(try Session().applying(.setMask(.image(path: ""))))
    }

    func testRemovingAStyleRemapsRegionBlends() throws {
        var s = twoStyles()
        try s.apply(.addStyle(path: "/c.jpg"))
        try s.apply(.setMaskShape(.leftRight))
        try s.apply(.setRegionBlend(.inside, [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 2, weight: 3)]))
        try s.apply(.setRegionBlend(.outside, [WeightedStyle(index: 1, weight: 1)]))
        try s.apply(.removeStyle(index: 1))
        XCTAssertEqual(s.styles.map(\.path), ["/a.jpg", "/c.jpg"])
        XCTAssertEqual(s.insideBlend, [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 3)])
        XCTAssertEqual(s.outsideBlend, [], "the removed style leaves the outside blend")
    }

    func testMovingAStyleCarriesBlendReferences() throws {
        var s = twoStyles()
        try s.apply(.addStyle(path: "/c.jpg"))
        try s.apply(.setRegionBlend(.inside, [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 2),
                                              WeightedStyle(index: 2, weight: 3)]))
        try s.apply(.moveStyle(from: 0, to: 2))
        XCTAssertEqual(s.styles.map(\.path), ["/b.jpg", "/c.jpg", "/a.jpg"])
        // Each entry still points at the same file.
        let paths = s.insideBlend.map { (s.styles[$0.index].path, $0.weight) }
        XCTAssertEqual(paths.map(\.0), ["/a.jpg", "/b.jpg", "/c.jpg"])
        XCTAssertEqual(paths.map(\.1), [1, 2, 3])
        try s.apply(.moveStyle(from: 2, to: 0))
        XCTAssertEqual(s.styles.map(\.path), ["/a.jpg", "/b.jpg", "/c.jpg"])
        XCTAssertEqual(s.insideBlend.map(\.index), [0, 1, 2])
    }

    func testPresetMaskCommands() throws {
        var s = Session()
        XCTAssertThrowsError(try s.apply(.setSplit(0.3))) { error in
            XCTAssertEqual(error as? SessionCommandError, .noPresetMask)
        }
        try s.apply(.setMaskShape(.topBottom))
        XCTAssertEqual(s.mask, .preset(PresetMask(shape: .topBottom, split: 0.5, feather: 0.05)))
        try s.apply(.setSplit(0.3))
        try s.apply(.adjustSplit(by: -0.5))
        try s.apply(.setFeather(0.9))
        XCTAssertEqual(s.mask.preset?.split, 0)
        XCTAssertEqual(s.mask.preset?.feather, PresetMask.maximumFeather)
        try s.apply(.adjustFeather(by: -0.45))
        XCTAssertEqual(s.mask.preset?.feather ?? -1, 0.05, accuracy: 1e-6)
        try s.apply(.setMaskShape(.centreEllipse))
        XCTAssertEqual(s.mask.preset?.shape, .centreEllipse)
        XCTAssertEqual(s.mask.preset?.split, 0, "changing the shape keeps split and feather")
        try s.apply(.setMask(.preset(PresetMask(shape: .leftRight, split: 3, feather: -1))))
        XCTAssertEqual(s.mask, .preset(PresetMask(shape: .leftRight, split: 1, feather: 0)))
        try s.apply(.setMask(.image(path: "/mask.png")))
        XCTAssertThrowsError(try s.apply(.adjustSplit(by: 0.1)))
        try s.apply(.setMask(.none))
        XCTAssertFalse(s.mask.hasRegions)
    }

    func testSimpleSettersAndToggles() throws {
        var s = twoStyles()
        try s.apply(.setTransform(.wct))
        try s.apply(.setQuality(.full))
        try s.apply(.setColor(.luminance))
        try s.apply(.toggleActive(index: 1))
        try s.apply(.setActive(index: 0, active: false))
        try s.apply(.replaceStyle(index: 0, path: "/z.jpg"))
        try s.apply(.setRegionBlend(.inside, [WeightedStyle(index: 1, weight: -4)]))
        try s.apply(.swapRegionBlends)
        XCTAssertEqual(s.transform, .wct)
        XCTAssertEqual(s.quality, .full)
        XCTAssertEqual(s.color, .luminance)
        XCTAssertEqual(s.styles.map(\.active), [false, false])
        XCTAssertEqual(s.styles[0], StyleChoice(path: "/z.jpg", weight: 1, active: false))
        XCTAssertEqual(s.insideBlend, [])
        XCTAssertEqual(s.outsideBlend, [WeightedStyle(index: 1, weight: 0)])
        XCTAssertEqual(s.activeBlend, [])
    }

    func testApplyingIsPure() throws {
        let s = twoStyles()
        let t = try s.applying(.setAlpha(0.2))
        XCTAssertEqual(s.alpha, 1)
        XCTAssertEqual(t.alpha, 0.2)
        XCTAssertEqual(try s.applying(.setAlpha(0.2)), t)
    }
}
