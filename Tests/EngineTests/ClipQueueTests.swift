import Foundation
import XCTest
@testable import Engine

/// The clip pipeline's queues between threads: order, bounds, and closing.
final class ClipQueueTests: XCTestCase {
    func testABoundedQueueHandsItemsOverInOrderAndHoldsAtMostItsCapacity() {
        let queue = BoundedQueue<Int>(capacity: 2)
        let held = ManagedAtomicCount()
        let producer = Thread { for i in 0..<500 { _ = queue.put(i); held.add(1) }; queue.close() }
        producer.start()
        var taken: [Int] = []
        while let item = queue.take() {
            taken.append(item)
            // The producer has finished at most `capacity` puts beyond the items taken.
            XCTAssertLessThanOrEqual(held.value - taken.count, 2)
        }
        XCTAssertEqual(taken, Array(0..<500))
    }

    func testClosingWakesAWaitingTakerAndRefusesPuts() {
        let queue = BoundedQueue<Int>(capacity: 1)
        XCTAssertTrue(queue.put(7))
        let woke = expectation(description: "blocked put returns false after close")
        Thread.detachNewThread { if !queue.put(8) { woke.fulfill() } }   // full: waits until closed
        queue.close()
        wait(for: [woke], timeout: 30)
        XCTAssertEqual(queue.take(), 7, "what was put before closing is still taken")
        XCTAssertNil(queue.take())
        let empty = BoundedQueue<Int>(capacity: 1)
        let none = expectation(description: "blocked take returns nil after close")
        Thread.detachNewThread { if empty.take() == nil { none.fulfill() } }
        empty.close()
        wait(for: [none], timeout: 30)
    }

    func testAReorderQueueGivesItemsFromSeveralThreadsInNumberOrder() {
        let queue = ReorderQueue<Int>(capacity: 3)
        let threads = 3, count = 300
        for t in 0..<threads {
            Thread.detachNewThread {
                // Thread t puts numbers t, t + 3, ...: they arrive out of order overall.
                for i in stride(from: t, to: count, by: threads) { _ = queue.put(i, i * 10) }
            }
        }
        var taken: [Int] = []
        for _ in 0..<count { taken.append(queue.take()!) }
        queue.close()
        XCTAssertEqual(taken, (0..<count).map { $0 * 10 })
        XCTAssertNil(queue.take())
        XCTAssertFalse(queue.put(count, 0))
    }

    func testAReorderQueuePutFarAheadWaitsUntilTheNextIsTakenOrClosed() {
        let queue = ReorderQueue<String>(capacity: 1)
        let blocked = expectation(description: "put of 1 returns only after 0 was taken")
        let order = ManagedAtomicCount()
        Thread.detachNewThread {
            XCTAssertTrue(queue.put(1, "b"))   // 1 >= 0 + 1: waits for take of 0
            XCTAssertEqual(order.value, 1)
            blocked.fulfill()
        }
        XCTAssertTrue(queue.put(0, "a"))
        order.add(1)
        XCTAssertEqual(queue.take(), "a")
        wait(for: [blocked], timeout: 30)
        XCTAssertEqual(queue.take(), "b")
    }
}

/// A counter read and written from several threads.
private final class ManagedAtomicCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add(_ n: Int) { lock.withLock { count += n } }
}
