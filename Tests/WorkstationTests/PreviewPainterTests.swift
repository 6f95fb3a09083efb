import Foundation
import Imaging
import Terminal
@testable import Workstation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The painter encodes in the background and writes framed bytes only when asked, once per picture.
final class PreviewPainterTests: XCTestCase {
    private var fds: [Int32] = [-1, -1]

    override func setUpWithError() throws {
        guard pipe(&fds) == 0 else { throw XCTSkip("no pipe") }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
    }

    override func tearDown() {
        for fd in fds where fd >= 0 { close(fd) }
    }

    private func written() -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func waitForEncoding(_ painter: PreviewPainter) {
        let deadline = Date().addingTimeInterval(10)
        while !painter.hasPendingWrite && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        XCTAssertTrue(painter.hasPendingWrite)
    }

    func testWritesEachPictureOnceFramedAndAgainAfterInvalidate() {
        let painter = PreviewPainter(adapter: HalfBlockAdapter(colorDepth: .trueColor), fileDescriptor: fds[1], label: "test")
        var image = RGBImage(width: 8, height: 8)
        for i in image.pixels.indices { image.pixels[i] = Float(i % 7) / 7 }
        let rect = CellRect(row: 2, column: 3, columns: 4, rows: 2)
        XCTAssertNil(painter.flush(), "nothing before the encoding is done")
        painter.request(image, id: "a", in: rect, cellPixels: .fallback)
        waitForEncoding(painter)
        XCTAssertEqual(painter.flush(), "a")
        let first = written()
        XCTAssertTrue(first.hasPrefix("\u{1B}[?2026h\u{1B}7"), "synchronized update and saved cursor")
        XCTAssertTrue(first.hasSuffix("\u{1B}8\u{1B}[?2026l"))
        XCTAssertTrue(first.contains("\u{1B}[3;4H"), "drawn at the rectangle's top-left cell")
        XCTAssertTrue(first.contains("▀"))
        XCTAssertEqual(painter.rectOnScreen, rect)

        painter.request(image, id: "a", in: rect, cellPixels: .fallback)
        XCTAssertFalse(painter.hasPendingWrite, "the same picture in the same place is not written again")
        XCTAssertNil(painter.flush())
        painter.invalidate()
        XCTAssertEqual(painter.flush(), "a", "after ncurses painted over it, the encoded bytes are written again")
        XCTAssertEqual(written(), first)

        XCTAssertEqual(painter.erase(within: CellRect(row: 0, column: 0, columns: 5, rows: 3)), rect)
        let erased = written()
        XCTAssertTrue(erased.contains("\u{1B}[3;4H "), "blank cells inside the bounds")
        XCTAssertFalse(erased.contains("\u{1B}[4;4H"), "rows outside the bounds are not touched")
        XCTAssertNil(painter.rectOnScreen)
    }

    func testANewerRequestWinsOverAnOlderOne() {
        let painter = PreviewPainter(adapter: AsciiAdapter(), fileDescriptor: fds[1], label: "test")
        let dark = RGBImage(width: 4, height: 4)
        var light = RGBImage(width: 4, height: 4)
        for i in light.pixels.indices { light.pixels[i] = 1 }
        let rect = CellRect(row: 0, column: 0, columns: 4, rows: 2)
        painter.request(dark, id: "dark", in: rect, cellPixels: .fallback)
        painter.request(light, id: "light", in: rect, cellPixels: .fallback)
        let deadline = Date().addingTimeInterval(10)
        var id: String?
        while id == nil && Date() < deadline {
            id = painter.flush()
            Thread.sleep(forTimeInterval: 0.005)
        }
        XCTAssertEqual(id, "light")
    }
}
