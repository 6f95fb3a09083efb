import Foundation
import XCTest
@testable import Stylization

final class CheckpointSHA256Tests: XCTestCase {
    func testFIPSVectors() {
        XCTAssertEqual(SHA256.hex(of: [UInt8]()),
                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testStreamingInUnevenPiecesMatchesOneShot() {
        let message = (0..<10_007).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let expected = SHA256.hex(of: message)
        for pieceSize in [1, 3, 63, 64, 65, 1000] {
            var digest = SHA256()
            var start = 0
            while start < message.count {
                let end = min(start + pieceSize, message.count)
                digest.update(Array(message[start..<end]))
                start = end
            }
            XCTAssertEqual(digest.finalizeHex(), expected, "pieces of \(pieceSize)")
        }
        // Lengths around the padding boundary (55, 56, 64 bytes) against known digests of "a"*n.
        var fiftySix = SHA256()
        fiftySix.update(String(repeating: "a", count: 56))
        XCTAssertEqual(fiftySix.finalizeHex(), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    func testACopyTakenMidStreamContinuesOnItsOwn() {
        var first = SHA256()
        first.update("ab")
        var second = first
        first.update("c")
        second.update("x")
        XCTAssertEqual(first.finalizeHex(), SHA256.hex(of: Array("abc".utf8)))
        XCTAssertEqual(second.finalizeHex(), SHA256.hex(of: Array("abx".utf8)))
    }

    func testFileDigestsMatchTheReadme() throws {
        let table = try CheckpointMaterial.readmeTable()
        XCTAssertEqual(table.count, 10)
        for (file, row) in table {
            XCTAssertEqual(try SHA256.hex(ofFile: CheckpointMaterial.mirror.appendingPathComponent(file)), row.sha256, file)
        }
    }

    func testFileDigestOfALargeFileMatchesSha256sum() throws {
        let directory = try CheckpointMaterial.temporaryDirectory(self)
        let file = directory.appendingPathComponent("big.bin")
        let bytes = (0..<(3 << 20) + 12_345).map { UInt8(truncatingIfNeeded: $0 ^ ($0 >> 9)) }
        try Data(bytes).write(to: file)
        let python = try CheckpointMaterial.python(
            "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", [file.path])
        let expected = String(decoding: python, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try SHA256.hex(ofFile: file), expected)
    }

    func testMissingFileThrows() {
        XCTAssertThrowsError(try SHA256.hex(ofFile: URL(fileURLWithPath: "/nonexistent/atelier.bin"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/atelier.bin"))
        }
    }
}
