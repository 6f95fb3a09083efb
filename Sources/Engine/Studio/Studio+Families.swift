import Foundation
import Stylization

extension Studio {
    /// Model family `id` as the renders use it (loaded on first use, then shared); call it off
    /// the interface's thread. Throws the loader's one-line error (e.g. not installed).
    public func loadedFamily(_ id: String) throws -> LoadedModel {
        guard let model else { throw StylizationError.modelUnavailable("model \(id) is not available here") }
        return try model(id)
    }
}
