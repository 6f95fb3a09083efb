import XCTest
@testable import Imaging

final class ResizeTests: XCTestCase {
    private func checkerboard(_ width: Int, _ height: Int) -> GrayImage {
        var image = GrayImage(width: width, height: height, value: 0)
        for y in 0..<height { for x in 0..<width { image[x, y] = Float((x + y) % 2) } }
        return image
    }

    private func mean(_ values: [Float]) -> Double { values.reduce(0) { $0 + Double($1) } / Double(values.count) }

    func testConstantImageStaysConstant() {
        let image = RGBImage(width: 37, height: 23, red: 0.2, green: 0.6, blue: 0.9)
        for (w, h) in [(10, 7), (100, 61), (37, 5), (5, 80), (36, 22), (1, 1)] {
            let resized = image.resized(width: w, height: h)
            XCTAssertEqual([resized.width, resized.height], [w, h])
            for c in 0..<3 {
                let want: Float = [0.2, 0.6, 0.9][c]
                let plane = resized.pixels[(c * w * h)..<((c + 1) * w * h)]
                XCTAssertLessThan(plane.map { abs($0 - want) }.max() ?? 1, 1e-5, "\(w)x\(h) channel \(c)")
            }
        }
    }

    func testHalvingACheckerboardGivesGrey() {
        let half = checkerboard(64, 48).resized(width: 32, height: 24)
        XCTAssertLessThan(half.pixels.map { abs($0 - 0.5) }.max() ?? 1, 1e-6)
    }

    func testAreaFilterOfFourByFourIsExact() {
        let values: [Float] = [
            0.00, 0.25, 0.50, 0.75,
            1.00, 0.50, 0.25, 0.00,
            0.125, 0.375, 0.625, 0.875,
            0.50, 0.50, 1.00, 0.00,
        ]
        let small = GrayImage(width: 4, height: 4, pixels: values).resized(width: 2, height: 2)
        let topLeft: Float = (0.00 + 0.25 + 1.00 + 0.50) / 4
        let topRight: Float = (0.50 + 0.75 + 0.25 + 0.00) / 4
        let bottomLeft: Float = (0.125 + 0.375 + 0.50 + 0.50) / 4
        let bottomRight: Float = (0.625 + 0.875 + 1.00 + 0.00) / 4
        XCTAssertEqual(small.pixels, [topLeft, topRight, bottomLeft, bottomRight])
    }

    func testNonIntegerShrinkUsesCoverageWeights() {
        // 3 -> 2: output 0 covers pixel 0 fully and half of pixel 1: (a + b/2) / 1.5.
        let row = GrayImage(width: 3, height: 1, pixels: [0.9, 0.3, 0.6])
        let small = row.resized(width: 2, height: 1)
        XCTAssertEqual(small.pixels[0], (0.9 + 0.15) / 1.5, accuracy: 1e-6)
        XCTAssertEqual(small.pixels[1], (0.15 + 0.6) / 1.5, accuracy: 1e-6)
        // 5 -> 3 on a column behaves the same way.
        let column = GrayImage(width: 1, height: 5, pixels: [0, 0.3, 0.6, 0.9, 0.3])
        let three = column.resized(width: 1, height: 3)
        let middle: Float = (0.3 / 3 + 0.6 + 0.9 / 3) * 3 / 5
        XCTAssertEqual(three.pixels[1], middle, accuracy: 1e-6)
    }

    func testShrinkingPreservesTheMeanExactlyForAreaWeights() {
        var generator = SplitMix64(seed: 11)
        let pixels = (0..<(97 * 61)).map { _ in Float(generator.next() % 1000) / 999 }
        let image = GrayImage(width: 97, height: 61, pixels: pixels)
        let small = image.resized(width: 97 * 2 / 7, height: 61)
        // Each output column covers the same span; the mean of the outputs equals the input mean.
        XCTAssertEqual(mean(small.pixels), mean(pixels), accuracy: 1e-5)
    }

    func testUpscalePreservesMeanAndInterpolatesSmoothly() {
        var generator = SplitMix64(seed: 5)
        let pixels = (0..<(20 * 15)).map { _ in 0.2 + 0.6 * Float(generator.next() % 1000) / 999 }
        let image = GrayImage(width: 20, height: 15, pixels: pixels)
        let big = image.resized(width: 80, height: 60)
        XCTAssertEqual(mean(big.pixels), mean(pixels), accuracy: 0.01)
        // A linear ramp is reproduced (away from the edges) by Lanczos.
        let ramp = GrayImage(width: 16, height: 1, pixels: (0..<16).map { Float($0) / 15 })
        let smooth = ramp.resized(width: 64, height: 1)
        for x in 12..<52 {
            let source = (Float(x) + 0.5) / 4 - 0.5
            XCTAssertEqual(smooth.pixels[x], source / 15, accuracy: 2e-3, "x = \(x)")
        }
    }

