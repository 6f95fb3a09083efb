import Foundation

extension NSCondition {
    /// Blocks while `holds` is true, checking it under the lock each time the condition is signalled.
    func wait(while holds: () -> Bool) {
        waiting(while: holds) {}
    }

    /// Blocks while `holds` is true (checked under the lock each time the condition is signalled),
    /// then runs `body` still holding the lock and returns its result.
    func waiting<T>(while holds: () -> Bool, then body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        while holds() { wait() }
        return try body()
    }
}
