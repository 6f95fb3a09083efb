import Engine
import Foundation
import Imaging
import XCTest

/// `OutputPair.commit`: the PNG and its recipe replace the old pair together or not at all.
final class OutputPairTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("output-pair-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }

    private func writer(for pair: OutputPair) throws -> PNGStreamWriter {
        let writer = try pair.openImage(width: 4, height: 3)
        try writer.append(rows: RGBImage(width: 4, height: 3, red: 1))
        return writer
    }

    func testBothFilesReplaceTheOldPair() throws {
        let image = folder.appendingPathComponent("out.png")
        try Data("old image".utf8).write(to: image)
        try Data("old recipe".utf8).write(to: folder.appendingPathComponent("out.png.json"))
        let pair = try OutputPair.prepare(image: image, overwrite: true)
        XCTAssertTrue(try pair.commit(try writer(for: pair)) { _ in Data("new recipe".utf8) })
        XCTAssertEqual(try ImageFile.read(image).width, 4)
        XCTAssertEqual(try String(contentsOf: pair.recipe, encoding: .utf8), "new recipe")
        XCTAssertEqual(try names(), ["out.png", "out.png.json"])
    }

    func testARecipeThatCannotBePutInPlaceLeavesTheOldPairUntouched() throws {
        let image = folder.appendingPathComponent("out.png")
        try Data("old image".utf8).write(to: image)
        let pair = try OutputPair.prepare(image: image, overwrite: true)
        // Something takes the recipe's place after the checks (a folder, with a file inside).
        try FileManager.default.createDirectory(at: pair.recipe, withIntermediateDirectories: false)
        try Data().write(to: pair.recipe.appendingPathComponent("keep"))
        XCTAssertThrowsError(try pair.commit(try writer(for: pair)) { _ in Data("new recipe".utf8) }) { error in
            XCTAssertTrue("\(error)".contains("out.png.json"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: image, encoding: .utf8), "old image")
        XCTAssertEqual(try names(), ["out.png", "out.png.json"])
    }

    func testAFailingRecipeLeavesNoNewImageWhereThereWasNone() throws {
        let image = folder.appendingPathComponent("fresh.png")
        let pair = try OutputPair.prepare(image: image, overwrite: false)
        struct Refused: Error {}
        XCTAssertThrowsError(try pair.commit(try writer(for: pair)) { _ in throw Refused() })
        XCTAssertEqual(try names(), [])
    }

    func testExistingOutputsNeedOverwrite() throws {
        let image = folder.appendingPathComponent("out.png")
        try Data("old".utf8).write(to: image)
        XCTAssertThrowsError(try OutputPair.prepare(image: image, overwrite: false)) { error in
            XCTAssertEqual(error as? RenderJobError, .outputExists(path: image.path))
        }
    }
}
