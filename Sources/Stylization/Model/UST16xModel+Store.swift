import Foundation

extension UST16xModel {
    /// Builds the model from the converted (safetensors) files of an installed `ModelStore`.
    public static func load(from store: ModelStore) throws -> UST16xModel {
        try UST16xModel(tensors: { part in
            let level = Int(part.dropFirst(2))!
            let weights = try store.loadWeights(level: level, part: part.hasPrefix("se") ? .encoder : .decoder)
            return { name in weights[name].map { ($0.shape, $0.values) } }
        })
    }
}
