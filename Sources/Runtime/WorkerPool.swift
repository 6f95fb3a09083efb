import CKernels
import COpenBLAS
import Foundation
import Synchronization

/// The runtime's own thread pool: `parallelFor` splits a loop over persistent worker threads
/// and the calling thread.
///
/// OpenBLAS is pinned to one thread when a pool is created, so BLAS calls made from inside a
/// `parallelFor` body never fight the pool for cores. One loop runs at a time; a loop started
/// from inside another loop's body runs serially on the calling worker (no deadlock). The
/// worker threads end when the pool is released.
///
/// A pool may spin: between loops a worker then spins `spinNanoseconds` before it sleeps, and
/// the calling thread as long for the workers to leave a loop, so a network of many small layers
/// (the style predictor: ~20 loops of 0.1-1 ms) need not pay a thread wake-up per loop. The
/// default is not to spin (unmeasured on a quiet machine yet; `atelier bench --pool-spin-us`).
public final class WorkerPool: @unchecked Sendable {
    /// A pool with one thread per active core.
    public static let shared = WorkerPool(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// Threads that execute loop iterations, the calling thread included.
    public let threadCount: Int

    private let loop: SharedLoop
    private let submission = NSLock()

    static let insideLoopKey = "atelier.worker-pool.inside-loop"

    /// How long an idle thread spins before it sleeps, by default.
    public static let defaultSpinNanoseconds: UInt64 = 0

    /// Creates a pool with `threads` threads in all (at least 1).
    public convenience init(threads: Int) {
        self.init(threads: threads, spinNanoseconds: Self.defaultSpinNanoseconds)
    }

    /// Creates a pool with `threads` threads in all (at least 1) whose idle threads spin
    /// `spinNanoseconds` before they sleep (0: sleep at once).
    public init(threads: Int, spinNanoseconds: UInt64) {
        threadCount = max(1, threads)
        loop = SharedLoop(spinNanoseconds: spinNanoseconds)
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

    /// How many of the loops run so far a worker thread took part in (`atelier bench --layers`
    /// reports it next to the dispatch cost).
    public var loopsJoinedByWorkers: Int { loop.joined.load(ordering: .relaxed) }
}

/// The state the calling thread and the workers share: the current loop and who is in it.
/// `body` and `iterationCount` change only under `condition` while no worker is registered in
/// `activeWorkers`; iterations are claimed from `nextIteration` without the lock.
private final class SharedLoop: @unchecked Sendable {
    private let condition = NSCondition()
    private var body: ((Int) -> Void)?
    private var iterationCount = 0
    private var stopping = false
    private let generation = Atomic<Int>(0)
    private let nextIteration = Atomic<Int>(0)
    private let activeWorkers = Atomic<Int>(0)
    private let spinNanoseconds: UInt64
    /// Loops a worker registered in (a diagnostic).
    let joined = Atomic<Int>(0)

    init(spinNanoseconds: UInt64) { self.spinNanoseconds = spinNanoseconds }

    /// Publishes a loop, takes part in it, and returns once every iteration has run and every
    /// worker has left it (only then is no reference to `body` left, as withoutActuallyEscaping
    /// requires).
    func run(count: Int, body: @escaping (Int) -> Void) {
        condition.lock()
        self.body = body
        iterationCount = count
        nextIteration.store(0, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
        Thread.current.threadDictionary[WorkerPool.insideLoopKey] = true
        Self.claimIterations(body: body, count: count, next: nextIteration)
        Thread.current.threadDictionary[WorkerPool.insideLoopKey] = nil
        spin { self.activeWorkers.load(ordering: .acquiring) == 0 }
        condition.lock()
        while activeWorkers.load(ordering: .acquiring) > 0 { condition.wait() }
        self.body = nil
        condition.unlock()
    }

    /// Runs iterations claimed from `next` until none are left.
    private static func claimIterations(body: (Int) -> Void, count: Int, next: borrowing Atomic<Int>) {
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            body(i)
        }
    }

    /// Busy-waits up to `spinNanoseconds` for `done`; true when it came. It yields the core
    /// every 64 checks: on a loaded machine a plain spin took the time slices the calling thread
    /// needed (the predictor ran 2-5x slower at load 9-15 with a 200 us PAUSE-only spin).
    @discardableResult
    private func spin(until done: () -> Bool) -> Bool {
        guard spinNanoseconds > 0 else { return done() }
        let start = DispatchTime.now().uptimeNanoseconds
        while true {
            for _ in 0..<64 {
                if done() { return true }
                ak_spin_pause()
            }
            if DispatchTime.now().uptimeNanoseconds - start > spinNanoseconds { return done() }
            sched_yield()
        }
    }

    /// Registers the calling worker in the current loop, if any, and runs its share; true when
    /// it registered (the caller of `run` then waits for `leaveLoop`). The loop's body is
    /// released when this returns.
    private func joinCurrentLoop(seen: inout Int) -> Bool {
        condition.lock()
        seen = generation.load(ordering: .acquiring)
        guard let body, !stopping else {
            condition.unlock()
            return false
        }
        let count = iterationCount
        activeWorkers.add(1, ordering: .relaxed)
        condition.unlock()
        joined.add(1, ordering: .relaxed)
        Self.claimIterations(body: body, count: count, next: nextIteration)
        return true
    }

    /// Unregisters the calling worker and wakes a caller waiting for the last one.
    private func leaveLoop() {
        if activeWorkers.subtract(1, ordering: .releasing).newValue == 0 {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
    }

    /// A worker thread's life: wait for a new loop (spinning first), help with it, repeat until
    /// shut down.
    func workerMain() {
        Thread.current.threadDictionary[WorkerPool.insideLoopKey] = true
        var seen = 0
        while true {
            spin { self.generation.load(ordering: .acquiring) != seen }
            condition.lock()
            while generation.load(ordering: .acquiring) == seen && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            condition.unlock()
            if joinCurrentLoop(seen: &seen) { leaveLoop() }
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
