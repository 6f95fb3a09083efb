import XCTest
@testable import Imaging

final class OrientationTests: XCTestCase {
    /// A 3x2 grey image with distinct values: row 0 = 1 2 3, row 1 = 4 5 6 (in tenths).
    private let stored = GrayImage(width: 3, height: 2, pixels: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])

    func testEveryOrientationAgainstItsDefinition() {
        // Displayed pixels row by row, as Pillow's exif_transpose lays them out.
        let expected: [ExifOrientation: (Int, Int, [Float])] = [
            .up: (3, 2, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
            .upMirrored: (3, 2, [0.3, 0.2, 0.1, 0.6, 0.5, 0.4]),
            .down: (3, 2, [0.6, 0.5, 0.4, 0.3, 0.2, 0.1]),
            .downMirrored: (3, 2, [0.4, 0.5, 0.6, 0.1, 0.2, 0.3]),
            .leftMirrored: (2, 3, [0.1, 0.4, 0.2, 0.5, 0.3, 0.6]),
            .right: (2, 3, [0.4, 0.1, 0.5, 0.2, 0.6, 0.3]),
            .rightMirrored: (2, 3, [0.6, 0.3, 0.5, 0.2, 0.4, 0.1]),
            .left: (2, 3, [0.3, 0.6, 0.2, 0.5, 0.1, 0.4]),
        ]
        for orientation in ExifOrientation.allCases {
            let shown = stored.applying(orientation)
            let want = expected[orientation]!
            XCTAssertEqual([shown.width, shown.height], [want.0, want.1], "\(orientation)")
            XCTAssertEqual(shown.pixels, want.2, "\(orientation)")
            XCTAssertEqual(orientation.swapsAxes, want.0 == 2)
        }
    }

    func testRGBPlanesTurnTogether() {
        let planes = stored.pixels + stored.pixels.map { $0 + 0.1 } + stored.pixels.map { $0 + 0.2 }
        let image = RGBImage(width: 3, height: 2, pixels: planes)
        let turned = image.applying(.right)
        let grey = stored.applying(.right)
        XCTAssertEqual(Array(turned.pixels[0..<6]), grey.pixels)
        XCTAssertEqual(Array(turned.pixels[6..<12]), grey.pixels.map { $0 + 0.1 })
        XCTAssertEqual(Array(turned.pixels[12..<18]), grey.pixels.map { $0 + 0.2 })
    }
}
