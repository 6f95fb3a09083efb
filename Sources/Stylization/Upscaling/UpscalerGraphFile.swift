import Foundation

/// The stored form of a converted upscaling network: the layer list as JSON and the weights as
/// safetensors (float32), each tensor named as the layers refer to it.
enum UpscalerGraphFile {
    /// The layer-list format; bumped whenever conversion changes the stored files.
    static let formatVersion = 1

    private struct Header: Codable {
        var formatVersion: Int
        var scale: Int
        var output: Int
        var layers: [UpscalerLayer]
    }

    /// (layer list JSON, safetensors bytes) of `graph`.
    static func encode(_ graph: UpscalerGraph) throws -> (layers: Data, weights: Data) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let layers = try encoder.encode(Header(formatVersion: formatVersion, scale: graph.scale,
                                               output: graph.output, layers: graph.layers))
        let tensors = graph.tensors.keys.sorted().map { NamedTensor(name: $0, shape: [graph.tensors[$0]!.count], values: graph.tensors[$0]!) }
        return (layers, try SafeTensors.encode(tensors, metadata: ["format": "atelier-upscaler"]))
    }

    /// The graph back from its two files; `file` names the layer list in errors.
    static func decode(layers: Data, weights: Data, file: String) throws -> UpscalerGraph {
        guard let header = try? JSONDecoder().decode(Header.self, from: layers), header.formatVersion == formatVersion else {
            throw UpscalerModelError.badGraph(file: file, reason: "not a layer list of this Atelier version; run `atelier models install`")
        }
        let tensors = try SafeTensors.decode(weights, path: file).tensors
        return UpscalerGraph(layers: header.layers, output: header.output,
                             tensors: Dictionary(tensors.map { ($0.name, $0.values) }, uniquingKeysWith: { a, _ in a }),
                             scale: header.scale)
    }
}
