import Runtime

/// A view of a feature cache that leaves out what one image (or a run of frames) derives:
/// every key whose identity contains `excluded` misses and is never stored; every other key
/// goes to `base`. A clip render or a live feed uses it so that a frame's encoder outputs,
/// style vector and styles recoloured to it (asked for by no later render) neither fill the
/// cache nor push the styles' features out of it.
public final class ExcludingFeatureCache: FeatureCache, @unchecked Sendable {
    /// The cache everything else goes to.
    public let base: FeatureCache
    private let excluded: String

    /// A view of `base` without the keys naming `excluded` (e.g. `clip identity + "#"`).
    public init(_ base: FeatureCache, excluding excluded: String) {
        self.base = base
        self.excluded = excluded
    }

    public func features(for key: FeatureKey) -> Tensor? {
        leavesOut(key) ? nil : base.features(for: key)
    }

    public func store(_ features: Tensor, for key: FeatureKey) {
        if !leavesOut(key) { base.store(features, for: key) }
    }

    private func leavesOut(_ key: FeatureKey) -> Bool { key.identity.contains(excluded) }
}
