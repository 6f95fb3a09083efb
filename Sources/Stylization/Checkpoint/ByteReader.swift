/// Reads little-endian integers, floats and strings from a byte array, front to back.
/// Every read past the end throws `CheckpointError.truncated` naming the file.
struct ByteReader {
    /// The whole file.
    let bytes: [UInt8]
    /// The file's path, for error messages.
    let path: String
    /// The next byte to read.
    var position = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Bytes left after `position`.
    var remaining: Int { bytes.count - position }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, for what: String) throws {
        guard count >= 0, count <= remaining else {
            throw CheckpointError.truncated(
                path: path, detail: "\(what) needs \(count) bytes at offset \(position), \(max(remaining, 0)) left")
        }
    }

    mutating func byte() throws -> UInt8 {
        try require(1, for: "a byte")
        defer { position += 1 }
        return bytes[position]
    }

    /// An unsigned little-endian integer of `width` bytes (at most 8).
    mutating func unsigned(width: Int) throws -> UInt64 {
        try require(width, for: "a \(width)-byte integer")
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[position + i]) << UInt64(8 * i) }
        position += width
        return value
    }

    mutating func int32() throws -> Int { Int(Int32(truncatingIfNeeded: try unsigned(width: 4))) }

    mutating func int64() throws -> Int64 { Int64(bitPattern: try unsigned(width: 8)) }

    /// A big-endian IEEE double (pickle's BINFLOAT).
    mutating func bigEndianDouble() throws -> Double {
        try require(8, for: "a float")
        var bits: UInt64 = 0
        for i in 0..<8 { bits = bits << 8 | UInt64(bytes[position + i]) }
        position += 8
        return Double(bitPattern: bits)
    }

    mutating func take(_ count: Int, for what: String) throws -> ArraySlice<UInt8> {
        try require(count, for: what)
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// UTF-8 text of `count` bytes.
    mutating func utf8(_ count: Int) throws -> String {
        let slice = try take(count, for: "a string")
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw CheckpointError.malformed(path: path, detail: "invalid UTF-8 string at offset \(position - count)")
        }
        return text
    }

    /// Text up to (not including) the next newline, which is consumed.
    mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0a) else {
            throw CheckpointError.truncated(path: path, detail: "unterminated line at offset \(position)")
        }
        let text = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return text
    }
}
