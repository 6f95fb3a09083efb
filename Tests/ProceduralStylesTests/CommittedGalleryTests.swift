import XCTest
import Foundation
import Imaging
@testable import ProceduralStyles

/// The committed `Styles/` folder is exactly what `atelier styles generate` produces.
final class CommittedGalleryTests: XCTestCase {
    func testCommittedImagesMatchTheGenerators() throws {
        for painting in StyleCatalog.all {
            let url = DefaultGallery.stylesFolder.appendingPathComponent(StyleGallery.fileName(for: painting))
            let committed = try ImageFile.read(url)
            let expected = try XCTUnwrap(DefaultGallery.images[painting.name])
            XCTAssertEqual(committed.width, StyleCatalog.defaultSize, url.path)
            XCTAssertEqual(committed.height, StyleCatalog.defaultSize, url.path)
            let a = committed.rgb8Interleaved(), b = expected.rgb8Interleaved()
            if a != b {
                let differing = zip(a, b).filter { $0 != $1 }.count
                XCTFail("\(url.lastPathComponent): \(differing) bytes differ from the generator; run `atelier styles generate`")
            }
        }
    }

    func testStylesFolderHoldsExactlyTheCatalog() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: DefaultGallery.stylesFolder.path)
        let images = Set(files.filter { $0.hasSuffix(".png") })
        XCTAssertEqual(images, Set(StyleCatalog.all.map { StyleGallery.fileName(for: $0) }))
    }

    func testCommittedCreditsMatchTheGallery() throws {
        let url = DefaultGallery.stylesFolder.appendingPathComponent("CREDITS.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(committed, try StyleGallery().credits)
        XCTAssertTrue(committed.contains("CC0"))
        XCTAssertTrue(committed.contains("atelier styles generate --size \(StyleCatalog.defaultSize) --seed \(StyleCatalog.defaultSeed)"))
    }

    func testCommittedImagesStaySmall() throws {
        for painting in StyleCatalog.all {
            let url = DefaultGallery.stylesFolder.appendingPathComponent(StyleGallery.fileName(for: painting))
            let bytes = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
            XCTAssertLessThan(bytes, 1_500_000, "\(url.lastPathComponent) is \(bytes) bytes")
            XCTAssertGreaterThanOrEqual(StyleCatalog.defaultSize, 512)
        }
    }
}
