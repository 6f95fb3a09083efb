import Foundation
import XCTest
@testable import Imaging

/// Bad input gives a clear error naming the file, never a crash.
final class BrokenFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
    }

    private func write(_ bytes: [UInt8], _ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    private func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    func testMissingFile() {
        let url = folder.appendingPathComponent("nowhere.png")
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .missing(path: url.path) }
        assertImageError(try ImageFile.readMask(url), naming: url.path) { $0 == .missing(path: url.path) }
    }

    func testFolderIsUnreadable() {
        assertImageError(try ImageFile.read(folder), naming: folder.path) {
            if case .unreadable = $0 { return true } else { return false }
        }
    }

    func testZeroBytes() throws {
        let url = try write([], "empty.jpg")
        let error = assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .empty(path: url.path) }
        XCTAssertTrue(error?.description.contains("empty") ?? false)
    }

    func testTextFileNamedPNG() throws {
        let url = try write(Array("hello, this is not a picture\n".utf8), "x.png")
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .notAnImage(path: url.path) }
    }

    func testOtherFormatsAreNamed() throws {
        let gif = try write(Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0], "anim.png")
        assertImageError(try ImageFile.read(gif), naming: gif.path) { $0 == .unsupportedFormat(path: gif.path, format: "GIF") }
        let bmp = try write(Array("BM".utf8) + [UInt8](repeating: 0, count: 12) + [40, 0, 0, 0], "photo.jpg")
        assertImageError(try ImageFile.read(bmp), naming: bmp.path) { $0 == .unsupportedFormat(path: bmp.path, format: "BMP") }
        // A WebP header with no image data is a WebP that cannot be read, not another format.
        let webp = try write(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8 ".utf8), "photo.jpg")
        assertImageError(try ImageFile.read(webp), naming: webp.path) {
            if case .unsupportedFormat = $0 { return false } else { return true }
        }
    }

    func testTruncatedPNG() throws {
        let whole = try bytes(TestPaths.image("content/chicago.png"))
        let url = try write(Array(whole.prefix(whole.count / 2)), "half.png")
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .truncated(path: url.path) }
    }

    func testTruncatedJPEG() throws {
        let whole = try bytes(TestPaths.image("content/bridge.jpg"))
        let url = try write(Array(whole.prefix(whole.count / 2)), "half.jpg")
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .truncated(path: url.path) }
    }

    func testTruncatedProgressiveJPEG() throws {
        let whole = try bytes(TestPaths.image("style/ink_face.jpg"))
        let url = try write(Array(whole.prefix(whole.count / 2)), "half-progressive.jpg")
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .truncated(path: url.path) }
    }

    func testPNGWithBadHeaderChecksumIsCorrupt() throws {
        var data = try bytes(TestPaths.fixture("rgba.png"))
        data[29] ^= 0xFF // first byte of the IHDR CRC
        let url = try write(data, "badcrc.png")
        assertImageError(try ImageFile.read(url), naming: url.path) {
            if case .corrupt = $0 { return true } else { return false }
        }
    }

    func testJPEGWithGarbageAfterTheStartMarkerIsCorrupt() throws {
        let url = try write([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0x42, count: 64), "garbage.jpg")
        assertImageError(try ImageFile.read(url), naming: url.path) {
            if case .corrupt = $0 { return true } else { return false }
        }
    }

    /// A real PNG whose IHDR claims 20000x20000 (CRC fixed): refused before decoding.
    func testPNGBombIsRefusedFromTheHeader() throws {
        var data = try bytes(TestPaths.fixture("rgba.png"))
        let big: [UInt8] = [0, 0, 0x4E, 0x20] // 20000 big-endian
        data.replaceSubrange(16..<20, with: big)
        data.replaceSubrange(20..<24, with: big)
        let crc = crc32(Array(data[12..<29]))
        data.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)])
        let url = try write(data, "bomb.png")
        let error = assertImageError(try ImageFile.read(url), naming: url.path) {
            $0 == .tooLarge(path: url.path, width: 20000, height: 20000, limit: 100_000_000)
        }
        XCTAssertTrue(error?.description.contains("--max-pixels") ?? false)
        XCTAssertTrue(error?.description.contains("20000x20000") ?? false)
        XCTAssertTrue(error?.description.contains("100000000") ?? false)
        assertImageError(try ImageFile.readMask(url), naming: url.path) {
            if case .tooLarge = $0 { return true } else { return false }
        }
    }

    /// A real JPEG whose SOF claims 30000x30000: refused before decoding.
    func testJPEGBombIsRefusedFromTheHeader() throws {
        var data = try bytes(TestPaths.fixture("orientation1.jpg"))
        guard let sof = (0..<(data.count - 1)).first(where: { data[$0] == 0xFF && data[$0 + 1] == 0xC0 }) else {
            return XCTFail("no SOF0 marker in the fixture")
        }
        data.replaceSubrange((sof + 5)..<(sof + 9), with: [0x75, 0x30, 0x75, 0x30]) // 30000 x 30000
        let url = try write(data, "bomb.jpg")
        assertImageError(try ImageFile.read(url), naming: url.path) {
            $0 == .tooLarge(path: url.path, width: 30000, height: 30000, limit: 100_000_000)
        }
    }

    func testMaxPixelsAppliesToOrdinaryImages() throws {
        let url = TestPaths.image("content/chicago.png")
        assertImageError(try ImageFile.read(url, maxPixels: 384 * 256 - 1), naming: url.path) {
            $0 == .tooLarge(path: url.path, width: 384, height: 256, limit: 384 * 256 - 1)
        }
        XCTAssertEqual(try ImageFile.read(url, maxPixels: 384 * 256).width, 384)
    }

    /// Every prefix and thousands of single-byte corruptions of a PNG and a JPEG: each read
    /// either succeeds with a valid image or throws an ImageFileError naming the file. (A small
    /// pixel limit keeps damaged size fields from turning into slow multi-megapixel decodes.)
    func testDamagedFilesNeverCrash() throws {
        var generator = SplitMix64(seed: 42)
        for fixture in ["interlaced_rgba16.png", "palette_trns.png", "orientation6.jpg", "cmyk.jpg"] {
            let original = try bytes(TestPaths.fixture(fixture))
            var variants: [[UInt8]] = stride(from: 1, to: original.count, by: 7).map { Array(original.prefix($0)) }
            for _ in 0..<300 {
                var damaged = original
                let index = Int(generator.next() % UInt64(damaged.count))
                damaged[index] = UInt8(truncatingIfNeeded: generator.next())
                variants.append(damaged)
            }
            for (i, variant) in variants.enumerated() {
                // Decoded from memory (thousands of temp files are slow on some file systems);
                // the path is only used to name the data in errors.
                let name = "damaged-\(i)-\(fixture)"
                do {
                    let image = try ImageFile.image(from: variant, path: name, maxPixels: 4096)
                    XCTAssertTrue(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
                } catch let error as ImageFileError {
                    XCTAssertTrue(error.description.contains(name))
                }
            }
        }
        // And one through the file system, end to end.
        var damaged = try bytes(TestPaths.fixture("orientation6.jpg"))
        damaged[damaged.count / 2] ^= 0xFF
        let url = try write(damaged, "damaged.jpg")
        do {
            let image = try ImageFile.read(url)
            XCTAssertEqual([image.width, image.height], [16, 32])
        } catch let error as ImageFileError {
            XCTAssertTrue(error.description.contains(url.path))
        }
    }
}

