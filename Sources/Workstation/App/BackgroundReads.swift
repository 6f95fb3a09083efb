import Foundation

/// Reads files for the interface off its thread (a session file, a folder listing), so a slow
/// disk, a FIFO or a huge file never freezes the keys: `start` queues the read on a background
/// queue, and `deliverFinished()` (called by the loop on the interface's thread, every frame)
/// hands each result to its continuation there.
final class BackgroundReads: @unchecked Sendable {
    private let queue = DispatchQueue(label: "atelier.reads", qos: .userInitiated)
    private let lock = NSLock()
    private var finished: [() -> Void] = []
    private var running = 0

    /// Runs `read` in the background; `then` gets its result on the interface's thread.
    func start<Value>(_ read: @escaping @Sendable () throws -> Value, then: @escaping (Result<Value, Error>) -> Void) {
        let handOver = UncheckedBox(then)
        lock.withLock { running += 1 }
        queue.async { [self] in
            let result = Result { try read() }
            lock.withLock {
                running -= 1
                finished.append { handOver.value(result) }
            }
        }
    }

    /// Whether a read is still running.
    var isBusy: Bool { lock.withLock { running > 0 } }

    /// Runs the continuations of the reads that finished; returns whether there were any.
    @discardableResult
    func deliverFinished() -> Bool {
        let ready: [() -> Void] = lock.withLock {
            defer { finished = [] }
            return finished
        }
        for continuation in ready { continuation() }
        return !ready.isEmpty
    }
}

/// Carries a value that is only ever used on the interface's thread through a background queue.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
