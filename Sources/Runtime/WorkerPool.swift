import COpenBLAS
import Foundation

/// The runtime's own thread pool: `parallelFor` splits a loop over persistent worker threads
/// and the calling thread.
///
/// OpenBLAS is pinned to one thread when a pool is created, so BLAS calls made from inside a
/// `parallelFor` body never fight the pool for cores. One loop runs at a time; a loop started
/// from inside another loop's body runs serially on the calling worker (no deadlock).
public final class WorkerPool: @unchecked Sendable {
    /// A pool with one thread per active core.
    public static let shared = WorkerPool(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// Threads that execute loop iterations, the calling thread included.
    public let threadCount: Int

    private let condition = NSCondition()
    private let submission = NSLock()
    private var body: ((Int) -> Void)?
    private var iterationCount = 0
    private var nextIteration = 0
    private var unfinished = 0
    private var generation = 0
    private var activeWorkers = 0
    private var workers: [Thread] = []

    private static let insideLoopKey = "atelier.worker-pool.inside-loop"

    /// Creates a pool with `threads` threads in all (at least 1).
    public init(threads: Int) {
        threadCount = max(1, threads)
        openblas_set_num_threads(1)
        for index in 1..<threadCount {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.name = "atelier-worker-\(index)"
            thread.stackSize = 8 << 20
            workers.append(thread)
            thread.start()
        }
    }

    /// Runs `body(i)` for every i in 0..<count, spread over the pool; returns when all are done.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if count == 1 || threadCount == 1 || Thread.current.threadDictionary[Self.insideLoopKey] != nil {
            for i in 0..<count { body(i) }
            return
        }
        submission.lock()
        defer { submission.unlock() }
        withoutActuallyEscaping(body) { escapable in
            condition.lock()
            self.body = escapable
            iterationCount = count
            nextIteration = 0
            unfinished = count
            generation += 1
            condition.broadcast()
            condition.unlock()
            Thread.current.threadDictionary[Self.insideLoopKey] = true
            runIterations()
            Thread.current.threadDictionary[Self.insideLoopKey] = nil
            // Wait for the iterations and for every worker to have left the loop: only then is
            // no reference to `body` left anywhere, as withoutActuallyEscaping requires.
            condition.lock()
            while unfinished > 0 || activeWorkers > 0 { condition.wait() }
            self.body = nil
            condition.unlock()
        }
    }

    /// Claims and runs iterations of the current loop until none are left.
    private func runIterations() {
        while true {
            condition.lock()
            guard let body, nextIteration < iterationCount else {
                condition.unlock()
                return
            }
            let i = nextIteration
            nextIteration += 1
            condition.unlock()
            body(i)
            condition.lock()
            unfinished -= 1
            if unfinished == 0 { condition.broadcast() }
            condition.unlock()
        }
    }

    private func workerLoop() {
        Thread.current.threadDictionary[Self.insideLoopKey] = true
        var seen = 0
        while true {
            condition.lock()
            while generation == seen { condition.wait() }
            seen = generation
            activeWorkers += 1
            condition.unlock()
            runIterations()
            condition.lock()
            activeWorkers -= 1
            if activeWorkers == 0 { condition.broadcast() }
            condition.unlock()
        }
    }
}
