import Foundation

/// A thread-safe least-recently-used cache bounded by the bytes its values occupy.
public final class ByteBoundedCache<Key: Hashable, Value>: @unchecked Sendable {
    private struct Entry {
        var value: Value
        var bytes: Int
        var lastUse: UInt64
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var used = 0
    private var hitCount = 0
    private var missCount = 0
    private let size: (Value) -> Int

    /// The most bytes held.
    public let capacityBytes: Int

    /// Creates a cache of `capacityBytes`, measuring each value with `size`.
    public init(capacityBytes: Int, size: @escaping (Value) -> Int) {
        self.capacityBytes = max(0, capacityBytes)
        self.size = size
    }

    /// The value for `key`, if present (counts a hit or a miss).
    public func value(for key: Key) -> Value? {
        lock.withLock {
            clock += 1
            guard var entry = entries[key] else {
                missCount += 1
                return nil
            }
            hitCount += 1
            entry.lastUse = clock
            entries[key] = entry
            return entry.value
        }
    }

    /// Stores `value`, evicting the least recently used entries to make room; values larger
    /// than the whole cache are not stored.
    public func store(_ value: Value, for key: Key) {
        let bytes = size(value)
        lock.withLock {
            guard bytes <= capacityBytes else { return }
            clock += 1
            if let old = entries.removeValue(forKey: key) { used -= old.bytes }
            while used + bytes > capacityBytes,
                  let victim = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                used -= victim.value.bytes
                entries.removeValue(forKey: victim.key)
            }
            entries[key] = Entry(value: value, bytes: bytes, lastUse: clock)
            used += bytes
        }
    }

    /// Drops every entry (hit and miss counts are kept).
    public func removeAll() {
        lock.withLock {
            entries.removeAll()
            used = 0
        }
    }

    /// Bytes, entries, hits and misses, read together.
    public var statistics: CacheStatistics {
        lock.withLock {
            CacheStatistics(usedBytes: used, capacityBytes: capacityBytes, entries: entries.count,
                            hits: hitCount, misses: missCount)
        }
    }
}

/// A snapshot of one cache's occupancy and hit counts, for the status bar.
public struct CacheStatistics: Equatable, Sendable {
    /// Bytes held.
    public var usedBytes: Int
    /// The most bytes the cache holds.
    public var capacityBytes: Int
    /// Entries held.
    public var entries: Int
    /// Lookups that found their entry.
    public var hits: Int
    /// Lookups that did not.
    public var misses: Int

    /// Creates a snapshot.
    public init(usedBytes: Int, capacityBytes: Int, entries: Int, hits: Int, misses: Int) {
        self.usedBytes = usedBytes
        self.capacityBytes = capacityBytes
        self.entries = entries
        self.hits = hits
        self.misses = misses
    }
}
