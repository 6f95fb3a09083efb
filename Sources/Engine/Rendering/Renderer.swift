import Foundation
import Imaging
import Stylization

/// Everything one render needs: the images (with their identities) and the settings.
public struct RenderRequest: Sendable {
    /// The photo at the size to render.
    public var content: SourceImage
    /// The style images that the settings' blends refer to, by index.
    public var styles: [SourceImage]
    /// Transform, quality, alpha, colour, blends and regions.
    public var settings: StylizeSettings

    /// Creates a request.
    public init(content: SourceImage, styles: [SourceImage], settings: StylizeSettings) {
        self.content = content
        self.styles = styles
        self.settings = settings
    }
}

/// Something that turns a request into a picture: the real stylizer, or a stand-in in tests.
///
/// Implementations check `control` at safe points and throw `StylizationError.cancelled` once it
/// is cancelled; they must be safe to call from several threads at once (preview and export).
public protocol Renderer: Sendable {
    /// Renders `request`, reporting progress and honouring cancellation through `control`.
    func render(_ request: RenderRequest, control: RenderControl) throws -> RGBImage
}

/// The product's renderer: the UST-16x `Stylizer`, loaded on first use (off the caller's thread),
/// with encoder features kept in a shared cache so a change of alpha, weights, transform or
/// colour mode costs only the transform and the decoder.
public final class StylizerRenderer: Renderer, @unchecked Sendable {
    private let lock = NSLock()
    private let load: @Sendable () throws -> Stylizer
    private var stylizer: Stylizer?

    /// The encoder feature cache every render shares.
    public let cache: FeatureCache?

    /// Creates a renderer that builds its stylizer with `load` the first time it renders.
    public init(cache: FeatureCache?, load: @escaping @Sendable () throws -> Stylizer) {
        self.cache = cache
        self.load = load
    }

    /// Creates a renderer around a ready stylizer.
    public convenience init(stylizer: Stylizer, cache: FeatureCache?) {
        self.init(cache: cache, load: { stylizer })
    }

    public func render(_ request: RenderRequest, control: RenderControl) throws -> RGBImage {
        try control.checkCancelled()
        let stylizer = try readyStylizer()
        return try stylizer.stylize(content: request.content, styles: request.styles, settings: request.settings,
                                    cache: cache, control: control)
    }

    /// The stylizer, loading it if this is the first render (a failed load is retried next time).
    private func readyStylizer() throws -> Stylizer {
        try lock.withLock {
            if let stylizer { return stylizer }
            let loaded = try load()
            stylizer = loaded
            return loaded
        }
    }
}
