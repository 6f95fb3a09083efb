/// Reads an ncnn `.bin` file (no header: each weighted layer's data in layer order), bounded:
/// every read is checked against the bytes left before anything is allocated for it.
struct NCNNWeightReader {
    private let bytes: [UInt8]
    private let file: String
    /// Bytes consumed so far.
    private(set) var position = 0

    init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - position }

    private func need(_ count: Int, _ what: String) throws {
        guard count >= 0, count <= remaining else {
            throw UpscalerModelError.truncatedWeights(file: file, offset: position, needed: count, what: what)
        }
    }

    private func word(at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    /// `count` raw little-endian float32 values (biases, PReLU slopes: no flag).
    mutating func rawFloats(_ count: Int, _ what: String) throws -> [Float] {
        try need(count.multipliedReportingOverflow(by: 4).overflow ? -1 : count * 4, what)
        let start = position
        position += count * 4
        return (0..<count).map { Float(bitPattern: word(at: start + 4 * $0)) }
    }

    /// ncnn's flagged weight array: a 4-byte type flag, then `count` values stored as float16
    /// (padded to 4 bytes), float32, or a 256-entry float32 table with uint8 indices (padded).
    mutating func flaggedFloats(_ count: Int, _ what: String) throws -> [Float] {
        try need(4, what)
        let flag = word(at: position)
        position += 4
        switch flag {
        case 0x0130_6B47:
            let stored = (2 * count + 3) / 4 * 4
            try need(stored, what)
            let start = position
            position += stored
            return (0..<count).map { i in
                Float(Float16(bitPattern: UInt16(bytes[start + 2 * i]) | UInt16(bytes[start + 2 * i + 1]) << 8))
            }
        case 0x000D_4B38:
            throw UpscalerModelError.unsupported(file: file, what: "int8 weights in \(what)")
        case 0x0002_C056, 0:
            return try rawFloats(count, what)
        default:
            let table = try rawFloats(256, what)
            let stored = (count + 3) / 4 * 4
            try need(stored, what)
            let start = position
            position += stored
            return (0..<count).map { table[Int(bytes[start + $0])] }
        }
    }
}