/// A small deterministic random generator for reproducible damage.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Progressive JPEGs with absurd numbers of scans are refused (a CPU bomb in a small file).
final class ScanBombTests: XCTestCase {
    func testThousandsOfScansAreRefused() throws {
        let original = [UInt8](try Data(contentsOf: TestPaths.image("style/ink_face.jpg")))
        // The last scan runs from its SOS marker (FF DA) to the end-of-image marker (FF D9).
        guard let lastScan = (0..<(original.count - 1)).last(where: { original[$0] == 0xFF && original[$0 + 1] == 0xDA }),
              original.suffix(2) == [0xFF, 0xD9] else {
            return XCTFail("ink_face.jpg is expected to be a progressive JPEG ending in EOI")
        }
        let scan = Array(original[lastScan..<(original.count - 2)])
        var bomb = Array(original[0..<(original.count - 2)])
        for _ in 0..<600 { bomb += scan }
        bomb += [0xFF, 0xD9]
        let folder = try makeTemporaryFolder(self)
        let url = folder.appendingPathComponent("scans.jpg")
        try Data(bomb).write(to: url)
        assertImageError(try ImageFile.read(url), naming: url.path) {
            if case .corrupt(_, let reason) = $0 { return reason.contains("scans") } else { return false }
        }
        // The same file with the scan repeated a few times is still read.
        var few = Array(original[0..<(original.count - 2)])
        for _ in 0..<3 { few += scan }
        few += [0xFF, 0xD9]
        try Data(few).write(to: url)
        XCTAssertEqual(try ImageFile.read(url).width, 461)
    }
}
