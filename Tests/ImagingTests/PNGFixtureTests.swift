import XCTest
@testable import Imaging

/// Every PNG layout, decoded and compared pixel by pixel with the formulas that made the fixtures.
final class PNGFixtureTests: XCTestCase {
    typealias F = FixtureFormulas

    /// Reads `name` and checks every pixel against `expected(x, y) -> (r, g, b)`.
    private func check(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                       _ expected: (Int, Int) -> (Float, Float, Float)) throws {
        let image = try ImageFile.read(TestPaths.fixture(name))
        XCTAssertEqual(image.width, F.width, name, file: file, line: line)
        XCTAssertEqual(image.height, F.height, name, file: file, line: line)
        var worst: Float = 0
        for y in 0..<F.height {
            for x in 0..<F.width {
                let want = expected(x, y)
                worst = max(worst, abs(image[0, x, y] - want.0), abs(image[1, x, y] - want.1), abs(image[2, x, y] - want.2))
            }
        }
        XCTAssertLessThan(worst, 1e-6, "\(name): largest difference \(worst)", file: file, line: line)
    }

    /// Reads `name` as a mask and checks every pixel against `expected(x, y)`.
    private func checkMask(_ name: String, file: StaticString = #filePath, line: UInt = #line,
                           _ expected: (Int, Int) -> Float) throws {
        let mask = try ImageFile.readMask(TestPaths.fixture(name))
        XCTAssertEqual(mask.width, F.width, name, file: file, line: line)
        XCTAssertEqual(mask.height, F.height, name, file: file, line: line)
        var worst: Float = 0
        for y in 0..<F.height {
            for x in 0..<F.width { worst = max(worst, abs(mask[x, y] - expected(x, y))) }
        }
        XCTAssertLessThan(worst, 1e-6, "\(name) mask: largest difference \(worst)", file: file, line: line)
    }

    func testSixteenBitRGBKeepsFullPrecision() throws {
        try check("rgb16.png") { x, y in (F.f16(F.sample16(x, y, 0)), F.f16(F.sample16(x, y, 1)), F.f16(F.sample16(x, y, 2))) }
        // 8-bit rounding would lose this: neighbouring 16-bit codes must stay distinguishable.
        let image = try ImageFile.read(TestPaths.fixture("rgb16.png"))
        XCTAssertNotEqual(image[0, 1, 0] * 255, (image[0, 1, 0] * 255).rounded())
    }

    func testSixteenBitGray() throws {
        try check("gray16.png") { x, y in let v = F.f16(F.sample16(x, y, 0)); return (v, v, v) }
        try checkMask("gray16.png") { x, y in F.f16(F.sample16(x, y, 0)) }
    }

    func testGrayAlphaIsCompositedOnWhite() throws {
        try check("gray_alpha.png") { x, y in
            let v = F.overWhite(F.f8(F.sample8(x, y, 0)), F.f8(F.alpha8(x, y)))
            return (v, v, v)
        }
        let image = try ImageFile.read(TestPaths.fixture("gray_alpha.png"))
        XCTAssertEqual(image[0, 0, 0], 1, "alpha 0 at (0, 0) shows white")
    }

    func testSixteenBitGrayAlpha() throws {
        try check("gray_alpha16.png") { x, y in
            let v = F.overWhite(F.f16(F.sample16(x, y, 0)), F.f16(F.alpha16(x, y)))
            return (v, v, v)
        }
        try checkMask("gray_alpha16.png") { x, y in F.f16(F.sample16(x, y, 0)) * F.f16(F.alpha16(x, y)) }
    }

    func testPaletteWithShortTRNS() throws {
        try check("palette_trns.png") { x, y in
            let i = F.paletteIndex(x, y), entry = F.palette[i], a = F.f8(F.paletteAlpha(i))
            return (F.overWhite(F.f8(entry.0), a), F.overWhite(F.f8(entry.1), a), F.overWhite(F.f8(entry.2), a))
        }
    }

    func testFourBitPalette() throws {
        try check("palette4.png") { x, y in
            let entry = F.palette[F.paletteIndex(x, y)]
            return (F.f8(entry.0), F.f8(entry.1), F.f8(entry.2))
        }
    }

    func testTwoBitGray() throws {
        try check("gray2.png") { x, y in let v = F.f8(F.gray2(x, y) * 85); return (v, v, v) }
    }

    func testGrayTRNSMakesOneValueTransparent() throws {
        try check("gray_trns.png") { x, y in
            let v = F.sample8(x, y, 0)
            return v == F.sample8(0, 0, 0) ? (1, 1, 1) : (F.f8(v), F.f8(v), F.f8(v))
        }
        try checkMask("gray_trns.png") { x, y in (x, y) == (0, 0) ? 0 : F.f8(F.sample8(x, y, 0)) }
    }

    func testRGBAIsCompositedOnWhite() throws {
        try check("rgba.png") { x, y in
            let a = F.f8(F.alpha8(x, y))
            return (F.overWhite(F.f8(F.sample8(x, y, 0)), a), F.overWhite(F.f8(F.sample8(x, y, 1)), a),
                    F.overWhite(F.f8(F.sample8(x, y, 2)), a))
        }
    }

    func testRGBAMaskIsLuminanceTimesAlpha() throws {
        try checkMask("rgba.png") { x, y in
            let lum = 0.299 * F.f8(F.sample8(x, y, 0)) + 0.587 * F.f8(F.sample8(x, y, 1)) + 0.114 * F.f8(F.sample8(x, y, 2))
            return lum * F.f8(F.alpha8(x, y))
        }
    }

    func testInterlacedRGB() throws {
        try check("interlaced.png") { x, y in (F.f8(F.sample8(x, y, 0)), F.f8(F.sample8(x, y, 1)), F.f8(F.sample8(x, y, 2))) }
    }

    func testInterlacedSixteenBitRGBA() throws {
        try check("interlaced_rgba16.png") { x, y in
            let a = F.f16(F.alpha16(x, y))
            return (F.overWhite(F.f16(F.sample16(x, y, 0)), a), F.overWhite(F.f16(F.sample16(x, y, 1)), a),
                    F.overWhite(F.f16(F.sample16(x, y, 2)), a))
        }
    }

    func testDetectionIgnoresTheExtension() throws {
        let folder = try makeTemporaryFolder(self)
        let renamed = folder.appendingPathComponent("actually-a-png.jpg")
        try FileManager.default.copyItem(at: TestPaths.fixture("rgba.png"), to: renamed)
        XCTAssertEqual(try ImageFile.read(renamed), try ImageFile.read(TestPaths.fixture("rgba.png")))
    }
}
