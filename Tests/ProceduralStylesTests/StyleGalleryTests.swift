import XCTest
import Foundation
import Imaging
@testable import ProceduralStyles

/// Writing galleries to disk, and the errors for bad requests.
final class StyleGalleryTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("atelier-styles-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testWrittenFilesReadBackAsTheRenderedPaintings() throws {
        let paintings = try StyleCatalog.paintings(named: ["op-art", "mosaic"])
        let gallery = try StyleGallery(size: 48, seed: 9, paintings: paintings)
        var reported: [String] = []
        let written = try gallery.write(to: folder.appendingPathComponent("nested")) { url, seconds in
            reported.append(url.lastPathComponent)
            XCTAssertGreaterThanOrEqual(seconds, 0)
        }
        XCTAssertEqual(written.map(\.lastPathComponent), ["op-art.png", "mosaic.png"])
        XCTAssertEqual(reported, ["op-art.png", "mosaic.png"])
        for (url, painting) in zip(written, paintings) {
            let image = try ImageFile.read(url)
            XCTAssertEqual(image.rgb8Interleaved(), gallery.render(painting).rgb8Interleaved())
        }
    }

    func testInvalidSizeIsRejectedWithAClearMessage() {
        XCTAssertThrowsError(try StyleGallery(size: 8)) { error in
            XCTAssertEqual(error as? StyleGalleryError, .invalidSize(8))
            XCTAssertTrue("\(error)".contains("16 to 4096"))
        }
        XCTAssertThrowsError(try StyleGallery(size: 100_000))
        XCTAssertNoThrow(try StyleGallery(size: 16))
    }

    func testUnknownNameListsTheKnownOnes() {
        XCTAssertThrowsError(try StyleCatalog.paintings(named: ["impasto", "cubism"])) { error in
            XCTAssertEqual(error as? StyleGalleryError, .unknownPainting("cubism"))
            XCTAssertTrue("\(error)".contains("stained-glass"))
        }
    }

    func testFolderThatCannotBeCreatedIsReported() throws {
        let blocker = folder.appendingPathComponent("a-file")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: blocker)
        let gallery = try StyleGallery(size: 16, paintings: [OpArt()])
        XCTAssertThrowsError(try gallery.write(to: blocker.appendingPathComponent("styles"))) { error in
            guard case .cannotCreateFolder(let path, _)? = error as? StyleGalleryError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertTrue(path.hasSuffix("a-file/styles"))
        }
    }

    func testCreditsListEveryFileWithSizeSeedAndLicence() throws {
        let credits = try StyleGallery(size: 640, seed: 12).credits
        for painting in StyleCatalog.all {
            XCTAssertTrue(credits.contains("| `\(painting.name).png` | \(painting.title) | 640x640 | 12 |"), painting.name)
        }
        XCTAssertTrue(credits.contains("CC0 1.0"))
        XCTAssertTrue(credits.contains("atelier styles generate --size 640 --seed 12"))
    }
}
