import Foundation

/// The stored form of an imported network: one safetensors file whose tensors are
/// `<layer>.weight` ([out][in / groups][k][k]), `<layer>.bias` ([out]) and `const/<name>` (other
/// float constants), with each conv's stride and groups in the metadata key `atelier_convs`
/// (JSON `{"<layer>": [stride, groups]}`).
extension ImportedNetwork {
    /// The safetensors bytes of this network, with `metadata` added.
    public func encoded(metadata: [String: String]) throws -> Data {
        var tensors: [NamedTensor] = []
        var attributes: [String: [Int]] = [:]
        for name in convs.keys.sorted() {
            let c = convs[name]!
            tensors.append(NamedTensor(name: name + ".weight",
                                       shape: [c.outChannels, c.inChannels / c.groups, c.kernelSize, c.kernelSize], values: c.weight))
            if let bias = c.bias { tensors.append(NamedTensor(name: name + ".bias", shape: [c.outChannels], values: bias)) }
            attributes[name] = [c.stride, c.groups]
        }
        for name in constants.keys.sorted() {
            let value = constants[name]!
            tensors.append(NamedTensor(name: "const/" + name, shape: value.shape.isEmpty ? [1] : value.shape, values: value.values))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var all = metadata
        all["atelier_convs"] = String(decoding: try encoder.encode(attributes), as: UTF8.self)
        return try SafeTensors.encode(tensors, metadata: all)
    }

    /// Reads a network stored by `encoded(metadata:)`; `path` names the file in errors.
    public init(stored data: Data, path: String) throws {
        let (tensors, metadata) = try SafeTensors.decode(data, path: path)
        guard let json = metadata["atelier_convs"],
              let attributes = try? JSONDecoder().decode([String: [Int]].self, from: Data(json.utf8)) else {
            throw MagentaError.unreadable(file: path, reason: "no layer list in its metadata; re-install with `atelier models install`")
        }
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var convs: [String: ImportedConv] = [:]
        for (name, a) in attributes {
            guard a.count == 2, let w = byName[name + ".weight"], w.shape.count == 4, w.shape[2] == w.shape[3] else {
                throw MagentaError.unexpectedLayer(name, "stored weight missing or not 4-d")
            }
            convs[name] = ImportedConv(name: name, weight: w.values, bias: byName[name + ".bias"]?.values,
                                       outChannels: w.shape[0], inChannels: w.shape[1] * a[1], kernelSize: w.shape[2],
                                       stride: a[0], groups: a[1])
        }
        var constants: [String: (shape: [Int], values: [Float])] = [:]
        for t in tensors where t.name.hasPrefix("const/") {
            constants[String(t.name.dropFirst(6))] = (t.shape, t.values)
        }
        self.init(convs: convs, constants: constants)
    }
}