    func testEnlargingKeepsValuesInRange() {
        let big = checkerboard(8, 8).resized(width: 29, height: 31)
        XCTAssertTrue(big.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertGreaterThan(big.pixels.max() ?? 0, 0.99, "Lanczos overshoot is clamped at 1")
    }

    func testAxesChooseTheirFilterIndependently() {
        // Wider and shorter at once: each row is enlarged, each column averaged.
        let image = GrayImage(width: 4, height: 4, pixels: [
            0, 0, 0, 0,
            1, 1, 1, 1,
            0, 0, 0, 0,
            1, 1, 1, 1,
        ])
        let out = image.resized(width: 9, height: 2)
        XCTAssertLessThan(out.pixels.map { abs($0 - 0.5) }.max() ?? 1, 1e-6)
    }

    func testSameSizeIsIdentity() {
        let image = RGBImage(width: 3, height: 2, pixels: (0..<18).map { Float($0) / 17 })
        XCTAssertEqual(image.resized(width: 3, height: 2), image)
    }

    func testLongerSide() {
        XCTAssertTrue(ResampleSize.fitting(width: 4000, height: 3000, longerSide: 1024) == (1024, 768))
        XCTAssertTrue(ResampleSize.fitting(width: 3000, height: 4000, longerSide: 1024) == (768, 1024))
        XCTAssertTrue(ResampleSize.fitting(width: 1000, height: 333, longerSide: 500) == (500, 167), "166.5 rounds up")
        XCTAssertTrue(ResampleSize.fitting(width: 1000, height: 332, longerSide: 500) == (500, 166))
        XCTAssertTrue(ResampleSize.fitting(width: 5000, height: 2, longerSide: 100) == (100, 1), "at least 1 px")
        XCTAssertTrue(ResampleSize.fitting(width: 7, height: 7, longerSide: 0) == (1, 1))
        let photo = RGBImage(width: 40, height: 30, red: 0.5).resized(longerSide: 16)
        XCTAssertEqual([photo.width, photo.height], [16, 12])
        let mask = GrayImage(width: 30, height: 40, value: 1).resized(longerSide: 100)
        XCTAssertEqual([mask.width, mask.height], [75, 100])
    }

    func testRealPhotoDownscaleMatchesBlockMeans() throws {
        let image = try ImageFile.read(TestPaths.image("content/chicago.png"))
        let small = image.resized(width: 96, height: 64) // exactly 4x4 blocks
        for (x, y) in [(0, 0), (50, 30), (95, 63)] {
            for c in 0..<3 {
                var sum: Float = 0
                for dy in 0..<4 { for dx in 0..<4 { sum += image[c, 4 * x + dx, 4 * y + dy] } }
                XCTAssertEqual(small[c, x, y], sum / 16, accuracy: 1e-5)
            }
        }
    }

    /// A picture with values in every range (overshooting Lanczos taps get clamped).
    private func pattern(_ width: Int, _ height: Int) -> RGBImage {
        var pixels = [Float](repeating: 0, count: 3 * width * height)
        for i in pixels.indices { pixels[i] = Float((i * 7919) % 1009) / 1008 }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    func testLargePicturesSplitIntoPiecesGiveTheSameValuesAsRowByRow() {
        // 600x1000 output values: resampled in two pieces on two threads. Only the width
        // changes, so each output row is that input row resized alone (one piece, one thread).
        let image = pattern(300, 1000)
        let big = image.resized(width: 600, height: 1000)
        var differing = 0
        for y in 0..<1000 {
            let row = RGBImage(width: 300, height: 1, pixels: (0..<3).flatMap { c in (0..<300).map { image[c, $0, y] } })
                .resized(width: 600, height: 1)
            for c in 0..<3 { for x in 0..<600 where big[c, x, y] != row[c, x, 0] { differing += 1 } }
        }
        XCTAssertEqual(differing, 0)
    }

    func testLargePicturesSplitIntoPiecesGiveTheSameValuesAsColumnByColumn() {
        // Only the height changes: each output column is that input column resized alone.
        let image = pattern(1000, 300)
        let big = image.resized(width: 1000, height: 600)
        var differing = 0
        for x in 0..<1000 {
            let column = RGBImage(width: 1, height: 300, pixels: (0..<3).flatMap { c in (0..<300).map { image[c, x, $0] } })
                .resized(width: 1, height: 600)
            for c in 0..<3 { for y in 0..<600 where big[c, x, y] != column[c, 0, y] { differing += 1 } }
        }
        XCTAssertEqual(differing, 0)
    }
}
