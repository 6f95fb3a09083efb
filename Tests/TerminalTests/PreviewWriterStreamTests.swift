import Foundation
import Imaging
@testable import Terminal
import XCTest

/// A picture handed over in pieces (sixel bands as they are encoded) is written piece by piece,
/// the writer says so while it is partly written, and it is always finished or cut short whole.
final class PreviewWriterStreamTests: PreviewWriterTestCase {
    /// An adapter that hands over "<id>1", "<id>2", "<id>3", each after the test opens its gate.
    final class GatedAdapter: PreviewAdapter, @unchecked Sendable {
        let gate = DispatchSemaphore(value: 0)
        var kind: PreviewAdapterKind { .sixel }
        var policy: PreviewPolicy { PreviewPolicy(showsQuickPasses: false, usesPalette: false) }
        func samplesPerCell(_ cellPixels: CellPixelSize) -> (x: Int, y: Int) { (1, 1) }
        func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8] { [] }
        func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize, emit: ([UInt8]) -> Void) {
            let id = image.width == 4 ? "a" : "b"
            for piece in 1...3 {
                if piece > 1 { gate.wait() }
                emit(Array("\(id)\(piece)".utf8))
            }
        }
    }

    /// Flushes whatever arrives until a picture is finished (up to 10 s); returns the finished ids.
    private func flushUntilFinished(_ writer: PreviewWriter) -> [String] {
        let deadline = Date().addingTimeInterval(10)
        var finished: [String] = []
        while finished.isEmpty && Date() < deadline { finished = flushWhenReady(writer) }
        return finished
    }

    private let rect = CellRect(row: 1, column: 2, columns: 4, rows: 4)

    private func picture(_ id: String) -> PreviewPicture {
        PreviewPicture(rect: rect, image: RGBImage(width: id == "a" ? 4 : 2, height: 4), id: id)
    }

    func testPiecesAreWrittenAsTheyComeAndAPictureBegunIsFinished() {
        let adapter = GatedAdapter()
        let writer = PreviewWriter(adapters: [adapter], cellPixels: .fallback, surface: Surface(), fileDescriptor: fds[1])
        writer.show([picture("a")])
        // A piece is handed over once the next one exists: "a1" when "a2" is made.
        adapter.gate.signal()
        XCTAssertEqual(flushWhenReady(writer), [], "the first piece does not finish the picture")
        XCTAssertEqual(written(), "\u{1B}[?2026h\u{1B}7a1")
        XCTAssertTrue(writer.isWriting, "the text must wait: a picture is partly written")
        // A newer picture is wanted: the one begun is finished first, then the newer one follows.
        writer.show([picture("b")])
        adapter.gate.signal()
        XCTAssertEqual(flushUntilFinished(writer), ["a"])
        XCTAssertEqual(written(), "a2a3\u{1B}8\u{1B}[?2026l")
        XCTAssertFalse(writer.isWriting)
        adapter.gate.signal()
        adapter.gate.signal()
        XCTAssertEqual(flushUntilFinished(writer), ["b"])
        XCTAssertEqual(written(), "\u{1B}[?2026h\u{1B}7b1b2b3\u{1B}8\u{1B}[?2026l", "b's pieces, framed once, in order")
    }

    func testRemovingEverythingCutsAPartlyWrittenPictureShort() {
        let adapter = GatedAdapter()
        let surface = Surface()
        let writer = PreviewWriter(adapters: [adapter], cellPixels: .fallback, surface: surface, fileDescriptor: fds[1])
        writer.show([picture("a")])
        adapter.gate.signal()
        XCTAssertEqual(flushWhenReady(writer), [])
        XCTAssertEqual(written(), "\u{1B}[?2026h\u{1B}7a1")
        writer.removeAll()
        XCTAssertEqual(written(), "\u{1B}\\\u{1B}8\u{1B}[?2026l", "ST ends the picture, the cursor comes back")
        XCTAssertEqual(surface.repainted, [adapter.footprint(width: 4, height: 4, in: rect, cellPixels: .fallback)],
                       "its cells are repainted")
        XCTAssertFalse(writer.isWriting)
        adapter.gate.signal()
    }
}
