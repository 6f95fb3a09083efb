import XCTest
@testable import Imaging

/// Every image in the shared folder, against dimensions and pixels Pillow reports
/// (`Image.open(f).convert("RGB").getpixel(...)`); ±1/255 for JPEG.
final class RealImageTests: XCTestCase {
    static let expectations: [(file: String, width: Int, height: Int, pixels: [(Int, Int, Int, Int, Int)])] = [
        ("content/blossom.jpg", 2048, 2048, [(0, 0, 154, 195, 189), (2047, 2047, 176, 177, 181), (1024, 682, 159, 151, 148), (682, 1365, 108, 107, 105), (2047, 0, 145, 191, 188)]),
        ("content/bridge.jpg", 512, 512, [(0, 0, 134, 172, 209), (511, 511, 31, 46, 51), (256, 170, 236, 253, 243), (170, 341, 94, 93, 101), (511, 0, 195, 214, 228)]),
        ("content/chicago.png", 384, 256, [(0, 0, 117, 169, 226), (383, 255, 85, 142, 151), (192, 85, 58, 74, 93), (128, 170, 93, 80, 79), (383, 0, 166, 197, 235)]),
        ("content/face.jpg", 1024, 1024, [(0, 0, 21, 23, 20), (1023, 1023, 185, 160, 153), (512, 341, 156, 87, 71), (341, 682, 157, 63, 55), (1023, 0, 221, 193, 47)]),
        ("content/portrait.jpg", 420, 420, [(0, 0, 108, 71, 52), (419, 419, 255, 255, 255), (210, 140, 235, 186, 153), (140, 280, 235, 185, 152), (419, 0, 113, 81, 60)]),
        ("style/antimonocromatismo.jpg", 512, 512, [(0, 0, 228, 225, 236), (511, 511, 224, 221, 216), (256, 170, 149, 67, 55), (170, 341, 166, 175, 182), (511, 0, 218, 230, 210)]),
        ("style/circles.jpg", 570, 570, [(0, 0, 253, 253, 253), (569, 569, 255, 255, 255), (285, 190, 255, 255, 255), (190, 380, 255, 255, 255), (569, 0, 254, 254, 254)]),
        ("style/ink_face.jpg", 461, 681, [(0, 0, 255, 255, 255), (460, 680, 255, 255, 255), (230, 227, 0, 0, 0), (153, 454, 255, 255, 255), (460, 0, 255, 255, 255)]),
        ("style/matisse_hat.jpg", 591, 800, [(0, 0, 211, 219, 204), (590, 799, 156, 125, 140), (295, 266, 55, 57, 118), (197, 533, 158, 184, 219), (590, 0, 241, 209, 186)]),
        ("style/picasso.jpg", 597, 766, [(0, 0, 151, 74, 6), (596, 765, 255, 255, 251), (298, 255, 138, 90, 70), (199, 510, 217, 144, 67), (596, 0, 255, 236, 81)]),
        ("style/sketch.jpg", 300, 300, [(0, 0, 242, 242, 242), (299, 299, 228, 228, 228), (150, 100, 250, 250, 250), (100, 200, 230, 230, 230), (299, 0, 246, 246, 246)]),
        ("style/splash.jpg", 2048, 2048, [(0, 0, 1, 20, 37), (2047, 2047, 175, 194, 209), (1024, 682, 140, 173, 204), (682, 1365, 153, 179, 204), (2047, 0, 0, 39, 72)]),
        ("style/whorls.jpg", 256, 256, [(0, 0, 87, 14, 7), (255, 255, 90, 16, 0), (128, 85, 92, 1, 6), (85, 170, 149, 120, 60), (255, 0, 104, 17, 0)]),
    ]

    func testEverySharedImageDecodesLikePillow() throws {
        for expected in Self.expectations {
            let image = try ImageFile.read(TestPaths.image(expected.file))
            XCTAssertEqual(image.width, expected.width, expected.file)
            XCTAssertEqual(image.height, expected.height, expected.file)
            let tolerance: Float = expected.file.hasSuffix(".png") ? 0 : 1
            for p in expected.pixels {
                assertPixel(image, p.0, p.1, (p.2, p.3, p.4), tolerance: tolerance, expected.file)
            }
            XCTAssertTrue(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, expected.file)
        }
    }

    func testThePNGIsExactEverywhere() throws {
        // chicago.png is lossless: the whole image must equal Pillow's bytes; compare a checksum.
        let image = try ImageFile.read(TestPaths.image("content/chicago.png"))
        let bytes = image.rgb8Interleaved()
        let sum = bytes.enumerated().reduce(0) { $0 &+ Int($1.element) &* ($1.offset % 251 + 1) }
        XCTAssertEqual(sum, Self.chicagoChecksum)
    }

    /// `sum(b * (i % 251 + 1))` over Pillow's interleaved RGB bytes of chicago.png.
    static let chicagoChecksum = 5_520_660_116

    func testGreyJPEGIsNeutralAndItsMaskIsTheGreyValue() throws {
        let url = TestPaths.image("style/sketch.jpg")
        let image = try ImageFile.read(url)
        let n = image.planeSize
        XCTAssertTrue((0..<n).allSatisfy { image.pixels[$0] == image.pixels[n + $0] && image.pixels[$0] == image.pixels[2 * n + $0] })
        let mask = try ImageFile.readMask(url)
        XCTAssertEqual(mask.pixels, Array(image.pixels[0..<n]))
    }

    func testMaskOfAColourPhotoIsBT601Luminance() throws {
        let url = TestPaths.image("content/chicago.png")
        let image = try ImageFile.read(url)
        let mask = try ImageFile.readMask(url)
        for (x, y) in [(0, 0), (192, 85), (383, 255)] {
            let lum = 0.299 * image[0, x, y] + 0.587 * image[1, x, y] + 0.114 * image[2, x, y]
            XCTAssertEqual(mask[x, y], lum, accuracy: 1e-6)
        }
    }
}
