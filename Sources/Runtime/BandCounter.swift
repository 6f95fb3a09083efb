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
