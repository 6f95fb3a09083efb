import Foundation
import XCTest
@testable import Imaging

/// Where the test material lives.
enum TestPaths {
    /// The repository root, found from this file's location (Tests/ImagingTests/TestSupport.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Shared material: $ATELIER_SHARED, else `<repo root>/../shared`.
    static let shared: URL = {
        if let override = ProcessInfo.processInfo.environment["ATELIER_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// A shared test image, e.g. `image("content/chicago.png")`.
    static func image(_ relative: String) -> URL {
        shared.appendingPathComponent("images").appendingPathComponent(relative)
    }

    /// A committed fixture made by Fixtures/make_fixtures.py.
    static func fixture(_ name: String) -> URL {
        repoRoot.appendingPathComponent("Tests/ImagingTests/Fixtures").appendingPathComponent(name)
    }
}

/// A fresh temporary folder, removed when the test case ends.
func makeTemporaryFolder(_ test: XCTestCase) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("atelier-imaging-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
    return folder
}

/// Asserts that `body` throws an `ImageFileError` matching `expected`, and that its description
/// names `path`; returns the error for further checks.
@discardableResult
func assertImageError(_ body: @autoclosure () throws -> Any, naming path: String,
                      _ expected: (ImageFileError) -> Bool, file: StaticString = #filePath, line: UInt = #line)
    -> ImageFileError? {
    do {
        _ = try body()
        XCTFail("expected an ImageFileError, got success", file: file, line: line)
    } catch let error as ImageFileError {
        XCTAssertTrue(expected(error), "unexpected error: \(error)", file: file, line: line)
        XCTAssertTrue(error.description.contains(path), "\"\(error)\" does not name \(path)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected an ImageFileError, got \(error)", file: file, line: line)
    }
    return nil
}

/// Asserts one RGB pixel against 8-bit values within `tolerance` (in 1/255 units).
func assertPixel(_ image: RGBImage, _ x: Int, _ y: Int, _ rgb: (Int, Int, Int), tolerance: Float = 1,
                 _ context: String = "", file: StaticString = #filePath, line: UInt = #line) {
    let want = [rgb.0, rgb.1, rgb.2]
    for c in 0..<3 {
        let got = image[c, x, y] * 255
        XCTAssertEqual(got, Float(want[c]), accuracy: tolerance + 1e-3,
                       "\(context) pixel (\(x), \(y)) channel \(c)", file: file, line: line)
    }
}

/// CRC-32 as used by PNG chunks.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
    }
    return ~crc
}
