import Engine
import Terminal
@testable import Workstation
import XCTest

final class LayoutTests: XCTestCase {
    private func assertTiles(_ layout: ScreenLayout, file: StaticString = #filePath, line: UInt = #line) {
        let rects = [layout.picker, layout.gallery, layout.controls, layout.preview, layout.status]
        var covered = 0
        for (i, a) in rects.enumerated() {
            covered += a.columns * a.rows
            for b in rects[(i + 1)...] {
                XCTAssertTrue(a.intersection(b).isEmpty, "\(a) overlaps \(b)", file: file, line: line)
            }
        }
        XCTAssertEqual(covered, layout.size.columns * layout.size.rows, "panes tile the screen", file: file, line: line)
    }

    func testEightyByTwentyFourStacksThePanesBesideThePreview() throws {
        let natural: [PaneID: Int] = [.picker: 5, .gallery: 13, .controls: 8]
        let layout = try XCTUnwrap(ScreenLayout.compute(size: CellSize(columns: 80, rows: 24), natural: natural, focus: .gallery))
        XCTAssertFalse(layout.isWide)
        XCTAssertEqual(layout.status, CellRect(row: 22, column: 0, columns: 80, rows: 2))
        XCTAssertEqual(layout.preview, CellRect(row: 0, column: 30, columns: 50, rows: 22))
        // Gallery focused: it gets its 13 rows, the picker its 5, the controls what is left (4).
        XCTAssertEqual(layout.picker, CellRect(row: 0, column: 0, columns: 30, rows: 5))
        XCTAssertEqual(layout.gallery, CellRect(row: 5, column: 0, columns: 30, rows: 13))
        XCTAssertEqual(layout.controls, CellRect(row: 18, column: 0, columns: 30, rows: 4))
        assertTiles(layout)
    }

    func testFocusedPaneGrowsAndOthersCollapse() throws {
        let natural: [PaneID: Int] = [.picker: 30, .gallery: 13, .controls: 12]
        let layout = try XCTUnwrap(ScreenLayout.compute(size: CellSize(columns: 80, rows: 24), natural: natural, focus: .controls))
        XCTAssertEqual(layout.controls.rows, 12)
        XCTAssertEqual(layout.picker.rows + layout.gallery.rows, 10)
        XCTAssertGreaterThanOrEqual(layout.picker.rows, ScreenLayout.collapsedRows)
        XCTAssertGreaterThanOrEqual(layout.gallery.rows, ScreenLayout.collapsedRows)
        assertTiles(layout)
    }

    func testTwoHundredBySixtyGivesTheControlsAColumn() throws {
        let layout = try XCTUnwrap(ScreenLayout.compute(size: CellSize(columns: 200, rows: 60)))
        XCTAssertTrue(layout.isWide)
        XCTAssertEqual(layout.picker, CellRect(row: 0, column: 0, columns: 33, rows: 29))
        XCTAssertEqual(layout.gallery, CellRect(row: 29, column: 0, columns: 33, rows: 29))
        XCTAssertEqual(layout.controls, CellRect(row: 0, column: 33, columns: 40, rows: 58))
        XCTAssertEqual(layout.preview, CellRect(row: 0, column: 73, columns: 127, rows: 58))
        XCTAssertEqual(layout.status, CellRect(row: 58, column: 0, columns: 200, rows: 2))
        assertTiles(layout)
        XCTAssertEqual(layout.pane(at: 0, column: 0), .picker)
        XCTAssertEqual(layout.pane(at: 40, column: 10), .gallery)
        XCTAssertEqual(layout.pane(at: 10, column: 50), .controls)
        XCTAssertNil(layout.pane(at: 10, column: 150))
    }

    func testTooSmallScreensGetNoLayout() {
        XCTAssertNil(ScreenLayout.compute(size: CellSize(columns: 59, rows: 24)))
        XCTAssertNil(ScreenLayout.compute(size: CellSize(columns: 80, rows: 15)))
        XCTAssertNotNil(ScreenLayout.compute(size: ScreenLayout.minimum))
    }

    func testStackHeightsAlwaysAddUp() {
        for total in 9...60 {
            for focused in [nil, 0, 1, 2] {
                let heights = ScreenLayout.stack(total: total, natural: [40, 7, 12], focused: focused)
                XCTAssertEqual(heights.reduce(0, +), total)
                XCTAssertTrue(heights.allSatisfy { $0 >= ScreenLayout.collapsedRows })
            }
        }
    }

    func testPreviewBoxFollowsThePaneShapeAndAdapter() {
        let pane = CellRect(row: 1, column: 31, columns: 48, rows: 20)
        let cell = CellPixelSize(width: 10, height: 20)
        // Half-block: 48 x 40 samples, lifted to 256 on the longer side; screen shape 480 x 400.
        XCTAssertEqual(PreviewSizing.box(cells: pane, cellPixels: cell, adapter: HalfBlockAdapter()), PreviewSize(width: 256, height: 213))
        // Sixel: the pane's 480 x 400 screen pixels.
        XCTAssertEqual(PreviewSizing.box(cells: pane, cellPixels: cell, adapter: SixelAdapter()), PreviewSize(width: 480, height: 400))
        // A huge sixel pane is capped at 1024.
        let big = CellRect(row: 1, column: 74, columns: 125, rows: 56)
        XCTAssertEqual(PreviewSizing.box(cells: big, cellPixels: cell, adapter: SixelAdapter()), PreviewSize(width: 1024, height: 918))
    }
}
