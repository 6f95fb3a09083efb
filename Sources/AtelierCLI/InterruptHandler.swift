import Dispatch
import Foundation

/// Turns Ctrl-C (SIGINT) into a call of `onInterrupt` (cancelling the running render) instead of
/// killing the process, so the command can stop cleanly and leave no output behind.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var didFire = false

    /// Starts catching SIGINT.
    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            self?.lock.withLock { self?.didFire = true }
            onInterrupt()
        }
        source.resume()
    }

    /// Whether Ctrl-C was pressed.
    var fired: Bool { lock.withLock { didFire } }

    /// Gives SIGINT back its default action.
    func restore() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
