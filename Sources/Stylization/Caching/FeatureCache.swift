import Foundation
import Runtime

/// Identifies one cached feature map: which image, which encoder level, what padded size.
public struct FeatureKey: Hashable, Sendable {
    /// The source image's identity (see `SourceImage.identity`), plus any preprocessing tag.
    public var identity: String
    /// Encoder level 1...5.
    public var level: Int

    /// Creates a key.
    public init(identity: String, level: Int) {
        self.identity = identity
        self.level = level
    }
}

/// Storage for encoder outputs, so that a change of alpha, weights or transform does not
/// re-encode the photo and the styles. Implementations must be safe to call from any thread.
public protocol FeatureCache: AnyObject, Sendable {
    /// The cached features for `key`, if present.
    func features(for key: FeatureKey) -> Tensor?
    /// Stores features for `key`.
    func store(_ features: Tensor, for key: FeatureKey)
}

/// A thread-safe feature cache bounded in bytes, evicting the least recently used entry first.
public final class LRUFeatureCache: FeatureCache, @unchecked Sendable {
    private let storage: ByteBoundedCache<FeatureKey, Tensor>

    /// Creates a cache holding at most `capacityBytes` of feature data.
    public init(capacityBytes: Int) {
        storage = ByteBoundedCache(capacityBytes: capacityBytes) { $0.byteCount }
    }

    /// The most bytes the cache holds.
    public var capacityBytes: Int { storage.capacityBytes }
    /// Occupancy and hit counts, read together.
    public var statistics: CacheStatistics { storage.statistics }
    /// Bytes currently held.
    public var usedBytes: Int { statistics.usedBytes }
    /// Number of entries currently held.
    public var count: Int { statistics.entries }
    /// Lookups that found their entry.
    public var hits: Int { statistics.hits }
    /// Lookups that did not.
    public var misses: Int { statistics.misses }

    public func features(for key: FeatureKey) -> Tensor? { storage.value(for: key) }

    public func store(_ features: Tensor, for key: FeatureKey) { storage.store(features, for: key) }

    /// Drops every entry.
    public func removeAll() { storage.removeAll() }
}
