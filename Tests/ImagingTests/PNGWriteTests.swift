import Foundation
import XCTest
@testable import Imaging

/// Writing PNGs: round trips, streaming, and atomic replacement.
final class PNGWriteTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
    }

    private func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    /// A deterministic image with smooth and noisy parts.
    private func sample(width: Int, height: Int, seed: UInt64 = 7) -> RGBImage {
        var generator = SplitMix64(seed: seed)
        var image = RGBImage(width: width, height: height)
        for c in 0..<3 {
            for y in 0..<height {
                for x in 0..<width {
                    let noise = Float(generator.next() % 1000) / 1000
                    image[c, x, y] = x % 5 == 0 ? noise : Float(x + y * c) / Float(width + height * 2)
                }
            }
        }
        return image
    }

    func testRoundTripIsWithinHalfAByte() throws {
        let image = sample(width: 37, height: 23)
        let url = folder.appendingPathComponent("round.png")
        try ImageFile.writePNG(image, to: url)
        let back = try ImageFile.read(url)
        XCTAssertEqual([back.width, back.height], [37, 23])
        let worst = zip(image.pixels, back.pixels).map { abs($0 - $1) }.max() ?? 1
        XCTAssertLessThanOrEqual(worst, 0.5 / 255 + 1e-6)
        XCTAssertEqual(back.rgb8Interleaved(), image.rgb8Interleaved(), "8-bit values survive exactly")
        XCTAssertEqual(try contents(), ["round.png"], "no temporary file left behind")
    }

    func testRealPhotoRoundTripsExactly() throws {
        let original = try ImageFile.read(TestPaths.image("content/chicago.png"))
        let url = folder.appendingPathComponent("chicago copy.png")
        try ImageFile.writePNG(original, to: url)
        XCTAssertEqual(try ImageFile.read(url), original)
        let head = [UInt8](try Data(contentsOf: url).prefix(8))
        XCTAssertEqual(head, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testOutOfRangeValuesAreClamped() throws {
        var image = RGBImage(width: 2, height: 1)
        image.pixels = [-0.5, 1.5, 0.25, 2, -1, 0.75]
        let url = folder.appendingPathComponent("clamped.png")
        try ImageFile.writePNG(image, to: url)
        XCTAssertEqual(try ImageFile.read(url).rgb8Interleaved(), [0, 64, 0, 255, 255, 191], "planar (R0 R1 G0 G1 B0 B1) clamped and rounded")
    }

    func testWritingIntoAMissingFolderFailsCleanly() throws {
        let url = folder.appendingPathComponent("no/such/folder/out.png")
        assertImageError(try ImageFile.writePNG(RGBImage(width: 4, height: 4), to: url), naming: url.path) {
            if case .cannotWrite(_, let reason) = $0 { return reason.contains("does not exist") } else { return false }
        }
        XCTAssertEqual(try contents(), [])
    }

    func testDestinationThatIsAFolderFailsWithoutLeftovers() throws {
        let url = folder.appendingPathComponent("taken.png")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        assertImageError(try ImageFile.writePNG(RGBImage(width: 4, height: 4), to: url), naming: url.path) {
            if case .cannotWrite = $0 { return true } else { return false }
        }
        XCTAssertEqual(try contents(), ["taken.png"])
    }

    func testExistingFileIsReplacedOnlyOnSuccess() throws {
        let url = folder.appendingPathComponent("out.png")
        let first = RGBImage(width: 8, height: 6, red: 1, green: 0, blue: 0)
        try ImageFile.writePNG(first, to: url)
        let firstBytes = try Data(contentsOf: url)

        // A stream that is abandoned half-way leaves the old file alone and cleans up.
        let abandoned = try PNGStreamWriter.open(url, width: 8, height: 6)
        let temporary = try XCTUnwrap(abandoned.temporaryPath)
        XCTAssertEqual(URL(fileURLWithPath: temporary).deletingLastPathComponent().path, folder.path,
                       "the temporary file sits next to the destination (same file system)")
        try abandoned.append(rows: RGBImage(width: 8, height: 3, green: 1))
        XCTAssertTrue(FileManager.default.fileExists(atPath: temporary))
        XCTAssertEqual(try Data(contentsOf: url), firstBytes, "destination untouched while writing")
        abandoned.abort()
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary))
        XCTAssertEqual(try Data(contentsOf: url), firstBytes)
        XCTAssertEqual(try contents(), ["out.png"])

        // Finishing with rows missing fails and leaves the old file alone.
        let short = try PNGStreamWriter.open(url, width: 8, height: 6)
        try short.append(rows: RGBImage(width: 8, height: 5, green: 1))
        assertImageError(try short.finish(), naming: url.path) {
            if case .cannotWrite(_, let reason) = $0 { return reason.contains("5 of 6") } else { return false }
        }
        XCTAssertEqual(try Data(contentsOf: url), firstBytes)
        XCTAssertEqual(try contents(), ["out.png"])

        // A complete write replaces it.
        try ImageFile.writePNG(RGBImage(width: 8, height: 6, blue: 1), to: url)
        XCTAssertEqual(try ImageFile.read(url), RGBImage(width: 8, height: 6, blue: 1))
        XCTAssertEqual(try contents(), ["out.png"])
    }

    func testWriterThatIsDroppedCleansUp() throws {
        let url = folder.appendingPathComponent("dropped.png")
        var writer: PNGStreamWriter? = try PNGStreamWriter.open(url, width: 3, height: 3)
        try writer?.append(rows: RGBImage(width: 3, height: 1))
        writer = nil
        XCTAssertEqual(try contents(), [])
    }

    func testStreamingInStripsEqualsWritingAtOnce() throws {
        let image = sample(width: 301, height: 157, seed: 3)
        let whole = folder.appendingPathComponent("whole.png")
        try ImageFile.writePNG(image, to: whole)
        let streamed = folder.appendingPathComponent("streamed.png")
        let writer = try PNGStreamWriter.open(streamed, width: 301, height: 157)
        var y = 0
        for count in [1, 64, 65, 27] {
            try writer.append(rows: image, from: y, to: y + count)
            y += count
            XCTAssertEqual(writer.rowsWritten, y)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: streamed.path), "nothing at the destination before finish")
        try writer.finish()
        XCTAssertEqual(try Data(contentsOf: streamed), try Data(contentsOf: whole))
    }

    func testInterleavedRowsAreAccepted() throws {
        let url = folder.appendingPathComponent("bytes.png")
        let writer = try PNGStreamWriter.open(url, width: 2, height: 2)
        try writer.append(interleavedRows: [255, 0, 0, 0, 255, 0], count: 1)
        try writer.append(interleavedRows: [0, 0, 255, 10, 20, 30], count: 1)
        try writer.finish()
        XCTAssertEqual(try ImageFile.read(url).rgb8Interleaved(), [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
    }

    func testMisuseIsAnErrorNotACrash() throws {
        let url = folder.appendingPathComponent("misuse.png")
        let narrow = try PNGStreamWriter.open(url, width: 4, height: 2)
        assertImageError(try narrow.append(rows: RGBImage(width: 3, height: 1)), naming: url.path) {
            if case .cannotWrite = $0 { return true } else { return false }
        }
        XCTAssertEqual(try contents(), [], "a failed writer removes its temporary file")

        let tall = try PNGStreamWriter.open(url, width: 4, height: 2)
        assertImageError(try tall.append(rows: RGBImage(width: 4, height: 3)), naming: url.path) {
            if case .cannotWrite = $0 { return true } else { return false }
        }
        XCTAssertEqual(try contents(), [])

        let done = try PNGStreamWriter.open(url, width: 1, height: 1)
        try done.append(rows: RGBImage(width: 1, height: 1))
        try done.finish()
        assertImageError(try done.append(rows: RGBImage(width: 1, height: 1)), naming: url.path) {
            if case .cannotWrite = $0 { return true } else { return false }
        }
        XCTAssertEqual(try contents(), ["misuse.png"])

        assertImageError(try PNGStreamWriter.open(url, width: 0, height: 5), naming: url.path) {
            if case .cannotWrite = $0 { return true } else { return false }
        }
    }
}
