import XCTest
import Imaging
@testable import Terminal

final class SixelEncoderTests: XCTestCase {
    /// Weighted distance used by the encoder's palette lookup.
    private func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }

    /// How much farther (weighted RGB distance) the chosen colour is than the nearest register.
    /// The encoder judges nearness at the centre of the pixel's 4x4x4 colour cell, at most
    /// sqrt(3*4 + 4*4 + 2*4) = 6 away from the pixel, so the excess is at most 2 * 6 = 12.
    private func excess(_ got: (UInt8, UInt8, UInt8), _ want: (UInt8, UInt8, UInt8), _ best: Int) -> Double {
        Double(distance(got, want)).squareRoot() - Double(best).squareRoot()
    }

    private func raster(_ image: RGBImage) -> Raster {
        Raster(width: image.width, height: image.height, bytes: image.rgb8Interleaved())
    }

    func testFlatColoursRoundTripExactlyWithTransparentOffset() throws {
        let colours: [(UInt8, UInt8, UInt8)] = [(255, 0, 0), (0, 128, 0), (20, 40, 200), (250, 250, 250), (0, 0, 0)]
        let image = TestImages.stripes(width: 50, height: 13, colors: colours)
        let bytes = SixelEncoder(maxColors: 256, dithering: .none).encode(raster(image), x: 3, y: 4)
        let picture = try SixelDecoder.decode(bytes)
        XCTAssertEqual(picture.width, 53)
        XCTAssertEqual(picture.height, 17)
        XCTAssertEqual(picture.registers.count, 5, "five colours need five registers")
        for y in 0..<picture.height {
            for x in 0..<picture.width {
                let got = picture.at(x, y)
                if x < 3 || y < 4 {
                    XCTAssertNil(got.map { "\($0)" }, "offset pixel (\(x), \(y)) must stay transparent")
                    continue
                }
                let source = colours[(x - 3) * colours.count / 50]
                let expected = SixelEncoder.sixelRounded(TrueColor(red: source.0, green: source.1, blue: source.2))
                guard let got else { return XCTFail("pixel (\(x), \(y)) not painted") }
                XCTAssertEqual([got.0, got.1, got.2], [expected.red, expected.green, expected.blue], "pixel (\(x), \(y))")
            }
        }
    }

    func testHeaderAndRepeats() {
        let image = RGBImage(width: 100, height: 12, red: 1, green: 1, blue: 0)
        let text = String(decoding: SixelEncoder(dithering: .none).encode(raster(image)), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}P0;1;0q\"1;1;100;12#0;2;100;100;0"), text)
        XCTAssertTrue(text.hasSuffix("\u{1B}\\"))
        // Two full bands of 100 identical columns: "!100~" each, separated by "-".
        XCTAssertTrue(text.contains("#0!100~-#0!100~\u{1B}\\"), text)
    }

    func testGradientUnditheredIsNearestPaletteColour() throws {
        let image = TestImages.gradient(width: 96, height: 61)
        let source = raster(image)
        let picture = try SixelDecoder.decode(SixelEncoder(maxColors: 64, dithering: .none).encode(source))
        XCTAssertLessThanOrEqual(picture.registers.count, 64)
        XCTAssertGreaterThan(picture.registers.count, 32, "a gradient should use most of the palette")
        let palette = Array(picture.registers.values)
        var totalError = 0
        for y in 0..<source.height {
            for x in 0..<source.width {
                let want = source.pixel(x, y)
                guard let got = picture.at(x, y) else { return XCTFail("pixel (\(x), \(y)) not painted") }
                let best = palette.map { distance($0, want) }.min() ?? 0
                XCTAssertLessThanOrEqual(excess(got, want, best), 12, "pixel (\(x), \(y))")
                totalError += abs(Int(got.0) - Int(want.0)) + abs(Int(got.1) - Int(want.1)) + abs(Int(got.2) - Int(want.2))
            }
        }
        let meanError = Double(totalError) / Double(3 * source.width * source.height)
        XCTAssertLessThan(meanError, 8, "64 colours cover a 2-D gradient to within a few levels")
    }

    /// Worst 8x8 block mean error (levels) over the blocks not touching the border, and over all.
    private func blockErrors(_ source: Raster, _ picture: SixelDecoder.Picture) throws -> (interior: Double, all: Double) {
        var interior = 0.0, all = 0.0
        for by in stride(from: 0, to: source.height, by: 8) {
            for bx in stride(from: 0, to: source.width, by: 8) {
                var want = [0.0, 0, 0], got = [0.0, 0, 0]
                for y in by..<(by + 8) {
                    for x in bx..<(bx + 8) {
                        let w = source.pixel(x, y)
                        let g = try XCTUnwrap(picture.at(x, y), "pixel (\(x), \(y)) not painted")
                        want[0] += Double(w.0); want[1] += Double(w.1); want[2] += Double(w.2)
                        got[0] += Double(g.0); got[1] += Double(g.1); got[2] += Double(g.2)
                    }
                }
                let error = (0..<3).map { abs(want[$0] - got[$0]) / 64 }.max() ?? 0
                all = max(all, error)
                if bx > 0, by > 0, bx + 8 < source.width, by + 8 < source.height { interior = max(interior, error) }
            }
        }
        return (interior, all)
    }

    func testDitheredGradientKeepsLocalAverages() throws {
        let source = raster(TestImages.gradient(width: 128, height: 96))
        let dithered = try SixelDecoder.decode(SixelEncoder(maxColors: 16, dithering: .floydSteinberg).encode(source))
        let flat = try SixelDecoder.decode(SixelEncoder(maxColors: 16, dithering: .none).encode(source))
        XCTAssertLessThanOrEqual(dithered.registers.count, 16)
        let withDither = try blockErrors(source, dithered), without = try blockErrors(source, flat)
        // 16 colours are ~30 levels apart; error diffusion brings 8x8 block means within a few levels.
        XCTAssertLessThan(withDither.interior, 10, "interior block error \(withDither.interior)")
        XCTAssertLessThan(withDither.interior, without.interior, "dithering must beat nearest colour")
        // Along the border the gradient reaches colours outside the palette's hull (box means lie
        // inside it), which no dithering can reproduce.
        XCTAssertLessThan(withDither.all, 28, "border block error \(withDither.all)")
    }

    func testRealPhotoDecodesWithinPaletteError() throws {
        let photo = try TestImages.photo("chicago.png", maxSide: 160)
        let source = raster(photo)
        for maxColors in [256, 16] {
            let picture = try SixelDecoder.decode(SixelEncoder(maxColors: maxColors, dithering: .none).encode(source))
            XCTAssertEqual(picture.width, photo.width)
            XCTAssertEqual(picture.height, photo.height)
            XCTAssertLessThanOrEqual(picture.registers.count, maxColors)
            let palette = Array(picture.registers.values)
            var total = 0, worstExcess = 0.0
            for y in 0..<source.height {
                for x in 0..<source.width {
                    let want = source.pixel(x, y)
                    guard let got = picture.at(x, y) else { return XCTFail("pixel (\(x), \(y)) not painted") }
                    let best = palette.map { distance($0, want) }.min() ?? 0
                    worstExcess = max(worstExcess, excess(got, want, best))
                    total += abs(Int(got.0) - Int(want.0)) + abs(Int(got.1) - Int(want.1)) + abs(Int(got.2) - Int(want.2))
                }
            }
            let mean = Double(total) / Double(3 * source.width * source.height)
            XCTAssertLessThanOrEqual(worstExcess, 12, "\(maxColors) colours")
            XCTAssertLessThan(mean, maxColors == 256 ? 5 : 14, "\(maxColors) colours: mean error \(mean)")
        }
    }

    func testAdapterPlacesImageAtLetterboxedCell() throws {
        // A wide 4:1 image into 10x10 cells of 8x16 px (80x160 px): 80x20 px, centred at y = 70,
        // i.e. 4 cells + 6 px down. The picture starts at that cell's corner (row 2 + 4, 1-based
        // 7; column 5, 1-based 6) with no transparent rows above it.
        let image = TestImages.stripes(width: 40, height: 10, colors: [(255, 255, 255)])
        let adapter = SixelAdapter(maxColors: 256, dithering: .none)
        let rect = CellRect(row: 2, column: 5, columns: 10, rows: 10), cell = CellPixelSize(width: 8, height: 16)
        let bytes = adapter.draw(image, in: rect, cellPixels: cell)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}[7;6H\u{1B}P"), text.prefix(20).debugDescription)
        let start = try XCTUnwrap(bytes.firstIndex(of: UInt8(ascii: "P"))) - 1
        let picture = try SixelDecoder.decode(Array(bytes[start...]))
        XCTAssertEqual([picture.width, picture.height], [80, 20])
        XCTAssertEqual(adapter.footprint(width: 40, height: 10, in: rect, cellPixels: cell),
                       CellRect(row: 6, column: 5, columns: 10, rows: 2))
    }

    /// xterm draws a sixel with transparent pixels line by line (an X request per run of one
    /// colour) and an opaque one in a single image copy: every pixel the adapter sends is painted,
    /// for letterboxed and pillarboxed pictures whose offset is not a whole number of cells.
    func testAdapterPicturesHaveNoTransparentPixels() throws {
        let cell = CellPixelSize(width: 6, height: 13)
        let rect = CellRect(row: 1, column: 31, columns: 37, rows: 19)  // 222x247 px
        let adapter = SixelAdapter(maxColors: 256)
        for (width, height) in [(300, 200), (90, 160), (221, 247), (1, 1)] {
            let image = TestImages.gradient(width: width, height: height)
            let bytes = adapter.draw(image, in: rect, cellPixels: cell)
            let start = try XCTUnwrap(bytes.firstIndex(of: UInt8(ascii: "P"))) - 1
            let picture = try SixelDecoder.decode(Array(bytes[start...]))
            let fit = try XCTUnwrap(ImageFit.fitting(imageWidth: width, imageHeight: height, columns: rect.columns, rows: rect.rows,
                                                     cellPixels: cell, samplesPerCell: (6, 13)))
            XCTAssertEqual([picture.width, picture.height], [fit.width, fit.height], "\(width)x\(height)")
            var holes = 0
            for y in 0..<picture.height { for x in 0..<picture.width where picture.at(x, y) == nil { holes += 1 } }
            XCTAssertEqual(holes, 0, "\(width)x\(height): transparent pixels")
            // Placed at the corner of the cell holding the exact top-left pixel; the footprint is
            // the cells its pixels reach, inside the rectangle.
            let footprint = adapter.footprint(width: width, height: height, in: rect, cellPixels: cell)
            XCTAssertTrue(String(decoding: bytes, as: UTF8.self)
                .hasPrefix("\u{1B}[\(footprint.row + 1);\(footprint.column + 1)H"), "\(width)x\(height)")
            XCTAssertEqual([footprint.row, footprint.column], [rect.row + fit.y / 13, rect.column + fit.x / 6])
            XCTAssertEqual([footprint.columns, footprint.rows], [(fit.width + 5) / 6, (fit.height + 12) / 13])
            XCTAssertTrue(PreviewWriter.covers(rect, footprint), "\(width)x\(height): \(footprint) outside \(rect)")
        }
    }
}
