import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier render --upscale-photo`: the photo enlarged by Real-ESRGAN before stylization, with
/// the real binary and the upscalers `models install` put in the home.
final class UpscalePhotoCommandTests: CLITestCase {
    func testUpscaledRenderIsTwiceTheSizeRecordsTheUpscaleAndReplaysBitForBit() throws {
        // 256M: the upscaler gets a quarter, 44-pixel tiles for the 96-pixel photo (tiled path).
        let first = try render([bridge, "-s", picasso, "--size", "96", "--upscale-photo", "2", "--upscaler", "fast",
                                "--memory", "256M", "-o", "a.png"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let photo = try ImageFile.read(URL(fileURLWithPath: bridge)).resized(longerSide: 96)
        let image = try ImageFile.read(folder.appendingPathComponent("a.png"))
        XCTAssertEqual([image.width, image.height], [2 * photo.width, 2 * photo.height])
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("a.png.json"))) as! [String: Any]
        let upscale = try XCTUnwrap(recipe["upscale"] as? [String: Any])
        XCTAssertEqual(upscale["factor"] as? Int, 2)
        XCTAssertEqual(upscale["upscaler"] as? String, "fast")
        XCTAssertEqual(upscale["tile"] as? Int, 44, "the tile used is recorded")
        let files = try XCTUnwrap(recipe["modelFiles"] as? [String: String])
        XCTAssertNotNil(files[UpscalerModel.fast.weightsFileName])
        let again = try render(["--recipe", "a.png.json", "-o", "b.png"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("a.png")),
                       try Data(contentsOf: folder.appendingPathComponent("b.png")), "the replay differs")
    }

    func testBadUpscaleOptionsGiveOneLineAndNoFile() throws {
        for arguments in [["--upscale-photo", "3"], ["--upscale-photo", "2", "--upscaler", "x8"], ["--upscaler", "fast"]] {
            let result = try render([bridge, "-s", picasso, "--size", "48", "-o", "x.png"] + arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, result.stderr)
            XCTAssertEqual(try files(), [])
        }
    }

    func testTooSmallPhotoIsRefusedInOneLine() throws {
        try ImageFile.writePNG(RGBImage(width: 40, height: 8, red: 0.5), to: folder.appendingPathComponent("strip.png"))
        let result = try render(["strip.png", "-s", picasso, "--upscale-photo", "4", "--upscaler", "fast", "-o", "x.png"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("too small"), result.stderr)
        XCTAssertEqual(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, result.stderr)
        XCTAssertEqual(try files(), ["strip.png"])
    }
}
