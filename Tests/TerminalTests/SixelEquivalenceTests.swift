import XCTest
import Imaging
@testable import Terminal

/// The fast sixel encoder (one pass per band, candidate-list palette lookup) against the encoder
/// it replaced (`ReferenceSixelEncoder`): the same bytes, hence the same picture on screen.
final class SixelEquivalenceTests: XCTestCase {
    private func raster(_ image: RGBImage) -> Raster {
        Raster(width: image.width, height: image.height, bytes: image.rgb8Interleaved())
    }

    func testRealPhotosEncodeToTheSameBytesAsTheReference() throws {
        let cases: [(String, Int, Int, Dithering, Int, Int)] = [
            ("blossom.jpg", 200, 256, .floydSteinberg, 0, 0),
            ("bridge.jpg", 181, 256, .floydSteinberg, 5, 11),
            ("portrait.jpg", 150, 256, .none, 0, 3),
            ("chicago.png", 200, 16, .floydSteinberg, 2, 0),
            ("face.jpg", 120, 64, .none, 0, 0),
        ]
        for (name, side, colors, dithering, x, y) in cases {
            let source = raster(try TestImages.photo(name, maxSide: side))
            let fast = SixelEncoder(maxColors: colors, dithering: dithering).encode(source, x: x, y: y)
            let reference = ReferenceSixelEncoder.encode(source, maxColors: colors, dithering: dithering, x: x, y: y)
            XCTAssertEqual(fast.count, reference.count, "\(name) \(colors) colours \(dithering)")
            XCTAssertTrue(fast == reference, "\(name) \(colors) colours \(dithering): bytes differ")
            // And the bytes are a picture: every pixel of the photo painted, the offset transparent.
            let picture = try SixelDecoder.decode(fast)
            XCTAssertEqual(picture.width, source.width + x)
            XCTAssertEqual(picture.height, source.height + y)
            XCTAssertNotNil(picture.at(x + source.width - 1, y + source.height - 1))
            if x > 0 || y > 0 { XCTAssertNil(picture.at(0, 0).map { "\($0)" }) }
        }
    }

    func testPaletteLookupIsTheFullScanOnEveryColourCell() throws {
        // Photo palettes (dense in a few regions, absent elsewhere) and a tiny one, every 4x4x4
        // one 4x4x4 colour cell in four on each axis checked (answers are cached per cell).
        var palettes = [[TrueColor]]()
        for name in ["chicago.png", "face.jpg"] {
            let photo = raster(try TestImages.photo(name, maxSide: 96))
            palettes.append(MedianCut.palette(of: photo, maxColors: 256).map(SixelEncoder.sixelRounded))
        }
        palettes.append([TrueColor(red: 0, green: 0, blue: 0), TrueColor(red: 255, green: 255, blue: 255),
                         TrueColor(red: 0, green: 0, blue: 0)])
        for palette in palettes {
            let index = PaletteIndex(palette: palette)
            var differing = 0
            for r in stride(from: 1, to: 256, by: 16) {
                for g in stride(from: 7, to: 256, by: 16) {
                    for b in stride(from: 12, to: 256, by: 16) where index.nearest(r, g, b) != ReferenceSixelEncoder.nearest(r, g, b, in: palette) {
                        differing += 1
                    }
                }
            }
            XCTAssertEqual(differing, 0, "\(palette.count)-colour palette: cells answered differently")
        }
    }
}
