/// One layer line of an ncnn `.param` file: `Type Name n_in n_out in... out... key=value...`.
struct NCNNLayer: Equatable {
    /// One parameter value: an integer, a float (written with '.', 'e' or 'E'), or an array.
    enum Value: Equatable {
        case int(Int)
        case float(Float)
        case array([Float])
    }

    var type: String
    var name: String
    var inputs: [String]
    var outputs: [String]
    var params: [Int: Value]

    /// Parameter `key` as an integer (`fallback` when absent); nil when it is a float or array.
    func int(_ key: Int, _ fallback: Int) -> Int? {
        switch params[key] {
        case nil: return fallback
        case .int(let v): return v
        default: return nil
        }
    }

    /// Parameter `key` as a number (ints widen); nil when absent or an array.
    func number(_ key: Int) -> Float? {
        switch params[key] {
        case .int(let v): return Float(v)
        case .float(let v): return v
        default: return nil
        }
    }

    /// Parameter `key` as an array; nil when absent or a scalar.
    func array(_ key: Int) -> [Float]? {
        if case .array(let v) = params[key] { return v }
        return nil
    }
}

/// Reads the text of an ncnn `.param` file (the graph), bounded against hostile input:
/// every count is checked before anything is allocated for it.
enum NCNNParamParser {
    /// Largest accepted `.param` text, layer count, blobs per layer and array length.
    static let maxBytes = 4 << 20
    static let maxLayers = 20_000
    static let maxBlobsPerLayer = 64
    static let maxArrayCount = 4096

    /// The layers in file order; `file` names the file in errors.
    static func parse(_ bytes: [UInt8], file: String) throws -> [NCNNLayer] {
        func fail(_ line: Int, _ why: String) -> UpscalerModelError {
            .malformedGraph(file: file, line: line, reason: why)
        }
        guard bytes.count <= maxBytes else { throw fail(0, "larger than \(maxBytes >> 20) MB") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw fail(0, "not UTF-8 text") }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated().filter { !$0.element.allSatisfy(\.isWhitespace) }
        guard let magic = lines.first, magic.element.trimmingCharacters(in: .whitespaces) == "7767517" else {
            throw fail(1, "not an ncnn .param file (no 7767517 magic)")
        }
        guard lines.count >= 2 else { throw fail(1, "no layer and blob counts") }
        let counts = lines[1].element.split(whereSeparator: \.isWhitespace)
        guard counts.count == 2, let layerCount = Int(counts[0]), let blobCount = Int(counts[1]),
              (1...maxLayers).contains(layerCount), (1...(maxLayers * maxBlobsPerLayer)).contains(blobCount) else {
            throw fail(lines[1].offset + 1, "bad layer and blob counts '\(lines[1].element.prefix(40))'")
        }
        guard lines.count - 2 == layerCount else {
            throw fail(lines[1].offset + 1, "announces \(layerCount) layers but has \(lines.count - 2)")
        }
        var layers: [NCNNLayer] = []
        layers.reserveCapacity(layerCount)
        for (offset, line) in lines.dropFirst(2) {
            layers.append(try parseLayer(line, line: offset + 1, fail: fail))
        }
        return layers
    }

    private static func parseLayer(_ line: Substring, line number: Int,
                                   fail: (Int, String) -> UpscalerModelError) throws -> NCNNLayer {
        let t = line.split(whereSeparator: \.isWhitespace)
        guard t.count >= 4, let nIn = Int(t[2]), let nOut = Int(t[3]),
              (0...maxBlobsPerLayer).contains(nIn), (0...maxBlobsPerLayer).contains(nOut) else {
            throw fail(number, "expected 'Type Name inputs outputs ...', got '\(line.prefix(60))'")
        }
        guard t.count >= 4 + nIn + nOut else { throw fail(number, "layer \(t[1]) lists fewer blobs than it announces") }
        var params: [Int: NCNNLayer.Value] = [:]
        for pair in t[(4 + nIn + nOut)...] {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, let key = Int(kv[0]), !kv[1].isEmpty else {
                throw fail(number, "bad parameter '\(pair.prefix(40))' in layer \(t[1])")
            }
            if key <= -23300 {
                let values = kv[1].split(separator: ",", omittingEmptySubsequences: false)
                guard let count = Int(values[0]), (0...maxArrayCount).contains(count), values.count == count + 1 else {
                    throw fail(number, "bad array parameter \(key) in layer \(t[1])")
                }
                var array: [Float] = []
                for v in values.dropFirst() {
                    guard let x = Float(v), x.isFinite else { throw fail(number, "bad number '\(v.prefix(20))' in layer \(t[1])") }
                    array.append(x)
                }
                params[-23300 - key] = .array(array)
            } else {
                guard key >= 0, key < 32 else { throw fail(number, "parameter key \(key) out of range in layer \(t[1])") }
                let v = kv[1]
                if v.contains(where: { ".eE".contains($0) }) {
                    guard let x = Float(v), x.isFinite else { throw fail(number, "bad number '\(v.prefix(20))' in layer \(t[1])") }
                    params[key] = .float(x)
                } else {
                    guard let x = Int(v) else { throw fail(number, "bad integer '\(v.prefix(20))' in layer \(t[1])") }
                    params[key] = .int(x)
                }
            }
        }
        return NCNNLayer(type: String(t[0]), name: String(t[1]), inputs: t[4..<(4 + nIn)].map(String.init),
                         outputs: t[(4 + nIn)..<(4 + nIn + nOut)].map(String.init), params: params)
    }
}
