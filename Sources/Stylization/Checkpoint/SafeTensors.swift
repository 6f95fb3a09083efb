import Foundation
import Imaging

/// Reads and writes float32 tensors in the Hugging Face safetensors format.
///
/// Layout: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON (padded with
/// spaces to a multiple of 8), then the data buffer. The header maps each tensor name to
/// `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}` (byte offsets into the data
/// buffer) and may hold `"__metadata__": {string: string}`. This writer keeps the tensors' order
/// in both header and buffer; the reader returns tensors in buffer order.
public enum SafeTensors {
    /// The largest header accepted on read (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    /// Writes `tensors` and `metadata` to `url` (replacing any file there).
    ///
    /// Throws `SafeTensorsError.invalidTensor` for a duplicate or reserved name or a shape that
    /// does not match the value count, and `.unwritable` when the file cannot be written.
    public static func write(_ tensors: [NamedTensor], metadata: [String: String], to url: URL) throws {
        let data = try encode(tensors, metadata: metadata)
        do {
            try data.write(to: url)
        } catch {
            throw SafeTensorsError.unwritable(path: url.path, reason: FileErrorText.reason(for: error))
        }
    }

    /// Reads the tensors (in data order) and metadata of the safetensors file at `url`.
    public static func read(_ url: URL) throws -> (tensors: [NamedTensor], metadata: [String: String]) {
        let data: Data
        do {
            data = Data(try RegularFile.bytes(url.path, limit: 1 << 34))
        } catch {
            throw SafeTensorsError.unreadable(path: url.path, reason: "\(error)")
        }
        return try decode(data, path: url.path)
    }

    /// The file bytes for `tensors` and `metadata`.
    public static func encode(_ tensors: [NamedTensor], metadata: [String: String]) throws -> Data {
        var header = "{"
        if !metadata.isEmpty {
            let entries = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            header += "\"__metadata__\":{" + entries.joined(separator: ",") + "}"
        }
        var names = Set<String>()
        var offset = 0
        for tensor in tensors {
            guard !tensor.name.isEmpty, tensor.name != "__metadata__", names.insert(tensor.name).inserted else {
                throw SafeTensorsError.invalidTensor(name: tensor.name, reason: "empty, reserved or duplicate name")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 }), tensor.elementCount == tensor.values.count else {
                throw SafeTensorsError.invalidTensor(
                    name: tensor.name, reason: "shape \(tensor.shape) does not match \(tensor.values.count) values")
            }
            let end = offset + tensor.values.count * 4
            if header.count > 1 { header += "," }
            header += "\(jsonString(tensor.name)):{\"dtype\":\"F32\",\"shape\":["
                + tensor.shape.map(String.init).joined(separator: ",")
                + "],\"data_offsets\":[\(offset),\(end)]}"
            offset = end
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }

        var data = Data(capacity: 8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: headerBytes)
        for tensor in tensors {
            tensor.values.withUnsafeBufferPointer { values in
                var bits = [UInt32](repeating: 0, count: values.count)
                for i in 0..<values.count { bits[i] = values[i].bitPattern.littleEndian }
                bits.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Parses safetensors bytes, checking the header against the data; `path` names them in errors.
    public static func decode(_ data: Data, path: String) throws -> (tensors: [NamedTensor], metadata: [String: String]) {
        guard data.count >= 8 else {
            throw SafeTensorsError.invalidHeader(path: path, reason: "the file is \(data.count) bytes, shorter than the header length")
        }
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
        guard length <= UInt64(min(maximumHeaderLength, data.count - 8)) else {
            throw SafeTensorsError.invalidHeader(
                path: path, reason: "header length \(length) exceeds the file (\(data.count) bytes) or the limit")
        }
        let headerEnd = 8 + Int(length)
        let header = data[data.startIndex + 8 ..< data.startIndex + headerEnd]
        let entries: [String: HeaderEntry]
        do {
            entries = try JSONDecoder().decode([String: HeaderEntry].self, from: header)
        } catch {
            throw SafeTensorsError.invalidHeader(path: path, reason: "the header is not the expected JSON")
        }

        var metadata: [String: String] = [:]
        var infos: [(name: String, info: TensorInfo)] = []
        for (name, entry) in entries {
            switch entry {
            case .metadata(let values) where name == "__metadata__": metadata = values
            case .tensor(let info) where name != "__metadata__": infos.append((name, info))
            default:
                throw SafeTensorsError.invalidHeader(path: path, reason: "entry '\(name)' has the wrong form")
            }
        }
        infos.sort { ($0.info.dataOffsets.first ?? 0, $0.name) < ($1.info.dataOffsets.first ?? 0, $1.name) }

        let bufferSize = data.count - headerEnd
        var expectedBegin = 0
        var tensors: [NamedTensor] = []
        tensors.reserveCapacity(infos.count)
        for (name, info) in infos {
            guard info.dtype == "F32" else { throw SafeTensorsError.unsupportedDType(path: path, tensor: name, dtype: info.dtype) }
            guard info.dataOffsets.count == 2, info.shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError.invalidHeader(path: path, reason: "tensor '\(name)' has a malformed shape or data_offsets")
            }
            let begin = info.dataOffsets[0], end = info.dataOffsets[1]
            guard begin == expectedBegin, begin <= end, end <= bufferSize else {
                throw SafeTensorsError.invalidOffsets(
                    path: path, tensor: name,
                    reason: "data_offsets [\(begin), \(end)] do not follow on from byte \(expectedBegin) inside a \(bufferSize)-byte buffer")
            }
            var count = 1
            for size in info.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: size)
                guard !overflow else { throw SafeTensorsError.invalidHeader(path: path, reason: "tensor '\(name)' is too large") }
                count = product
            }
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: 4)
            guard !overflow, end - begin == byteCount else {
                throw SafeTensorsError.invalidOffsets(
                    path: path, tensor: name, reason: "shape \(info.shape) needs \(count * 4) bytes, offsets give \(end - begin)")
            }
            var values = [Float](repeating: 0, count: count)
            data.withUnsafeBytes { raw in
                let base = raw.baseAddress! + headerEnd + begin
                values.withUnsafeMutableBufferPointer { out in
                    for i in 0..<count {
                        out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    }
                }
            }
            tensors.append(NamedTensor(name: name, shape: info.shape, values: values))
            expectedBegin = end
        }
        guard expectedBegin == bufferSize else {
            throw SafeTensorsError.invalidOffsets(
                path: path, tensor: infos.last?.name ?? "(none)",
                reason: "the tensors cover \(expectedBegin) of the \(bufferSize) data bytes")
        }
        return (tensors, metadata)
    }

    /// A JSON string literal for `text`.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// One tensor's header entry.
    private struct TensorInfo: Decodable {
        var dtype: String
        var shape: [Int]
        var dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }
    }

    /// A header value: a tensor's entry or the metadata map.
    private enum HeaderEntry: Decodable {
        case tensor(TensorInfo)
        case metadata([String: String])

        init(from decoder: Decoder) throws {
            if let info = try? TensorInfo(from: decoder) {
                self = .tensor(info)
            } else {
                self = .metadata(try [String: String](from: decoder))
            }
        }
    }
}
