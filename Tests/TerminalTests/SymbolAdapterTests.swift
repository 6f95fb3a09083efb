import Foundation
import Imaging
@testable import Terminal
import XCTest

/// The chafa symbol preview against our half blocks on the shared photos: the bytes each adapter
/// sends are replayed on a model terminal (cursor moves, 24-bit SGR colours, characters), each
/// cell is painted back to 8x16 pixels with its glyph's shape, and compared with the photo.
final class SymbolAdapterTests: XCTestCase {
    /// One painted cell: its character and colours.
    private struct Cell { var character: Character; var foreground: TrueColor; var background: TrueColor }

    /// Replays adapter output: cursor positions, `38;2`/`48;2` colours, characters.
    private func cells(_ bytes: [UInt8]) throws -> [Int: [Int: Cell]] {
        let text = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        var out: [Int: [Int: Cell]] = [:]
        var i = 0, row = 0, col = 0
        var fg = TrueColor(red: 0, green: 0, blue: 0), bg = fg
        while i < text.count {
            if text[i] == "\u{1B}" {
                var j = i + 2, body = ""
                while j < text.count, !(0x40...0x7E).contains(text[j].value) { body.unicodeScalars.append(text[j]); j += 1 }
                let params = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                if text[j] == "H" { row = params[0] - 1; col = params[1] - 1 }
                if text[j] == "m", params.count == 5, params[1] == 2 {
                    let c = TrueColor(red: UInt8(params[2]), green: UInt8(params[3]), blue: UInt8(params[4]))
                    if params[0] == 38 { fg = c } else { bg = c }
                }
                i = j + 1
                continue
            }
            out[row, default: [:]][col] = Cell(character: Character(text[i]), foreground: fg, background: bg)
            col += 1
            i += 1
        }
        return out
    }

    /// PSNR in dB of the cells painted back (8x16 pixels a cell) against `reference`.
    private func psnr(_ cells: [Int: [Int: Cell]], area: CellRect, reference: [UInt8]) throws -> Double {
        var squared = 0.0
        let width = area.columns * 8
        for r in 0..<area.rows {
            for c in 0..<area.columns {
                let cell = try XCTUnwrap(cells[area.row + r]?[area.column + c], "cell \(r),\(c) drawn")
                let ink = try XCTUnwrap(SymbolAdapter.coverage(of: cell.character), "a glyph for \(cell.character)")
                for y in 0..<16 {
                    for x in 0..<8 {
                        let share = Double(ink[(y / 2) * 8 + x])
                        let p = 3 * ((r * 16 + y) * width + c * 8 + x)
                        let fg = [cell.foreground.red, cell.foreground.green, cell.foreground.blue]
                        let bg = [cell.background.red, cell.background.green, cell.background.blue]
                        for k in 0..<3 {
                            let shown = share * Double(fg[k]) + (1 - share) * Double(bg[k])
                            let d = shown - Double(reference[p + k])
                            squared += d * d
                        }
                    }
                }
            }
        }
        let mse = squared / Double(area.columns * area.rows * 8 * 16 * 3)
        return 10 * log10(255 * 255 / max(mse, 1e-9))
    }

    func testGlyphShapes() throws {
        let upper = try XCTUnwrap(SymbolAdapter.coverage(of: "▀"))
        XCTAssertEqual(upper.prefix(32).reduce(0, +), 32, "the upper half is ink")
        XCTAssertEqual(upper.suffix(32).reduce(0, +), 0)
        XCTAssertEqual(SymbolAdapter.coverage(of: " ")?.reduce(0, +), 0)
        let quadrant = try XCTUnwrap(SymbolAdapter.coverage(of: "▚"))  // upper left and lower right
        XCTAssertEqual([quadrant[0], quadrant[7], quadrant[56], quadrant[63]], [1, 0, 0, 1])
        XCTAssertEqual(SymbolAdapter.coverage(of: "▂")?.reduce(0, +), 16, "lower quarter")
    }

    func testSymbolsAreCloserToThePhotoThanHalfBlocks() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/images/content")
        let photos = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertGreaterThanOrEqual(photos.count, 3, "the shared photos are at \(folder.path)")
        let cellPixels = CellPixelSize(width: 8, height: 16)
        var gains: [String] = []
        var total = 0.0
        for name in photos {
            let photo = try ImageFile.read(folder.appendingPathComponent(name))
            for (columns, rows) in [(60, 20), (100, 40)] {
                let rect = CellRect(row: 0, column: 0, columns: columns, rows: rows)
                let symbols = SymbolAdapter(colorDepth: .trueColor)
                let area = symbols.footprint(width: photo.width, height: photo.height, in: rect, cellPixels: cellPixels)
                XCTAssertEqual(area, HalfBlockAdapter().footprint(width: photo.width, height: photo.height, in: rect, cellPixels: cellPixels))
                let reference = Raster(resampling: photo, width: area.columns * 8, height: area.rows * 16).bytes
                let half = try psnr(cells(HalfBlockAdapter(colorDepth: .trueColor).draw(photo, in: rect, cellPixels: cellPixels)),
                                    area: area, reference: reference)
                let chafa = try psnr(cells(symbols.draw(photo, in: rect, cellPixels: cellPixels)), area: area, reference: reference)
                gains.append(String(format: "%@ %dx%d: half-block %.2f dB, symbols %.2f dB (%+.2f)", name, columns, rows, half, chafa, chafa - half))
                XCTAssertGreaterThan(chafa, half + 0.5, "\(name) at \(columns)x\(rows)")
                total += chafa - half
            }
        }
        print(gains.joined(separator: "\n"))
        XCTAssertGreaterThan(total / Double(gains.count), 1.5, "mean gain:\n" + gains.joined(separator: "\n"))
    }

    func testSixteenColoursGiveAColourPicture() throws {
        var image = RGBImage(width: 32, height: 32)
        for y in 0..<32 { for x in 0..<32 { image.pixels[y * 32 + x] = x < 16 ? 1 : 0; image.pixels[1024 + y * 32 + x] = 0; image.pixels[2048 + y * 32 + x] = x < 16 ? 0 : 1 } }
        let text = String(decoding: SymbolAdapter(colorDepth: .basic).draw(image, in: CellRect(row: 0, column: 0, columns: 8, rows: 4),
                                                                         cellPixels: CellPixelSize(width: 8, height: 16)), as: UTF8.self)
        XCTAssertTrue(text.contains("\u{1B}[41m") || text.contains("\u{1B}[101m"), "red as an ANSI background")
        XCTAssertTrue(text.contains("\u{1B}[44m") || text.contains("\u{1B}[104m"), "blue as an ANSI background")
        XCTAssertFalse(text.contains("38;5") || text.contains("38;2"), "only the 16 colours")
    }
}
