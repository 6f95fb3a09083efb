import Foundation

/// Saves the session in the background shortly after it changes, so a crash or a dropped
/// connection loses at most a second or so of work.
///
/// Changes are debounced: the file is written `delay` seconds after the last change, or at the
/// latest `maximumDelay` seconds after the first unsaved one during continuous editing. Writes are
/// atomic (see `SessionStore.save`). Calls return at once; `flush()` writes before quitting.
public final class Autosaver: @unchecked Sendable {
    /// Where the session is written.
    public let url: URL
    /// Quiet time after the last change before writing.
    public let delay: TimeInterval
    /// The longest an unsaved change waits during continuous editing.
    public let maximumDelay: TimeInterval

    private let queue = DispatchQueue(label: "atelier.autosave")
    private let lock = NSLock()
    private var pending: Session?
    private var firstPending: Date?
    private var ticket = 0
    private var written = 0
    private var failure: String?

    /// Creates an autosaver writing to `url` (by default `SessionStore.autosaveURL`).
    public init(url: URL = SessionStore.autosaveURL, delay: TimeInterval = 1.0, maximumDelay: TimeInterval = 5.0) {
        self.url = url
        self.delay = max(0, delay)
        self.maximumDelay = max(delay, maximumDelay)
    }

    /// Files written so far.
    public var writeCount: Int { lock.withLock { written } }

    /// The last write's error as one line, or nil if it succeeded.
    public var lastError: String? { lock.withLock { failure } }

    /// Notes that the session is now `session`; it is written after the debounce delay.
    public func schedule(_ session: Session) {
        let myTicket: Int = lock.withLock {
            pending = session
            if firstPending == nil { firstPending = Date() }
            ticket += 1
            return ticket
        }
        queue.asyncAfter(deadline: .now() + delay) { [weak self] in
            self?.writeIfDue(ticket: myTicket)
        }
    }

    /// Writes any unsaved change now and returns when it is on disk.
    public func flush() {
        queue.sync { writePending() }
    }

    private func writeIfDue(ticket due: Int) {
        let write: Bool = lock.withLock {
            guard pending != nil else { return false }
            let overdue = firstPending.map { Date().timeIntervalSince($0) >= maximumDelay } ?? false
            return ticket == due || overdue
        }
        if write { writePending() }
    }

    /// Runs on `queue`.
    private func writePending() {
        let session: Session? = lock.withLock {
            defer { pending = nil; firstPending = nil }
            return pending
        }
        guard let session else { return }
        var message: String?
        do {
            try SessionStore.save(session, to: url)
        } catch {
            message = String(describing: error)
        }
        lock.withLock {
            failure = message
            if message == nil { written += 1 }
        }
    }
}
