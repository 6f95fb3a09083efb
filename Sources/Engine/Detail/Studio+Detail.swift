import Foundation
import Stylization

extension Studio {
    /// Starts rendering `request` at export resolution for the 1:1 view, as `export` would
    /// write it (same model, shared feature cache, pausing while previews render); returns at
    /// once. Cancel it when the request changes.
    public func renderDetail(_ request: DetailRequest) -> DetailRender {
        let loader = model
        let family = request.session.family
        return DetailRender.start(request, model: {
            guard let loader else { throw StylizationError.modelUnavailable("no model is configured for the 1:1 view") }
            return try loader(family)
        }, cache: featureCache, priority: preview.priority)
    }
}
