import XCTest
import Imaging
@testable import ProceduralStyles

/// Every painting fills a canvas of any shape with valid colours.
final class CanvasCoverageTests: XCTestCase {
    let shapes = [(128, 128), (150, 90), (90, 150), (512, 512)]

    func testPaintingsFillCanvasesOfAnyShapeWithUnitRangeColours() {
        for painting in StyleCatalog.all {
            for (index, (width, height)) in shapes.enumerated() {
                let image = painting.paint(width: width, height: height, seed: UInt64(3 + index))
                let label = "\(painting.name) at \(width)x\(height)"
                XCTAssertEqual(image.width, width, label)
                XCTAssertEqual(image.height, height, label)
                XCTAssertEqual(image.pixels.count, 3 * width * height, label)
                let bad = image.pixels.filter { !$0.isFinite || $0 < 0 || $0 > 1 }.count
                XCTAssertEqual(bad, 0, "\(label): \(bad) values outside [0, 1]")
                // A generator that leaves part of the canvas blank (or flat) fails here.
                for (qx, qy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let spread = Self.luma(image, x0: qx * width / 2, y0: qy * height / 2,
                                           x1: (qx + 1) * width / 2, y1: (qy + 1) * height / 2)
                    XCTAssertGreaterThan(spread, 0.01, "\(label): quadrant \(qx),\(qy) is flat")
                }
            }
        }
    }

    func testTinyAndExtremeShapesStayValid() {
        // The smallest gallery size and very thin canvases: no crash, no NaN, nothing out of range.
        for painting in StyleCatalog.all {
            for (width, height) in [(16, 16), (1, 40), (240, 3)] {
                let image = painting.paint(width: width, height: height, seed: 1)
                XCTAssertEqual(image.pixels.count, 3 * width * height)
                XCTAssertTrue(image.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 },
                              "\(painting.name) at \(width)x\(height)")
            }
        }
    }

    func testCatalogNamesAreUniqueFileSafeAndTitled() {
        let names = StyleCatalog.names
        XCTAssertGreaterThanOrEqual(names.count, 10)
        XCTAssertEqual(Set(names).count, names.count)
        for painting in StyleCatalog.all {
            XCTAssertTrue(painting.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, painting.name)
            XCTAssertFalse(painting.title.isEmpty)
            XCTAssertFalse(painting.summary.isEmpty)
            XCTAssertEqual(StyleCatalog.painting(named: painting.name)?.title, painting.title)
        }
        XCTAssertNil(StyleCatalog.painting(named: "no-such-style"))
    }

    /// Standard deviation of luma over a rectangle.
    static func luma(_ image: RGBImage, x0: Int, y0: Int, x1: Int, y1: Int) -> Double {
        var sum = 0.0, squares = 0.0
        let n = image.width * image.height
        for y in y0..<y1 {
            for x in x0..<x1 {
                let i = y * image.width + x
                let v = 0.299 * Double(image.pixels[i]) + 0.587 * Double(image.pixels[n + i])
                    + 0.114 * Double(image.pixels[2 * n + i])
                sum += v
                squares += v * v
            }
        }
        let count = Double((x1 - x0) * (y1 - y0))
        return max(0, squares / count - (sum / count) * (sum / count)).squareRoot()
    }
}
