import Foundation
import Imaging
@testable import Terminal
import XCTest

/// The one preview writer: encodes in the background, writes each picture once, framed, and
/// keeps the text screen in step: whatever a picture leaves uncovered is repainted by ncurses.
final class PreviewWriterTests: PreviewWriterTestCase {
    private func picture(width: Int, height: Int, _ id: String, in rect: CellRect) -> PreviewPicture {
        var image = RGBImage(width: width, height: height)
        for i in image.pixels.indices { image.pixels[i] = Float(i % 7) / 7 }
        return PreviewPicture(rect: rect, image: image, id: id)
    }

    func testWritesEachPictureOnceFramedAndAgainAfterInvalidate() {
        let surface = Surface()
        let writer = PreviewWriter(adapters: [HalfBlockAdapter()], cellPixels: .fallback, surface: surface, fileDescriptor: fds[1])
        let rect = CellRect(row: 2, column: 3, columns: 4, rows: 2)
        let a = picture(width: 8, height: 8, "a", in: rect)
        XCTAssertEqual(writer.flush(), [], "nothing before the encoding is done")
        writer.show([a])
        XCTAssertEqual(flushWhenReady(writer), ["a"])
        let first = written()
        XCTAssertTrue(first.hasPrefix("\u{1B}[?2026h\u{1B}7"), "synchronized update and saved cursor")
        XCTAssertTrue(first.hasSuffix("\u{1B}8\u{1B}[?2026l"))
        XCTAssertTrue(first.contains("▀"))
        writer.show([a])
        XCTAssertFalse(writer.hasPendingWrite, "the same picture in the same place is not written again")
        writer.invalidate()
        XCTAssertEqual(writer.flush(), ["a"], "after ncurses painted over it, the encoded bytes are written again")
        XCTAssertEqual(written(), first)
        XCTAssertEqual(surface.repainted, [], "nothing was left uncovered")
    }

    func testANarrowerPictureRepaintsTheOldCellsFirst() {
        let surface = Surface()
        let writer = PreviewWriter(adapters: [HalfBlockAdapter()], cellPixels: CellPixelSize(width: 10, height: 20),
                                   surface: surface, fileDescriptor: fds[1])
        let rect = CellRect(row: 1, column: 1, columns: 20, rows: 10)
        writer.show([picture(width: 200, height: 100, "wide", in: rect)])
        XCTAssertEqual(flushWhenReady(writer), ["wide"])
        let wide = writer.footprints[0]
        XCTAssertEqual(wide.columns, 20)
        writer.show([picture(width: 100, height: 200, "tall", in: rect)])
        XCTAssertEqual(flushWhenReady(writer), ["tall"])
        XCTAssertEqual(surface.repainted, [wide], "the wide picture's cells are repainted before the tall one is drawn")
        XCTAssertEqual(surface.refreshes, 1)
        XCTAssertLessThan(writer.footprints[0].columns, 20)
    }

    func testAPictureThatMovesOrGoesIsRemovedInTheSameRefresh() {
        let surface = Surface()
        let writer = PreviewWriter(adapters: [KittyAdapter()], cellPixels: .fallback, surface: surface, fileDescriptor: fds[1])
        let rect = CellRect(row: 0, column: 0, columns: 8, rows: 4)
        writer.show([picture(width: 16, height: 16, "a", in: rect)])
        XCTAssertEqual(flushWhenReady(writer), ["a"])
        let footprint = writer.footprints[0]
        XCTAssertFalse(written().contains("2026"), "no synchronized update around kitty pictures (kitty logs a stray stop)")
        writer.show([])
        XCTAssertEqual(surface.repainted, [footprint])
        XCTAssertTrue(written().contains("a=d,d=I"), "kitty deletes its image: text does not cover it")
        XCTAssertEqual(writer.footprints, [])
        XCTAssertEqual(surface.refreshes, 0, "the caller's refresh repaints the cells")
    }

    func testANewerPictureWinsOverAnOlderOne() {
        let writer = PreviewWriter(adapters: [AsciiAdapter()], cellPixels: .fallback, surface: nil, fileDescriptor: fds[1])
        let rect = CellRect(row: 0, column: 0, columns: 4, rows: 2)
        writer.show([picture(width: 4, height: 4, "dark", in: rect)])
        writer.show([picture(width: 4, height: 4, "light", in: rect)])
        XCTAssertEqual(flushWhenReady(writer), ["light"])
    }
}
