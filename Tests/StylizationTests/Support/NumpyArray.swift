import Foundation

/// A float32 array read from a NumPy .npy file (format version 1.0 or 2.0, little-endian '<f4',
/// C order) — the golden cases' storage format.
struct NumpyArray {
    var shape: [Int]
    var values: [Float]

    enum ReadError: Error, CustomStringConvertible {
        case malformed(String, String)
        var description: String {
            switch self { case .malformed(let path, let why): return "\(path): \(why)" }
        }
    }

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw ReadError.malformed(url.path, "not an .npy file")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False") else {
            throw ReadError.malformed(url.path, "expected little-endian float32 in C order, got \(header)")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw ReadError.malformed(url.path, "no shape in header")
        }
        shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let start = headerStart + headerLength
        guard bytes.count - start == count * 4 else { throw ReadError.malformed(url.path, "data size does not match shape") }
        values = data.subdata(in: start..<(start + count * 4)).withUnsafeBytes { raw in
            Array(raw.bindMemory(to: Float.self))
        }
    }
}
