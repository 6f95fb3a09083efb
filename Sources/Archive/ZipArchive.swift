import CZlib
import Foundation

/// A zip archive (e.g. a Python wheel) held in memory, read defensively: every offset and size
/// is checked against the file before use, member names must be relative paths without `..`,
/// and a member is inflated only into a buffer of its declared size (bounded by the caller), with
/// its CRC-32 checked. Nothing is ever written to disk, so a hostile name cannot escape a folder.
///
/// Stored (method 0) and deflate (method 8) members are read; zip64 and encrypted archives are
/// refused. `entries` lists the members from the central directory.
public struct ZipArchive: Sendable {
    /// One member, as the central directory describes it.
    public struct Entry: Equatable, Sendable {
        /// The member's path inside the archive, e.g. `"pkg/models/a.onnx"`.
        public let name: String
        /// 0 stored, 8 deflate.
        public let method: Int
        /// The CRC-32 of the uncompressed bytes.
        public let crc32: UInt32
        /// Size of the stored (compressed) data.
        public let compressedSize: Int
        /// Size once inflated.
        public let uncompressedSize: Int
        /// Offset of the member's local header in the archive.
        let localHeaderOffset: Int
        /// General-purpose flags (bit 0: encrypted).
        let flags: Int
    }

    /// The archive's name for messages (its file name or path).
    public let name: String
    /// The members, in central-directory order.
    public let entries: [Entry]
    private let bytes: [UInt8]

    /// The most members an archive may list.
    public static let maximumEntries = 65_535

    /// Parses the central directory of an archive held in `bytes`; `name` is used in messages.
    public init(bytes: [UInt8], name: String) throws {
        self.bytes = bytes
        self.name = name
        self.entries = try ZipArchive.readCentralDirectory(bytes, archive: name)
    }

    /// The entry called `member`, if the archive has one.
    public func entry(_ member: String) -> Entry? { entries.first { $0.name == member } }

    /// The uncompressed bytes of `member`, which may be at most `limit` bytes long.
    public func read(_ member: String, limit: Int = 256 << 20) throws -> [UInt8] {
        guard let entry = entry(member) else { throw ZipArchiveError.memberMissing(archive: name, member: member) }
        return try read(entry, limit: limit)
    }

