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
    private struct Entry {
        var tensor: Tensor
        var lastUse: UInt64
    }

    private let lock = NSLock()
    private var entries: [FeatureKey: Entry] = [:]
    private var clock: UInt64 = 0
    private var bytes = 0
    private var hitCount = 0
    private var missCount = 0

    /// The most bytes the cache holds.
    public let capacityBytes: Int

    /// Creates a cache holding at most `capacityBytes` of feature data.
    public init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    /// Bytes currently held.
    public var usedBytes: Int { lock.withLock { bytes } }
    /// Number of entries currently held.
    public var count: Int { lock.withLock { entries.count } }
    /// Lookups that found their entry.
    public var hits: Int { lock.withLock { hitCount } }
    /// Lookups that did not.
    public var misses: Int { lock.withLock { missCount } }

    public func features(for key: FeatureKey) -> Tensor? {
        lock.withLock {
            clock += 1
            guard var entry = entries[key] else {
                missCount += 1
                return nil
            }
            hitCount += 1
            entry.lastUse = clock
            entries[key] = entry
            return entry.tensor
        }
    }

    public func store(_ features: Tensor, for key: FeatureKey) {
        lock.withLock {
            guard features.byteCount <= capacityBytes else { return }
            clock += 1
            if let old = entries.removeValue(forKey: key) { bytes -= old.tensor.byteCount }
            while bytes + features.byteCount > capacityBytes,
                  let victim = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                bytes -= victim.value.tensor.byteCount
                entries.removeValue(forKey: victim.key)
            }
            entries[key] = Entry(tensor: features, lastUse: clock)
            bytes += features.byteCount
        }
    }

    /// Drops every entry.
    public func removeAll() {
        lock.withLock {
            entries.removeAll()
            bytes = 0
        }
    }
}
