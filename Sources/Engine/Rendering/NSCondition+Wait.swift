import Foundation

extension NSCondition {
    /// Blocks while `holds` is true, checking it under the lock each time the condition is signalled.
    func wait(while holds: () -> Bool) {
        lock()
        defer { unlock() }
        while holds() { wait() }
    }
}
