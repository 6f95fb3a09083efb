import Foundation
import Stylization

extension RenderRecipe {
    /// The recipe, if every value is one the command line would accept; otherwise an
    /// `unreadableRecipe` error naming the field (a hand-edited or damaged recipe must not run
    /// with settings `atelier render` itself refuses).
    public func validated(path: String) throws -> RenderRecipe {
        func refuse(_ field: String, _ rule: String) -> RenderJobError {
            .unreadableRecipe(path: path, reason: "recipe field \"\(field)\" \(rule)")
        }
        guard alpha.isFinite, (0...1).contains(alpha) else { throw refuse("alpha", "must be between 0 and 1 (got \(alpha))") }
        if let size, size < 16 { throw refuse("size", "must be at least 16 (got \(size))") }
        if let styleSize, styleSize < 16 { throw refuse("styleSize", "must be at least 16 (got \(styleSize))") }
        guard maxPixels > 0 else { throw refuse("maxPixels", "must be positive (got \(maxPixels))") }
        if let tile, tile < TilingOptions.minimumTile {
            throw refuse("tile", "must be at least \(TilingOptions.minimumTile) (got \(tile))")
        }
        if let stability, !(stability.isFinite && (0...1).contains(stability)) {
            throw refuse("stability", "must be between 0 and 1 (got \(stability))")
        }
        if let memory, memory <= 0 { throw refuse("memory", "must be positive (got \(memory))") }
        if let execution {
            if let tile = execution.tile, tile < TilingOptions.minimumTile {
                throw refuse("execution.tile", "must be at least \(TilingOptions.minimumTile) (got \(tile))")
            }
            guard execution.memory > 0 else { throw refuse("execution.memory", "must be positive (got \(execution.memory))") }
        }
        guard !blend.isEmpty else { throw refuse("blend", "must have at least one entry") }
        func check(_ entries: [BlendEntry], _ field: String) throws {
            for (i, entry) in entries.enumerated() {
                // Without style images the entries name a family's built-in styles (checked by the family).
                guard styles.isEmpty ? entry.style >= 0 : styles.indices.contains(entry.style) else {
                    let range = styles.isEmpty ? "a built-in style number" : "an index into styles, 0 to \(styles.count - 1)"
                    throw refuse("\(field)[\(i)].style", "must be \(range) (got \(entry.style))")
                }
                guard entry.weight.isFinite, entry.weight >= 0 else {
                    throw refuse("\(field)[\(i)].weight", "must be a number of at least 0 (got \(entry.weight))")
                }
            }
            guard entries.contains(where: { $0.weight > 0 }) else { throw refuse(field, "needs a weight above 0") }
        }
        try check(blend, "blend")
        for (i, region) in regions.enumerated() {
            guard !region.blend.isEmpty else { throw refuse("regions[\(i)].blend", "must have at least one entry") }
            try check(region.blend, "regions[\(i)].blend")
        }
        for (field, file) in [("content", content)] + styles.enumerated().map({ ("styles[\($0.offset)]", $0.element) })
            + regions.enumerated().map({ ("regions[\($0.offset)].mask", $0.element.mask) }) {
            guard file.path.hasPrefix("/") || (field == "content" && file.path == Self.standardStream) else { throw refuse("\(field).path", "must be an absolute path (got \"\(file.path)\")") }
            guard file.sha256.isEmpty || Self.isHexDigest(file.sha256) else {
                throw refuse("\(field).sha256", "must be 64 hexadecimal digits")
            }
        }
        guard output.hasPrefix("/") else { throw refuse("output", "must be an absolute path (got \"\(output)\")") }
        return self
    }

    /// Whether `text` is a lower-case hex SHA-256.
    static func isHexDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
