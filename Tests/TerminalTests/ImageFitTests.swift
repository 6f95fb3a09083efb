import XCTest
import Imaging
@testable import Terminal

final class ImageFitTests: XCTestCase {
    func testPixelFitLetterboxesVertically() {
        // 200x100 into 80x24 cells of 10x20 px = 800x480 px: scale 4 -> 800x400, 40 px bars.
        let fit = ImageFit.fitting(imageWidth: 200, imageHeight: 100, columns: 80, rows: 24,
                                   cellPixels: CellPixelSize(width: 10, height: 20), samplesPerCell: (10, 20))
        XCTAssertEqual(fit, ImageFit(width: 800, height: 400, x: 0, y: 40, canvasWidth: 800, canvasHeight: 480))
    }

    func testPixelFitPillarboxesHorizontally() {
        // Square 300x300 into 40x10 cells of 8x16 = 320x160 px: 160x160 centred at x = 80.
        let fit = ImageFit.fitting(imageWidth: 300, imageHeight: 300, columns: 40, rows: 10,
                                   cellPixels: CellPixelSize(width: 8, height: 16), samplesPerCell: (8, 16))
        XCTAssertEqual(fit, ImageFit(width: 160, height: 160, x: 80, y: 0, canvasWidth: 320, canvasHeight: 160))
    }

    func testHalfBlockSamplesKeepScreenAspect() {
        // Square image, 40x20 cells of 10x20 px = 400x400 px: fills the whole rect,
        // i.e. 40 columns x 40 half-rows.
        let fit = HalfBlockAdapter.fit(imageWidth: 512, imageHeight: 512,
                                       in: CellRect(row: 0, column: 0, columns: 40, rows: 20),
                                       cellPixels: CellPixelSize(width: 10, height: 20))
        XCTAssertEqual(fit, ImageFit(width: 40, height: 40, x: 0, y: 0, canvasWidth: 40, canvasHeight: 40))
        // A 2:1 image in 80x24 cells: 800x400 px of 800x480 -> 80 x 40 half-rows, 4 half-rows (2 cells) down.
        let wide = HalfBlockAdapter.fit(imageWidth: 1000, imageHeight: 500,
                                        in: CellRect(row: 0, column: 0, columns: 80, rows: 24),
                                        cellPixels: CellPixelSize(width: 10, height: 20))
        XCTAssertEqual(wide, ImageFit(width: 80, height: 40, x: 0, y: 4, canvasWidth: 80, canvasHeight: 48))
    }

    func testAsciiFitAndEmptyRects() {
        // ascii: one sample per 10x20 px cell; a square image in 30x10 cells (300x200 px) is 200x200 px = 20x10 cells.
        let fit = ImageFit.fitting(imageWidth: 64, imageHeight: 64, columns: 30, rows: 10,
                                   cellPixels: .fallback, samplesPerCell: (1, 1))
        XCTAssertEqual(fit, ImageFit(width: 20, height: 10, x: 5, y: 0, canvasWidth: 30, canvasHeight: 10))
        XCTAssertNil(ImageFit.fitting(imageWidth: 64, imageHeight: 64, columns: 0, rows: 10,
                                      cellPixels: .fallback, samplesPerCell: (1, 1)))
        // A tall sliver never collapses below one sample.
        let sliver = ImageFit.fitting(imageWidth: 1, imageHeight: 5000, columns: 10, rows: 10,
                                      cellPixels: .fallback, samplesPerCell: (1, 1))
        XCTAssertEqual(sliver?.width, 1)
        XCTAssertEqual(sliver?.height, 10)
    }

    func testRasterUsesAreaAveragingWhenShrinking() {
        // 4x2 -> 2x1 box average.
        let image = RGBImage(width: 4, height: 2, rgb8: [
            0, 0, 0, 100, 100, 100, 200, 0, 0, 0, 0, 0,
            40, 40, 40, 60, 60, 60, 0, 0, 0, 0, 200, 0,
        ])
        let down = Raster(resampling: image, width: 2, height: 1)
        XCTAssertEqual(down.bytes, [50, 50, 50, 50, 50, 0])
        // A constant image stays constant when enlarged.
        let flat = Raster(resampling: RGBImage(width: 3, height: 3, red: 0.2, green: 0.4, blue: 0.6), width: 7, height: 5)
        XCTAssertEqual(flat.width, 7)
        XCTAssertTrue(stride(from: 0, to: flat.bytes.count, by: 3).allSatisfy {
            flat.bytes[$0] == 51 && flat.bytes[$0 + 1] == 102 && flat.bytes[$0 + 2] == 153
        })
        // Same size: the pixels as they are.
        XCTAssertEqual(Raster(resampling: image, width: 4, height: 2).bytes, image.rgb8Interleaved())
    }
}
