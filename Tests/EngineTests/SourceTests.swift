import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

final class FileIdentityTests: XCTestCase {
    func testHashesOncePerFileVersion() throws {
        let folder = try makeScratchFolder(self)
        let file = folder.appendingPathComponent("x.bin")
        try Data("first".utf8).write(to: file)
        let identities = FileIdentity()
        let first = try identities.digest(ofFileAt: file.path)
        XCTAssertEqual(first, SHA256.hex(of: Array("first".utf8)))
        XCTAssertEqual(try identities.digest(ofFileAt: file.path), first)
        XCTAssertEqual(identities.filesHashed, 1)
        try Data("second!".utf8).write(to: file)
        XCTAssertEqual(try identities.digest(ofFileAt: file.path), SHA256.hex(of: Array("second!".utf8)))
        XCTAssertEqual(identities.filesHashed, 2)
    }

    func testMissingFilesAndFoldersGiveOneLineErrors() throws {
        let folder = try makeScratchFolder(self)
        let identities = FileIdentity()
        XCTAssertThrowsError(try identities.digest(ofFileAt: folder.appendingPathComponent("gone.jpg").path)) { error in
            XCTAssertEqual(String(describing: error), "gone.jpg: no such file (check the path)")
        }
        XCTAssertThrowsError(try identities.digest(ofFileAt: folder.path)) { error in
            XCTAssertTrue(String(describing: error).hasSuffix(": is a folder"))
        }
    }
}

final class SourceLibraryTests: XCTestCase {
    func testFitSizes() {
        XCTAssertTrue(SourceFit.original.size(width: 640, height: 480) == (640, 480))
        XCTAssertTrue(SourceFit.longerSide(128).size(width: 640, height: 480) == (128, 96))
        XCTAssertTrue(SourceFit.longerSide(1000).size(width: 640, height: 480) == (1000, 750))
        XCTAssertTrue(SourceFit.box(width: 200, height: 200).size(width: 640, height: 480) == (200, 150))
        XCTAssertTrue(SourceFit.box(width: 1000, height: 100).size(width: 640, height: 480) == (133, 100))
        XCTAssertTrue(SourceFit.box(width: 2000, height: 2000).size(width: 640, height: 480) == (640, 480), "never enlarged")
        XCTAssertTrue(SourceFit.longerSide(1).size(width: 1000, height: 10) == (1, 1))
    }

    func testDecodesOnceAndKeysByContentAndSize() throws {
        let fixtures = try Fixtures(self)
        let copy = fixtures.folder.appendingPathComponent("copy-of-photo.png").path
        try FileManager.default.copyItem(atPath: fixtures.photo, toPath: copy)
        let backend = CountingBackend()
        let library = SourceLibrary(backend: backend)
        let small = try library.image(atPath: fixtures.photo, fit: .longerSide(160))
        let digest = try library.digest(ofFileAt: fixtures.photo)
        XCTAssertEqual(small.identity, "\(digest)@160x120")
        XCTAssertEqual(small.image.width, 160)
        let original = try library.image(atPath: fixtures.photo, fit: .original)
        XCTAssertEqual(original.identity, "\(digest)@320x240")
        let viaCopy = try library.image(atPath: copy, fit: .longerSide(160))
        XCTAssertEqual(viaCopy.identity, small.identity, "same bytes, same identity, whatever the name")
        XCTAssertEqual(viaCopy.image, small.image)
        XCTAssertEqual(backend.reads, 1, "decoded once")
        let stats = library.statistics
        XCTAssertEqual(stats.entries, 2, "the original and one resized version")
        XCTAssertEqual(stats.usedBytes, (320 * 240 + 160 * 120) * 3 * 4)
        XCTAssertGreaterThan(stats.hits, 0)
    }

    func testDecodedImagesAreBoundedInBytes() throws {
        let fixtures = try Fixtures(self)
        let backend = CountingBackend()
        let library = SourceLibrary(backend: backend, capacityBytes: 320 * 240 * 12 + 1000)
        _ = try library.image(atPath: fixtures.photo, fit: .original)
        _ = try library.image(atPath: fixtures.styleA, fit: .original)
        XCTAssertLessThanOrEqual(library.statistics.usedBytes, library.statistics.capacityBytes)
        _ = try library.image(atPath: fixtures.photo, fit: .original)
        XCTAssertEqual(backend.reads, 3, "the photo was evicted by the style and decoded again")
    }

    func testBadFilesGiveOneLineErrorsNamingTheFile() throws {
        let folder = try makeScratchFolder(self)
        let junk = folder.appendingPathComponent("junk.jpg")
        try Data("this is not a picture".utf8).write(to: junk)
        let library = SourceLibrary(backend: CountingBackend())
        XCTAssertThrowsError(try library.image(atPath: junk.path, fit: .original)) { error in
            XCTAssertEqual(String(describing: error),
                           "cannot read \(junk.path): not a PNG, JPEG, WebP, TIFF, HEIC or AVIF image (the content does not start like one)")
        }
        XCTAssertThrowsError(try library.mask(atPath: folder.appendingPathComponent("none.png").path)) { error in
            XCTAssertEqual(error as? SourceError, .missing(path: folder.appendingPathComponent("none.png").path))
        }
    }

    func testMasksAreReadAsOneChannel() throws {
        let folder = try makeScratchFolder(self)
        let url = folder.appendingPathComponent("m.png")
        try TestPictures.write(GrayImage(width: 4, height: 2, pixels: [0, 1, 0, 1, 1, 1, 0, 0]), to: url)
        let backend = CountingBackend()
        let library = SourceLibrary(backend: backend)
        let mask = try library.mask(atPath: url.path)
        XCTAssertEqual(mask.pixels, [0, 1, 0, 1, 1, 1, 0, 0])
        _ = try library.mask(atPath: url.path)
        XCTAssertEqual(backend.reads, 1)
    }
}

/// `<repo>/../shared`, or `$ATELIER_SHARED`.
func sharedFolder() -> URL {
    if let shared = ProcessInfo.processInfo.environment["ATELIER_SHARED"], !shared.isEmpty {
        return URL(fileURLWithPath: shared, isDirectory: true)
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)
}
