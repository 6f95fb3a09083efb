import Foundation
import XCTest
import Imaging
@testable import Terminal

/// Cross-checks the sixel encoder against an independent decoder: ImageMagick's SIXEL reader.
final class SixelInteropTests: XCTestCase {
    func testImageMagickDecodesTheSameImage() throws {
        // The real ImageMagick, from Debian's package (installed by `Scripts/install-deps.sh --test`);
        // a `convert` elsewhere on PATH may be something else.
        let convert = "/usr/bin/convert"
        guard FileManager.default.isExecutableFile(atPath: convert) else {
            return XCTFail("ImageMagick is not installed (\(convert)); run Scripts/install-deps.sh --test")
        }
        let photo = try TestImages.photo("blossom.jpg", maxSide: 120)
        let raster = Raster(width: photo.width, height: photo.height, bytes: photo.rgb8Interleaved())
        let sixel = SixelEncoder(maxColors: 256, dithering: .floydSteinberg).encode(raster)
        let ours = try SixelDecoder.decode(sixel)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-sixel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("image.six"), output = directory.appendingPathComponent("image.rgb")
        try Data(sixel).write(to: input)
        // ImageMagick 6 reads sixel into a palette image whose raw RGB dump is black; going
        // through PNG gives the real pixels.
        let png = directory.appendingPathComponent("image.png")
        for arguments in [["sixel:\(input.path)", "png:\(png.path)"], ["png:\(png.path)", "-depth", "8", "rgb:\(output.path)"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: convert)
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "ImageMagick failed: convert \(arguments.joined(separator: " "))")
        }
        let theirs = [UInt8](try Data(contentsOf: output))
        XCTAssertEqual(theirs.count, 3 * photo.width * photo.height, "ImageMagick sees a different size")
        guard theirs.count == 3 * photo.width * photo.height else { return }
        var worst = 0
        for y in 0..<photo.height {
            for x in 0..<photo.width {
                let i = 3 * (y * photo.width + x)
                let mine = try XCTUnwrap(ours.at(x, y))
                worst = max(worst, abs(Int(theirs[i]) - Int(mine.0)), abs(Int(theirs[i + 1]) - Int(mine.1)),
                            abs(Int(theirs[i + 2]) - Int(mine.2)))
            }
        }
        // Both decoders turn percentages back into bytes; they may round differently by a level or two.
        XCTAssertLessThanOrEqual(worst, 3, "ImageMagick's pixels differ from the test decoder's by \(worst)")
    }
}
