#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import Imaging

/// Tiny or strange inputs: refused quickly with a clear error, never a hang or a huge allocation.
final class HostileFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
    }

    private func reproducer(_ path: String) -> URL {
        TestPaths.repoRoot.appendingPathComponent("Fuzz/Reproducers").appendingPathComponent(path)
    }

    /// Runs `body` on another thread and fails (instead of hanging the suite) if it takes more than 20 s.
    private func withinTwentySeconds(_ what: String, _ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        Thread { body(); done.signal() }.start()
        if done.wait(timeout: .now() + 20) == .timedOut { XCTFail("\(what) hangs") }
    }

    func testAJPEGHeaderWithoutScanDataIsTruncatedNotPadded() throws {
        let url = reproducer("jpeg/header-10000x10000-no-scan-data.jpg")
        XCTAssertEqual(try Data(contentsOf: url).count, 625)
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .truncated(path: url.path) }
    }

    func testAJPEGScanCutShortByAMarkerIsTruncated() throws {
        // A real JPEG whose entropy-coded data stops halfway, followed by an end-of-image marker.
        let whole = [UInt8](try Data(contentsOf: TestPaths.image("content/bridge.jpg")))
        let url = folder.appendingPathComponent("cut.jpg")
        try Data(whole.prefix(whole.count / 2) + [0xFF, 0xD9]).write(to: url)
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .truncated(path: url.path) }
    }

    func testAPNGWithAHugeTextChunkIsTruncated() throws {
        let url = reproducer("png/itxt-length-2GB.png")
        assertImageError(try ImageFile.read(url), naming: url.path) { $0 == .truncated(path: url.path) }
    }

    func testFIFOsAndDevicesAreRefusedWithoutBlocking() throws {
        let fifo = folder.appendingPathComponent("photo.png")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        for url in [fifo, URL(fileURLWithPath: "/dev/zero")] {
            nonisolated(unsafe) var caught: Error?
            withinTwentySeconds(url.path) {
                do { _ = try ImageFile.read(url) } catch { caught = error }
            }
            let error = try XCTUnwrap(caught as? ImageFileError, url.path)
            XCTAssertTrue(error.description.contains("not a regular file"), error.description)
            nonisolated(unsafe) var caughtMask: Error?
            withinTwentySeconds(url.path) {
                do { _ = try ImageFile.readMask(url) } catch { caughtMask = error }
            }
            XCTAssertNotNil(caughtMask as? ImageFileError)
        }
    }

    func testRegularFileReadsAreBounded() throws {
        let url = folder.appendingPathComponent("big.bin")
        try Data(count: 5000).write(to: url)
        XCTAssertThrowsError(try RegularFile.bytes(url.path, limit: 4096)) { error in
            XCTAssertEqual(error as? RegularFile.Problem, .tooLarge(limit: 4096))
        }
        XCTAssertEqual(try RegularFile.bytes(url.path, limit: 5000).count, 5000)
    }

    func testEveryWebPTIFFAndHEIFReproducerIsRefusedCleanly() throws {
        // Inputs the fuzz targets found (Fuzz/Reproducers/<format>).
        var count = 0
        for format in ["webp", "tiff", "heif"] {
            let folder = reproducer(format)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let url = folder.appendingPathComponent(name)
                // Decoded (libheif reads some damaged files fine, leaking inside) or a clear error; never a crash.
                do { _ = try ImageFile.read(url) } catch { XCTAssertTrue(error is ImageFileError, "\(name): \(error)") }
                count += 1
            }
        }
        XCTAssertGreaterThanOrEqual(count, 1)
    }

    func testAHEIFWhoseAlphaStreamIsHugerThanTheImageIsRefusedBeforeAllocating() throws {
        // A 48x32 HEIC whose alpha stream's own header claims 29545x30305 (found by the heif fuzz
        // target): libheif allocated 895 MB for it before failing. Refused as damaged, naming it.
        let url = reproducer("heif/alpha-stream-29545x30305.heic")
        XCTAssertThrowsError(try ImageFile.read(url)) { error in
            guard case ImageFileError.corrupt(_, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("a coded stream is larger than the image"), reason)
            XCTAssertTrue(reason.contains("29545x30305"), reason)
        }
    }
}
