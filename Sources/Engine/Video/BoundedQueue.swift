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

/// Items numbered 0, 1, 2, ... put in any order by several threads and taken in number order by
/// one: `put` waits while its number is `capacity` or more ahead of the next to be taken, `take`
/// until the next number is there. Closing it wakes both; `take` then returns what is next in
/// order while it is there, then nil, and `put` returns false.
final class ReorderQueue<Item>: @unchecked Sendable {
    private let capacity: Int
    private var items: [Int: Item] = [:]
    private var next = 0
    private var closed = false
    private let condition = NSCondition()

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// Adds item number `index`, waiting for room; false when the queue was closed.
    func put(_ index: Int, _ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while index >= next + capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items[index] = item
        condition.broadcast()
        return true
    }

    /// The next item in number order, waiting for it; nil once the queue is closed without it.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items[next] == nil && !closed { condition.wait() }
        guard let item = items.removeValue(forKey: next) else { return nil }
        next += 1
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
