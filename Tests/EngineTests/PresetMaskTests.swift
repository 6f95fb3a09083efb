import Imaging
import XCTest
@testable import Engine

final class PresetMaskTests: XCTestCase {
    func testHardLeftRightSplitFollowsTheSplitPosition() throws {
        let mask = try XCTUnwrap(PresetMask(shape: .leftRight, split: 0.25, feather: 0).render(width: 40, height: 3))
        for y in 0..<3 {
            for x in 0..<40 { XCTAssertEqual(mask[x, y], x < 10 ? 1 : 0, "x=\(x)") }
        }
        let moved = try XCTUnwrap(PresetMask(shape: .leftRight, split: 0.75, feather: 0).render(width: 40, height: 3))
        XCTAssertEqual(moved.pixels.filter { $0 == 1 }.count, 30 * 3)
    }

    func testFeatherMakesASmoothMonotoneRampCentredOnTheSplit() throws {
        let width = 200
        let mask = try XCTUnwrap(PresetMask(shape: .leftRight, split: 0.5, feather: 0.2).render(width: width, height: 1))
        // The band is 0.2 * 200 = 40 px wide, centred on x = 100.
        XCTAssertEqual(mask[79, 0], 1)
        XCTAssertEqual(mask[120, 0], 0)
        XCTAssertEqual(mask[99, 0] + mask[100, 0], 1, accuracy: 1e-5, "symmetric around the boundary")
        XCTAssertEqual(mask[99, 0], 0.5, accuracy: 0.04)
        // Pixel 90's centre is at u = 90.5 / 200: t = 0.5 + (0.5 - u) / 0.2 = 0.7375.
        XCTAssertEqual(mask[90, 0], 0.7375 * 0.7375 * (3 - 2 * 0.7375), accuracy: 1e-5, "smoothstep across the band")
        for x in 1..<width { XCTAssertLessThanOrEqual(mask[x, 0], mask[x - 1, 0]) }
        let soft = mask.pixels.filter { $0 > 0 && $0 < 1 }.count
        XCTAssertEqual(soft, 40, accuracy: 1)
    }

    func testTopBottomIsInsideAtTheTop() throws {
        let mask = try XCTUnwrap(PresetMask(shape: .topBottom, split: 0.6, feather: 0).render(width: 2, height: 10))
        XCTAssertEqual((0..<10).map { mask[1, $0] }, [1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
    }

    func testCentreEllipseScalesWithSplitAndFollowsTheAspect() throws {
        let mask = try XCTUnwrap(PresetMask(shape: .centreEllipse, split: 1, feather: 0).render(width: 100, height: 50))
        XCTAssertEqual(mask[50, 25], 1)
        XCTAssertEqual(mask[0, 0], 0)
        XCTAssertEqual(mask[99, 49], 0)
        XCTAssertEqual(mask[2, 25], 1, "the ellipse touches the left and right sides")
        XCTAssertEqual(mask[50, 1], 1, "and the top and bottom")
        XCTAssertEqual(mask[10, 5], 0, "but not the corners")
        let small = try XCTUnwrap(PresetMask(shape: .centreEllipse, split: 0.5, feather: 0).render(width: 100, height: 50))
        let area = small.pixels.reduce(0, +) / Float(100 * 50)
        XCTAssertEqual(area, Float.pi * 0.25 * 0.25, accuracy: 0.01, "a quarter-radius circle in normalised units")
        let soft = try XCTUnwrap(PresetMask(shape: .centreEllipse, split: 0.5, feather: 0.1).render(width: 100, height: 100))
        XCTAssertEqual(soft[50, 50], 1)
        XCTAssertGreaterThan(soft[74, 50], 0.5, "the boundary (radius 25 px) is half way: just inside...")
        XCTAssertLessThan(soft[75, 50], 0.5, "...and just outside")
        XCTAssertEqual(soft[75, 50], 0.424, accuracy: 0.01)
        XCTAssertEqual(soft[95, 50], 0)
    }

    func testRenderRejectsEmptySizes() {
        XCTAssertNil(PresetMask(shape: .leftRight).render(width: 0, height: 10))
    }
}

final class PresetMaskCacheTests: XCTestCase {
    func testTheLibraryKeepsRenderedPresetsPerSize() throws {
        let library = SourceLibrary()
        let preset = PresetMask(shape: .centreEllipse, split: 0.5, feather: 0.1)
        let first = try XCTUnwrap(library.presetMask(preset, width: 64, height: 48))
        XCTAssertEqual(first, preset.render(width: 64, height: 48))
        XCTAssertEqual(library.presetMask(preset, width: 64, height: 48), first)
        var moved = preset
        moved.split = 0.6
        XCTAssertNotEqual(library.presetMask(moved, width: 64, height: 48), first, "a moved split renders anew")
        XCTAssertEqual(library.presetMask(preset, width: 32, height: 24)?.width, 32)
    }
}
