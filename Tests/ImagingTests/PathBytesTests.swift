import Foundation
import Imaging
import XCTest

/// File names as bytes: every byte string survives decode then encode, UTF-8 stays as it is,
/// and people see the bytes that are not UTF-8 as \xNN.
final class PathBytesTests: XCTestCase {
    func testEveryByteStringRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        let samples: [[UInt8]] = [
            Array("plain/ascii.png".utf8), Array("café/été.jpg".utf8), [0x70, 0xFF, 0x2E, 0x6A],
            [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF],
            Array("\u{F0080}\u{F00FF}".utf8),   // a name that really holds two escape scalars
        ] + (0..<2000).map { _ in (0..<Int.random(in: 0...12, using: &generator)).map { _ in UInt8.random(in: 1...255, using: &generator) } }
        for bytes in samples {
            XCTAssertEqual(PathBytes.encode(PathBytes.decode(bytes)), bytes, "\(bytes)")
        }
    }

    func testUTF8NamesAreUnchangedAndOthersAreShownEscaped() {
        XCTAssertEqual(PathBytes.decode(Array("café.png".utf8)), "café.png")
        let name = PathBytes.decode([0x70, 0xFF, 0x2E, 0x6A, 0x70, 0x67])
        XCTAssertEqual(PathBytes.shown(name), "p\\xff.jpg")
        XCTAssertEqual(PathBytes.cString(name), [0x70, -1, 0x2E, 0x6A, 0x70, 0x67, 0])
        XCTAssertEqual(PathBytes.encode(URL(fileURLWithPath: "/tmp/\(name)").path), Array("/tmp/".utf8) + [0x70, 0xFF, 0x2E, 0x6A, 0x70, 0x67])
    }
}
