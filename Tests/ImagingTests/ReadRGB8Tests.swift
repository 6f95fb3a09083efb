import Foundation
import XCTest
@testable import Imaging

/// `ImageFile.readRGB8` gives exactly the bytes of `read`'s pixels, straight from the decoder for
/// plain 8-bit RGB files and through `read` for everything else.
final class ReadRGB8Tests: XCTestCase {
    func testAWrittenPNGComesBackByteForByte() throws {
        let folder = try makeTemporaryFolder(self)
        var bytes: [UInt8] = []
        for y in 0..<9 { for x in 0..<13 { bytes += [UInt8(x * 19), UInt8(y * 28), UInt8((x * y) % 256)] } }
        let url = folder.appendingPathComponent("plain.png")
        try ImageFile.writePNG(RGBImage(width: 13, height: 9, rgb8: bytes), to: url)
        let read = try ImageFile.readRGB8(url)
        XCTAssertEqual([read.width, read.height], [13, 9])
        XCTAssertEqual(read.bytes, bytes)
    }

    func testOtherFilesAgreeWithRead() throws {
        for url in [TestPaths.image("content/chicago.png"), TestPaths.image("content/bridge.jpg"),
                    TestPaths.fixture("gray16.png"), TestPaths.fixture("cmyk.jpg")] {
            let read = try ImageFile.readRGB8(url)
            let image = try ImageFile.read(url)
            XCTAssertEqual([read.width, read.height], [image.width, image.height], url.lastPathComponent)
            XCTAssertEqual(read.bytes, image.rgb8Interleaved(), url.lastPathComponent)
        }
    }

    func testANonImageIsAClearError() throws {
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("notes.png")
        try Data("not an image".utf8).write(to: url)
        XCTAssertThrowsError(try ImageFile.readRGB8(url)) { error in
            XCTAssertTrue("\(error)".contains("notes.png"), "\(error)")
        }
    }
}
