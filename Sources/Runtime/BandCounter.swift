import Foundation

/// Hands out row bands to the threads of a `parallelFor`: 0, 1, 2 ... to whichever thread asks
/// first, so a thread that finishes early takes more bands (convolutions share it).
final class BandCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    /// The next index, or nil once `count` have been handed out.
    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

extension WorkerPool {
    /// Runs `body(y0, y1, scratch)` for every band of `rows` rows in `0..<height`, the bands handed
    /// out in order to whichever thread is free (a thread slowed by other work does not hold up
    /// the others). Each thread has its own scratch of `scratchFloats` floats (nil when 0). A body
    /// that returns false stops its thread taking bands (a kernel that declined).
    func forEachBand(height: Int, rows: Int, scratchFloats: Int,
                     _ body: (_ y0: Int, _ y1: Int, _ scratch: UnsafeMutablePointer<Float>?) -> Bool) {
        let bands = (height + rows - 1) / rows
        let next = BandCounter()
        parallelFor(min(bands, threadCount)) { _ in
            let scratch = scratchFloats > 0 ? UnsafeMutablePointer<Float>.allocate(capacity: scratchFloats) : nil
            defer { scratch?.deallocate() }
            while let band = next.take(below: bands) {
                let y0 = band * rows
                guard body(y0, min(height, y0 + rows), scratch) else { return }
            }
        }
    }
}