    /// The uncompressed bytes of `entry`, which may be at most `limit` bytes long.
    public func read(_ entry: Entry, limit: Int = 256 << 20) throws -> [UInt8] {
        func corrupt(_ detail: String) -> ZipArchiveError {
            .corruptMember(archive: name, member: entry.name, detail: detail)
        }
        guard entry.uncompressedSize <= limit else {
            throw ZipArchiveError.memberTooLarge(archive: name, member: entry.name, bytes: entry.uncompressedSize, limit: limit)
        }
        guard entry.flags & 1 == 0 else {
            throw ZipArchiveError.unsupportedMethod(archive: name, member: entry.name, method: entry.method)
        }
        var reader = Reader(bytes: bytes, archive: name)
        reader.position = entry.localHeaderOffset
        guard try reader.u32() == 0x0403_4b50 else { throw corrupt("no local header at offset \(entry.localHeaderOffset)") }
        try reader.skip(22)
        let nameLength = Int(try reader.u16()), extraLength = Int(try reader.u16())
        try reader.skip(nameLength + extraLength)
        let start = reader.position
        guard entry.compressedSize <= bytes.count - start else { throw corrupt("its data runs past the end of the archive") }
        let stored = bytes[start..<(start + entry.compressedSize)]
        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw corrupt("stored sizes differ") }
            output = Array(stored)
        case 8:
            output = try Self.inflate(stored, to: entry.uncompressedSize, failure: corrupt)
        default:
            throw ZipArchiveError.unsupportedMethod(archive: name, member: entry.name, method: entry.method)
        }
        let crc = output.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        guard crc == entry.crc32 else { throw corrupt("CRC-32 \(String(crc, radix: 16)) differs from the recorded \(String(entry.crc32, radix: 16))") }
        return output
    }

    /// Raw-deflate decompression into exactly `size` bytes; more or fewer is an error.
    private static func inflate(_ input: ArraySlice<UInt8>, to size: Int,
                                failure: (String) -> ZipArchiveError) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw failure("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var input = Array(input)
        let status: Int32 = input.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(size)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else {
            if status == Z_BUF_ERROR && stream.avail_out == 0 { throw failure("it inflates past its declared \(size) bytes") }
            throw failure(status == Z_BUF_ERROR ? "its compressed data ends early" : "invalid deflate data")
        }
        guard Int(stream.total_out) == size else {
            throw failure("it inflates to \(stream.total_out) bytes, not the declared \(size)")
        }
        if size == 0 { output.removeAll() }
        return output
    }

    /// Finds the end-of-central-directory record and reads every entry it lists.
    private static func readCentralDirectory(_ bytes: [UInt8], archive: String) throws -> [Entry] {
        func malformed(_ detail: String) -> ZipArchiveError { .malformed(archive: archive, detail: detail) }
        guard bytes.count >= 22 else { throw malformed("shorter than an end record") }
        // The end record is 22 bytes plus a comment of up to 65535 bytes, at the end of the file.
        var end = -1
        let lowest = max(0, bytes.count - 22 - 65_535)
        var candidate = bytes.count - 22
        while candidate >= lowest {
            if bytes[candidate] == 0x50, bytes[candidate + 1] == 0x4b, bytes[candidate + 2] == 0x05, bytes[candidate + 3] == 0x06,
               candidate + 22 + Int(bytes[candidate + 20]) + Int(bytes[candidate + 21]) << 8 == bytes.count {
                end = candidate
                break
            }
            candidate -= 1
        }
        guard end >= 0 else { throw malformed("no end-of-central-directory record") }
        var reader = Reader(bytes: bytes, archive: archive)
        reader.position = end + 4
        let disk = try reader.u16(), directoryDisk = try reader.u16()
        _ = try reader.u16()
        let count = Int(try reader.u16())
        let directorySize = Int(try reader.u32()), directoryOffset = Int(try reader.u32())
        guard disk == 0, directoryDisk == 0 else { throw malformed("multi-part archives are not read") }
        guard count != 0xFFFF, directoryOffset != 0xFFFF_FFFF else { throw malformed("zip64 archives are not read") }
        guard count <= maximumEntries else { throw malformed("\(count) members") }
        guard directoryOffset <= end, directorySize <= end - directoryOffset else {
            throw malformed("the central directory lies outside the file")
        }
        reader.position = directoryOffset
        var entries: [Entry] = []
        var names = Set<String>()
        for _ in 0..<count {
            guard try reader.u32() == 0x0201_4b50 else { throw malformed("broken central directory entry") }
            try reader.skip(4)
            let flags = Int(try reader.u16()), method = Int(try reader.u16())
            try reader.skip(4)
            let crc = try reader.u32()
            let compressed = Int(try reader.u32()), uncompressed = Int(try reader.u32())
            let nameLength = Int(try reader.u16()), extraLength = Int(try reader.u16()), commentLength = Int(try reader.u16())
            try reader.skip(8)
            let offset = Int(try reader.u32())
            let nameBytes = try reader.take(nameLength)
            try reader.skip(extraLength + commentLength)
            guard reader.position <= end else { throw malformed("the central directory overruns its end record") }
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else {
                throw malformed("zip64 members are not read")
            }
            guard offset + 30 <= directoryOffset else { throw malformed("a member's header lies outside the file") }
            guard let name = String(bytes: nameBytes, encoding: .utf8) else {
                throw ZipArchiveError.unsafeName(archive: archive, name: String(decoding: nameBytes, as: UTF8.self))
            }
            guard isSafe(name) else { throw ZipArchiveError.unsafeName(archive: archive, name: name) }
            guard names.insert(name).inserted else { throw malformed("member \(name) appears twice") }
            entries.append(Entry(name: name, method: method, crc32: crc, compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: offset, flags: flags))
        }
        return entries
    }

    /// A relative path of non-empty components, none `.` or `..`, without backslashes or NUL.
    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0") else { return false }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            if part == ".." || part == "." { return false }
            if part.isEmpty && index != parts.count - 1 { return false }   // only a directory's trailing slash
        }
        return !(parts.first?.contains(":") ?? false)
    }
}

/// Little-endian reads with bounds checks; running off the end is a malformed archive.
private struct Reader {
    let bytes: [UInt8]
    let archive: String
    var position = 0

    init(bytes: [UInt8], archive: String) {
        self.bytes = bytes
        self.archive = archive
    }

    private func need(_ count: Int) throws {
        guard count >= 0, position >= 0, position <= bytes.count, count <= bytes.count - position else {
            throw ZipArchiveError.malformed(archive: archive, detail: "a record at offset \(position) runs past the end")
        }
    }

    mutating func skip(_ count: Int) throws {
        try need(count)
        position += count
    }

    mutating func take(_ count: Int) throws -> [UInt8] {
        try need(count)
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func u16() throws -> UInt16 {
        try need(2)
        defer { position += 2 }
        return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
    }

    mutating func u32() throws -> UInt32 {
        try need(4)
        defer { position += 4 }
        return UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
            | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
    }
}
