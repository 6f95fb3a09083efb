import Foundation
import XCTest
import Imaging
@testable import Terminal

final class KittyAsciiTests: XCTestCase {
    func testKittyChunksDecodeBackToTheResizedImage() throws {
        let image = TestImages.gradient(width: 64, height: 48)
        let bytes = KittyAdapter(imageID: 42).draw(image, in: CellRect(row: 1, column: 2, columns: 8, rows: 3),
                                                  cellPixels: CellPixelSize(width: 8, height: 16))
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}_Ga=d,d=I,i=42,q=2\u{1B}\\"), "replaces the previous picture")
        // 64x48 into 64x48 px: exact fit, cursor at the rect's corner.
        XCTAssertTrue(text.contains("\u{1B}[2;3H\u{1B}_Ga=T,f=24,s=64,v=48,i=42,X=0,Y=0,C=1,m=1,q=2;"), text.prefix(120).debugDescription)
        var payload = ""
        var chunks = 0
        for piece in text.components(separatedBy: "\u{1B}_G").dropFirst(2) {
            let body = try XCTUnwrap(piece.components(separatedBy: "\u{1B}\\").first)
            let parts = body.split(separator: ";", maxSplits: 1)
            let data = String(parts[1])
            XCTAssertLessThanOrEqual(data.utf8.count, 4096)
            payload += data
            chunks += 1
            XCTAssertEqual(parts[0].contains("m=0"), piece == text.components(separatedBy: "\u{1B}_G").last)
        }
        XCTAssertEqual(chunks, (64 * 48 * 3 * 4 / 3 + 4095) / 4096)
        let decoded = try XCTUnwrap(Data(base64Encoded: payload))
        XCTAssertEqual([UInt8](decoded), image.rgb8Interleaved())
        XCTAssertEqual(String(decoding: KittyAdapter(imageID: 42).erase(CellRect(row: 0, column: 0, columns: 1, rows: 1)), as: UTF8.self),
                       "\u{1B}_Ga=d,d=I,i=42,q=2\u{1B}\\")
    }

    func testBase64MatchesFoundation() {
        for n in 0..<8 {
            let bytes = (0..<n).map { UInt8(($0 * 77 + 13) & 255) }
            XCTAssertEqual(String(decoding: Base64.encode(bytes), as: UTF8.self), Data(bytes).base64EncodedString())
        }
    }

    func testAsciiRampFollowsBrightness() {
        // Left-to-right grey ramp into 10x1 cells: characters get denser left to right.
        var grey = RGBImage(width: 100, height: 5)
        for y in 0..<5 { for x in 0..<100 { for c in 0..<3 { grey[c, x, y] = Float(x) / 99 } } }
        let bytes = AsciiAdapter().draw(grey, in: CellRect(row: 0, column: 0, columns: 10, rows: 1),
                                        cellPixels: CellPixelSize(width: 10, height: 50))
        let line = String(decoding: bytes, as: UTF8.self).components(separatedBy: "H").last ?? ""
        XCTAssertEqual(line, " .:-=+*#%@")
        let light = AsciiAdapter(darkBackground: false).draw(grey, in: CellRect(row: 0, column: 0, columns: 10, rows: 1),
                                                             cellPixels: CellPixelSize(width: 10, height: 50))
        XCTAssertEqual(String(decoding: light, as: UTF8.self).components(separatedBy: "H").last, "@%#*+=-:. ")
    }
}
