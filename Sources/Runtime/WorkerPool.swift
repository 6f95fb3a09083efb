import COpenBLAS
import Foundation

/// The runtime's own thread pool: `parallelFor` splits a loop over persistent worker threads
/// and the calling thread.
///
/// OpenBLAS is pinned to one thread when a pool is created, so BLAS calls made from inside a
/// `parallelFor` body never fight the pool for cores. One loop runs at a time; a loop started
/// from inside another loop's body runs serially on the calling worker (no deadlock). The
/// worker threads end when the pool is released.
public final class WorkerPool: @unchecked Sendable {
    /// A pool with one thread per active core.
    public static let shared = WorkerPool(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// Threads that execute loop iterations, the calling thread included.
    public let threadCount: Int

    private let loop = SharedLoop()
    private let submission = NSLock()

    static let insideLoopKey = "atelier.worker-pool.inside-loop"

    /// Creates a pool with `threads` threads in all (at least 1).
    public init(threads: Int) {
        threadCount = max(1, threads)
        openblas_set_num_threads(1)
        for index in 1..<threadCount {
            let loop = self.loop
            let thread = Thread { loop.workerMain() }
            thread.name = "atelier-worker-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    deinit {
        loop.shutDown()
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
            loop.run(count: count, body: escapable)
        }
    }
}

/// The state the calling thread and the workers share: the current loop and who is in it.
private final class SharedLoop: @unchecked Sendable {
    private let condition = NSCondition()
    private var body: ((Int) -> Void)?
    private var iterationCount = 0
    private var nextIteration = 0
    private var unfinished = 0
    private var generation = 0
    private var activeWorkers = 0
    private var stopping = false

    /// Publishes a loop, takes part in it, and returns once every iteration has run and every
    /// worker has left it (only then is no reference to `body` left, as withoutActuallyEscaping
    /// requires).
    func run(count: Int, body: @escaping (Int) -> Void) {
        condition.lock()
        self.body = body
        iterationCount = count
        nextIteration = 0
        unfinished = count
        generation += 1
        condition.broadcast()
        condition.unlock()
        Thread.current.threadDictionary[WorkerPool.insideLoopKey] = true
        runIterations()
        Thread.current.threadDictionary[WorkerPool.insideLoopKey] = nil
        condition.lock()
        while unfinished > 0 || activeWorkers > 0 { condition.wait() }
        self.body = nil
        condition.unlock()
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

    /// A worker thread's life: wait for a new loop, help with it, repeat until shut down.
    func workerMain() {
        Thread.current.threadDictionary[WorkerPool.insideLoopKey] = true
        var seen = 0
        while true {
            condition.lock()
            while generation == seen && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
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

    /// Ends the worker threads once they are idle.
    func shutDown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }
}
