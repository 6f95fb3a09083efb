import XCTest
@testable import Imaging

/// JPEG colour spaces and EXIF orientation, against values Pillow decodes from the same files
/// (±1/255: decoders may differ in IDCT and upsampling).
final class JPEGFixtureTests: XCTestCase {
    /// Pillow's `ImageOps.exif_transpose` of orientation1...8.jpg (a 32x16 image with red, green,
    /// blue and yellow quadrants): displayed size and the corners TL, TR, BL, BR.
    static let oriented: [(size: (Int, Int), corners: [(Int, Int, Int)])] = [
        ((32, 16), [(230, 30, 40), (39, 200, 60), (30, 60, 220), (239, 230, 39)]),
        ((32, 16), [(39, 200, 60), (230, 30, 40), (239, 230, 39), (30, 60, 220)]),
        ((32, 16), [(239, 230, 39), (30, 60, 220), (39, 200, 60), (230, 30, 40)]),
        ((32, 16), [(30, 60, 220), (239, 230, 39), (230, 30, 40), (39, 200, 60)]),
        ((16, 32), [(230, 30, 40), (30, 60, 220), (39, 200, 60), (239, 230, 39)]),
        ((16, 32), [(30, 60, 220), (230, 30, 40), (239, 230, 39), (39, 200, 60)]),
        ((16, 32), [(239, 230, 39), (39, 200, 60), (30, 60, 220), (230, 30, 40)]),
        ((16, 32), [(39, 200, 60), (239, 230, 39), (230, 30, 40), (30, 60, 220)]),
    ]

    func testEveryExifOrientationIsApplied() throws {
        for (index, expected) in Self.oriented.enumerated() {
            let name = "orientation\(index + 1).jpg"
            let image = try ImageFile.read(TestPaths.fixture(name))
            XCTAssertEqual(image.width, expected.size.0, name)
            XCTAssertEqual(image.height, expected.size.1, name)
            let corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1), (image.width - 1, image.height - 1)]
            for (corner, rgb) in zip(corners, expected.corners) {
                assertPixel(image, corner.0, corner.1, rgb, name)
            }
        }
    }

    func testOrientationSixTurnsClockwise() throws {
        // Stored: red top-left, blue bottom-left. Turned 90 degrees clockwise, blue comes to the
        // top-left and red to the top-right.
        let image = try ImageFile.read(TestPaths.fixture("orientation6.jpg"))
        XCTAssertEqual([image.width, image.height], [16, 32])
        XCTAssertGreaterThan(image[2, 0, 0], 0.8, "top-left is blue")
        XCTAssertGreaterThan(image[0, 15, 0], 0.8, "top-right is red")
    }

    func testOrientationAppliesToMasks() throws {
        let mask = try ImageFile.readMask(TestPaths.fixture("orientation3.jpg"))
        XCTAssertEqual([mask.width, mask.height], [32, 16])
        // Rotated 180: the yellow quadrant (bright) is now top-left, red (dark) bottom-right.
        let yellow: Float = 0.299 * 239 / 255 + 0.587 * 230 / 255 + 0.114 * 39 / 255
        let red: Float = 0.299 * 230 / 255 + 0.587 * 30 / 255 + 0.114 * 40 / 255
        XCTAssertEqual(mask[0, 0], yellow, accuracy: 1.5 / 255)
        XCTAssertEqual(mask[31, 15], red, accuracy: 1.5 / 255)
    }

    func testAdobeCMYK() throws {
        // Pillow: cmyk.jpg converted to RGB at the centres of its four 8x8 quadrants.
        let image = try ImageFile.read(TestPaths.fixture("cmyk.jpg"))
        XCTAssertEqual([image.width, image.height], [16, 16])
        assertPixel(image, 3, 3, (255, 0, 0), "cmyk")
        assertPixel(image, 12, 3, (49, 225, 93), "cmyk")
        assertPixel(image, 3, 12, (82, 109, 135), "cmyk")
        assertPixel(image, 12, 12, (255, 255, 255), "cmyk")
    }

    func testAdobeYCCK() throws {
        // Pillow: ycck.jpg (the same inks stored as YCCK, Adobe transform 2) converted to RGB.
        let image = try ImageFile.read(TestPaths.fixture("ycck.jpg"))
        XCTAssertEqual([image.width, image.height], [16, 16])
        assertPixel(image, 3, 3, (255, 0, 0), "ycck")
        assertPixel(image, 12, 3, (49, 225, 93), "ycck")
        assertPixel(image, 3, 12, (82, 109, 134), "ycck")
        assertPixel(image, 12, 12, (255, 255, 255), "ycck")
    }

    func testCMYKWithoutAdobeMarkerIsAlsoReadInverted() throws {
        let plain = try ImageFile.read(TestPaths.fixture("cmyk_no_adobe.jpg"))
        let adobe = try ImageFile.read(TestPaths.fixture("cmyk.jpg"))
        XCTAssertEqual(plain, adobe)
    }

    func testExifParserRejectsMalformedPayloads() {
        func orientation(_ bytes: [UInt8]) -> Int { ExifOrientation(exifPayload: bytes).rawValue }
        let good: [UInt8] = Array("Exif".utf8) + [0, 0] + Array("II".utf8) + [42, 0, 8, 0, 0, 0, 1, 0,
                                                                              0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]
        XCTAssertEqual(orientation(good), 6)
        XCTAssertEqual(orientation(Array(good.prefix(20))), 1, "entry cut off")
        var badOffset = good
        badOffset[10] = 200
        XCTAssertEqual(orientation(badOffset), 1, "IFD offset beyond the end")
        var badValue = good
        badValue[24] = 9
        XCTAssertEqual(orientation(badValue), 1, "orientation 9 does not exist")
        var badType = good
        badType[18] = 4
        XCTAssertEqual(orientation(badType), 1, "orientation must be a SHORT")
        XCTAssertEqual(orientation([]), 1)
    }
}
