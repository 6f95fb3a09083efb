import Foundation

/// A first-in first-out queue of at most `capacity` items between two threads: `put` waits
/// while it is full, `take` while it is empty. Closing it wakes both; `take` then drains what is
/// left and returns nil, `put` returns false.
final class BoundedQueue<Item>: @unchecked Sendable {
    private let capacity: Int
    private var items: [Item] = []
    private var closed = false
    private let condition = NSCondition()

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// Adds `item`, waiting for room; false when the queue was closed.
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// No more items; waiting threads wake.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
