import XCTest
import Imaging
@testable import Terminal

/// Replays half-block output on a tiny model terminal: cursor moves, SGR colours, characters.
private struct CellGrid {
    struct Cell: Equatable { var top: TrueColor?; var bottom: TrueColor? }
    var cells: [Int: [Int: Cell]] = [:]  // row -> column -> cell

    init(_ bytes: [UInt8], palette256: Bool) throws {
        let text = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        var i = 0, row = 0, col = 0
        var fg: TrueColor?, bg: TrueColor?
        while i < text.count {
            let s = text[i]
            if s == "\u{1B}" {
                guard i + 1 < text.count, text[i + 1] == "[" else { throw XCTSkip("unexpected escape") }
                var j = i + 2, body = ""
                while j < text.count, !(text[j].value >= 0x40 && text[j].value <= 0x7E) { body.unicodeScalars.append(text[j]); j += 1 }
                let final = text[j]
                let params = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                if final == "H" { row = params[0] - 1; col = params[1] - 1 }
                if final == "m" {
                    var k = 0
                    while k < params.count {
                        switch params[k] {
                        case 0: fg = nil; bg = nil; k += 1
                        case 38, 48:
                            let isForeground = params[k] == 38
                            let colour: TrueColor
                            if params[k + 1] == 2 {
                                XCTAssertFalse(palette256, "truecolor SGR in 256-colour mode")
                                colour = TrueColor(red: UInt8(params[k + 2]), green: UInt8(params[k + 3]), blue: UInt8(params[k + 4]))
                                k += 5
                            } else {
                                XCTAssertEqual(params[k + 1], 5)
                                XCTAssertTrue(palette256, "256-colour SGR in truecolor mode")
                                XCTAssertTrue((16...255).contains(params[k + 2]), "only cube and greys")
                                colour = XtermPalette.color(at: params[k + 2])
                                k += 3
                            }
                            if isForeground { fg = colour } else { bg = colour }
                        default: k += 1
                        }
                    }
                }
                i = j + 1
                continue
            }
            var cell = Cell()
            switch s {
            case "\u{2580}": cell = Cell(top: fg, bottom: bg)
            case "\u{2584}": cell = Cell(top: bg, bottom: fg)
            case " ": cell = Cell(top: bg, bottom: bg)
            default: throw XCTSkip("unexpected character \(s)")
            }
            cells[row, default: [:]][col] = cell
            col += 1
            i += 1
        }
    }
}

final class HalfBlockTests: XCTestCase {
    private let cell = CellPixelSize(width: 10, height: 20)

    /// An image whose every half-block sample is distinct and known: 2x4 pixels with one cell
    /// per pixel column and 2 rows of cells when fitted into a 2x2 cell rect.
    private func checker() -> RGBImage {
        RGBImage(width: 2, height: 4, rgb8: [
            255, 0, 0, 0, 255, 0,
            0, 0, 255, 255, 255, 0,
            10, 20, 30, 10, 20, 30,
            200, 100, 50, 0, 0, 0,
        ])
    }

    func testTrueColorCellsCarryUpperAndLowerPixels() throws {
        let rect = CellRect(row: 3, column: 7, columns: 2, rows: 2)
        let grid = try CellGrid(HalfBlockAdapter(colorDepth: .trueColor).draw(checker(), in: rect, cellPixels: cell),
                                palette256: false)
        func c(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> TrueColor { TrueColor(red: r, green: g, blue: b) }
        XCTAssertEqual(grid.cells[3]?[7], .init(top: c(255, 0, 0), bottom: c(0, 0, 255)))
        XCTAssertEqual(grid.cells[3]?[8], .init(top: c(0, 255, 0), bottom: c(255, 255, 0)))
        XCTAssertEqual(grid.cells[4]?[7], .init(top: c(10, 20, 30), bottom: c(200, 100, 50)))
        XCTAssertEqual(grid.cells[4]?[8], .init(top: c(10, 20, 30), bottom: c(0, 0, 0)))
        XCTAssertEqual(grid.cells.values.map(\.count).reduce(0, +), 4, "exactly the 4 cells are drawn")
    }

    func testPaletteCellsUseNearestCubeEntries() throws {
        let rect = CellRect(row: 0, column: 0, columns: 2, rows: 2)
        let grid = try CellGrid(HalfBlockAdapter(colorDepth: .xterm256).draw(checker(), in: rect, cellPixels: cell),
                                palette256: true)
        XCTAssertEqual(grid.cells[0]?[0], .init(top: XtermPalette.color(at: 196), bottom: XtermPalette.color(at: 21)))
        XCTAssertEqual(grid.cells[0]?[1], .init(top: XtermPalette.color(at: 46), bottom: XtermPalette.color(at: 226)))
        XCTAssertEqual(grid.cells[1]?[1]?.bottom, XtermPalette.color(at: 16))
        // (10, 20, 30): the cube offers black (0, 0, 0), the ramp grey 233 (18, 18, 18): grey is nearer.
        XCTAssertEqual(grid.cells[1]?[0]?.top, XtermPalette.color(at: 233))
    }

    func testGradientPhotoCellsMatchSourceAverages() throws {
        // A 40x20 gradient into 40x10 cells: one sample per pixel, colours exact in truecolor.
        let image = TestImages.gradient(width: 40, height: 20)
        let rect = CellRect(row: 1, column: 1, columns: 40, rows: 10)
        let grid = try CellGrid(HalfBlockAdapter(colorDepth: .trueColor).draw(image, in: rect, cellPixels: cell),
                                palette256: false)
        let bytes = image.rgb8Interleaved()
        for y in stride(from: 0, to: 20, by: 2) {
            for x in 0..<40 {
                let t = 3 * (y * 40 + x), b = 3 * ((y + 1) * 40 + x)
                XCTAssertEqual(grid.cells[1 + y / 2]?[1 + x],
                               .init(top: TrueColor(red: bytes[t], green: bytes[t + 1], blue: bytes[t + 2]),
                                     bottom: TrueColor(red: bytes[b], green: bytes[b + 1], blue: bytes[b + 2])),
                               "cell (\(y / 2), \(x))")
            }
        }
    }

    func testTextOverTheCellsRemovesThePicture() {
        XCTAssertEqual(HalfBlockAdapter().erase(CellRect(row: 1, column: 2, columns: 3, rows: 2)), [],
                       "nothing to send: the writer has ncurses repaint the cells")
    }
}
