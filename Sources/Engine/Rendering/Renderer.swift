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
    /// The model family's id (see `ModelCatalog`).
    public var family: String
    /// Whether what the family derives from `content` (encoder features, style vector, styles
    /// recoloured to it) is worth keeping in the shared cache: false for a frame of a live feed,
    /// which no later render asks for (the styles' features are kept either way).
    public var keepsContentFeatures = true

    /// Creates a request.
    public init(content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                family: String = ModelCatalog.defaultFamilyID) {
        self.content = content
        self.styles = styles
        self.settings = settings
        self.family = family
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

/// A model family and the SHA-256 of each of its files (by file name), as render recipes record them.
public typealias LoadedModel = LoadedFamily

extension LoadedFamily {
    /// The UST-16x model installed in `store` (default: the one under `ModelStore.defaultHome`).
    /// Throws the store's one-line error (e.g. "model not installed: run `atelier models install`").
    public static func installed(in store: ModelStore = ModelStore(home: ModelStore.defaultHome)) throws -> LoadedFamily {
        LoadedFamily(model: try UST16xModel.load(from: store), fileDigests: store.modelFileDigests())
    }

    /// Family `id` of the catalog, installed under `home`.
    public static func installed(family id: String, home: URL = ModelStore.defaultHome) throws -> LoadedFamily {
        try ModelCatalog.load(id, home: home)
    }
}

/// Loads model family `id` (see `ModelCatalog`); throws a one-line error when it is not installed.
public typealias FamilyLoader = @Sendable (_ id: String) throws -> LoadedModel

/// The product's renderer: a `Stylizer` over whichever model family a request names, each
/// loaded on first use (on the worker's thread, never the interface's), with what the families
/// derive from images (encoder features, style vectors) kept in a shared cache so a change of
/// alpha, weights, transform or colour mode costs only the rest of the network.
public final class StylizerRenderer: Renderer, @unchecked Sendable {
    private let lock = NSLock()
    private let load: FamilyLoader
    private var loaded: [String: (model: LoadedModel, stylizer: Stylizer)] = [:]

    /// The feature cache every render shares (exports use it too).
    public let cache: LRUFeatureCache

    /// Creates a renderer that loads a family with `families` the first time it is needed; a
    /// failed load is reported by that render and retried by the next.
    public init(cache: LRUFeatureCache, families: @escaping FamilyLoader) {
        self.cache = cache
        self.load = families
    }

    /// A renderer for UST-16x only, loaded with `load`.
    public convenience init(cache: LRUFeatureCache, load: @escaping @Sendable () throws -> LoadedModel) {
        self.init(cache: cache, families: { id in
            guard id == UST16xModel.family.id else {
                throw StylizationError.modelUnavailable("model \(id) is not available here")
            }
            return try load()
        })
    }

    public func render(_ request: RenderRequest, control: RenderControl) throws -> RGBImage {
        try control.checkCancelled()
        let cache: FeatureCache = request.keepsContentFeatures
            ? self.cache : ExcludingFeatureCache(self.cache, excluding: request.content.identity)
        return try ready(request.family).stylizer.stylize(content: request.content, styles: request.styles,
                                                          settings: request.settings, cache: cache, control: control)
    }

    /// Family `id` (default UST-16x), loading it if needed.
    public func model(_ id: String = ModelCatalog.defaultFamilyID) throws -> LoadedModel {
        try ready(id).model
    }

    private func ready(_ id: String) throws -> (model: LoadedModel, stylizer: Stylizer) {
        try lock.withLock {
            if let ready = loaded[id] { return ready }
            let model = try load(id)
            let ready = (model, Stylizer(model: model.model))
            loaded[id] = ready
            return ready
        }
    }
}
