import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier sheet`: the real binary, real photo and paintings, every family; the sheet's cells
/// are real renders, labelled, and each cell's recipe renders it full size.
final class SheetCommandTests: CLITestCase {
    private func sheet(_ arguments: [String]) throws -> AtelierBinary.Result {
        try AtelierBinary.run(["sheet"] + arguments, in: folder, home: home)
    }

    private func crop(_ image: RGBImage, x: Int, y: Int, width: Int, height: Int) -> RGBImage {
        var pixels: [Float] = []
        for c in 0..<3 { for row in y..<(y + height) { for col in x..<(x + width) { pixels.append(image[c, col, row]) } } }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    func testASheetOfEveryFamilyHasLabelledRealRendersAndARecipePerCell() throws {
        let result = try sheet([bridge, "-o", "sheet.png", "-s", picasso, "-s", whorls, "--builtins", "--size", "64", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try files(), ["sheet.png", "sheet.png.cells", "sheet.png.json"])
        let cells = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(cells.count, 1 + 2 * 2 + 26)
        XCTAssertEqual(cells.map { $0["cell"] as? Int }, Array(0..<31))
        XCTAssertEqual(cells[0]["label"] as? String, "photo")
        XCTAssertNil(cells[0]["recipe"])
        XCTAssertEqual(cells[1]["label"] as? String, "ust16x: picasso")
        XCTAssertEqual(cells[3]["label"] as? String, "magenta: picasso")
        XCTAssertEqual(cells[30]["label"] as? String, "cin26 #25")
        XCTAssertEqual(Set(cells.dropFirst().map { $0["model"] as? String }), ["ust16x", "magenta", "cin26"])
        let recipes = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sheet.png.cells").path)
        XCTAssertEqual(recipes.count, 30)
        XCTAssertTrue(recipes.contains("03-magenta-picasso.json"), "\(recipes)")

        // 31 cells: 6 columns, 6 rows of 64-pixel boxes with a label band.
        let image = try ImageFile.read(folder.appendingPathComponent("sheet.png"))
        XCTAssertEqual(image.width, 12 + 6 * (64 + 12))
        XCTAssertEqual(image.height, 12 + 6 * (64 + 16 + 6 + 12))

        // A cell is the render `atelier render` makes at that size, pixel for pixel.
        XCTAssertEqual(try render([bridge, "-s", picasso, "--size", "64", "--model", "magenta", "-o", "cell.png"]).status, 0)
        let cell = try ImageFile.read(folder.appendingPathComponent("cell.png"))
        let three = cells[3]
        XCTAssertEqual(crop(image, x: three["x"] as! Int, y: three["y"] as! Int, width: three["width"] as! Int, height: three["height"] as! Int), cell)

        // Its label is the text in the label font, below the box.
        let font = try BitmapFont(contentsOf: BitmapFont.labelFontPath)
        let label = "magenta: picasso"
        let drawnWidth = font.width(of: font.fitting(label, in: 64))
        let box = (x: 12 + 3 * 76, y: 12)
        var expected = RGBImage(width: 64, height: font.height, red: 0.11, green: 0.11, blue: 0.12)
        expected.draw(font.fitting(label, in: 64), font: font, x: (64 - drawnWidth) / 2, y: 0, rgb: (0.93, 0.93, 0.90))
        let band = crop(image, x: box.x, y: box.y + 64 + 4, width: 64, height: font.height)
        XCTAssertEqual(band.pixels.map { RGBImage.byte($0) }, expected.pixels.map { RGBImage.byte($0) })
        XCTAssertGreaterThan(Set(band.pixels.map { RGBImage.byte($0) }).count, 1, "the label band is not empty")

        // Any cell renders full size from its recipe.
        let full = try render(["--recipe", "sheet.png.cells/03-magenta-picasso.json"])
        XCTAssertEqual(full.status, 0, full.stderr)
        let big = try ImageFile.read(folder.appendingPathComponent("sheet.png.cells/03-magenta-picasso.png"))
        XCTAssertEqual(big.width, 512)
        XCTAssertEqual(try render([bridge, "-s", picasso, "--model", "magenta", "-o", "direct.png"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("direct.png")),
                       try Data(contentsOf: folder.appendingPathComponent("sheet.png.cells/03-magenta-picasso.png")))
    }

    func testTheScratchOfAnInterruptedSheetIsSweptByTheNextOne() throws {
        // Ctrl-C removes the scratch folder of cell pictures; a kill -9 (or a power cut) cannot,
        // but the folder is named like every temporary of ours, so the next sheet run on this
        // machine removes it.
        let scratch = folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let interrupted = try AtelierBinary.run(["-c", """
            atelier sheet "$1" -o s.png -s "$2" --builtins --size 256 >/dev/null 2>&1 & pid=$!
            for i in $(seq 3000); do [ -n "$(find tmp -mindepth 1 -type d)" ] && break; sleep 0.01; done
            kill -KILL $pid; wait $pid; echo "exit $?"
            """, "bash", bridge, whorls], in: folder, home: home, environment: ["TMPDIR": scratch.path],
            executable: URL(fileURLWithPath: "/bin/bash"))
        XCTAssertEqual(interrupted.stdout, "exit 137\n", interrupted.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path).count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("s.png").path))
        let next = try AtelierBinary.run(["sheet", bridge, "-o", "t.png", "-s", whorls, "--model", "ust16x", "--size", "48"],
                                         in: folder, home: home, environment: ["TMPDIR": scratch.path])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [])
    }

    func testAnExistingSheetIsKeptWithoutForceAndABadPhotoWritesNothing() throws {
        let first = try sheet([bridge, "-o", "s.png", "-s", whorls, "--model", "ust16x", "--size", "48"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("wrote "), first.stdout)
        let before = try Data(contentsOf: folder.appendingPathComponent("s.png"))
        let again = try sheet([bridge, "-o", "s.png", "-s", whorls, "--model", "ust16x", "--size", "48"])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("s.png")), before)
        let forced = try sheet([bridge, "-o", "s.png", "-s", picasso, "--model", "ust16x", "--size", "48", "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("s.png.cells").path),
                       ["01-ust16x-picasso.json"])

        try Data("not a photo".utf8).write(to: folder.appendingPathComponent("bad.jpg"))
        let bad = try sheet(["bad.jpg", "-o", "b.png", "-s", whorls, "--size", "48"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertEqual(try files(), ["bad.jpg", "s.png", "s.png.cells", "s.png.json"])
        let usage = try sheet([bridge, "-o", "u.png", "--model", "cin26"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
    }
}
