import Foundation

/// The lock, waits and closing the clip pipeline's queues share: a thread waits while the queue
/// is open and it cannot go on, then acts under the lock and wakes the others.
final class QueueGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var closed = false

    /// Waits while `blocked` is true and the queue is open, then runs `body` (told whether the
    /// queue was closed) under the lock; waiting threads wake when it returns.
    func pass<T>(waitingWhile blocked: () -> Bool, _ body: (_ closed: Bool) -> T) -> T {
        condition.waiting(while: { blocked() && !closed }) {
            defer { condition.broadcast() }
            return body(closed)
        }
    }

    /// No more items; waiting threads wake.
    func close() {
        pass(waitingWhile: { false }) { _ in closed = true }
    }
}

/// A first-in first-out queue of at most `capacity` items between two threads: `put` waits
/// while it is full, `take` while it is empty. Closing it wakes both; `take` then drains what is
/// left and returns nil, `put` returns false.
final class BoundedQueue<Item>: @unchecked Sendable {
    private let capacity: Int
    private var items: [Item] = []
    private let gate = QueueGate()

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// Adds `item`, waiting for room; false when the queue was closed.
    func put(_ item: Item) -> Bool {
        gate.pass(waitingWhile: { items.count >= capacity }) { closed in
            guard !closed else { return false }
            items.append(item)
            return true
        }
    }

    /// The oldest item, waiting for one; nil once the queue is closed and empty.
    func take() -> Item? {
        gate.pass(waitingWhile: { items.isEmpty }) { _ in items.isEmpty ? nil : items.removeFirst() }
    }

    /// No more items; waiting threads wake.
    func close() { gate.close() }
}

/// Items numbered 0, 1, 2, ... put in any order by several threads and taken in number order by
/// one: `put` waits while its number is `capacity` or more ahead of the next to be taken, `take`
/// until the next number is there. Closing it wakes both; `take` then returns what is next in
/// order while it is there, then nil, and `put` returns false.
final class ReorderQueue<Item>: @unchecked Sendable {
    private let capacity: Int
    private var items: [Int: Item] = [:]
    private var next = 0
    private let gate = QueueGate()

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// Adds item number `index`, waiting for room; false when the queue was closed.
    func put(_ index: Int, _ item: Item) -> Bool {
        gate.pass(waitingWhile: { index >= next + capacity }) { closed in
            guard !closed else { return false }
            items[index] = item
            return true
        }
    }

    /// The next item in number order, waiting for it; nil once the queue is closed without it.
    func take() -> Item? {
        gate.pass(waitingWhile: { items[next] == nil }) { _ in
            guard let item = items.removeValue(forKey: next) else { return nil }
            next += 1
            return item
        }
    }

    /// No more items; waiting threads wake.
    func close() { gate.close() }
}
