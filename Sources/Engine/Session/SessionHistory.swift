/// The session with its undo and redo history.
///
/// Every applied command that changes the session pushes the previous state; `undo()` and `redo()`
/// walk back and forth. A new command after an undo drops the redo branch. The oldest states are
/// forgotten beyond `limit` steps.
public struct SessionHistory: Equatable, Sendable {
    /// The session as it is now.
    public private(set) var current: Session
    /// Earlier states, oldest first.
    private var past: [Session] = []
    /// States undone, most recently undone last.
    private var future: [Session] = []
    /// The most undo steps kept.
    public let limit: Int

    /// The number of undo steps kept by default.
    public static let defaultLimit = 500

    /// Starts a history at `session` with room for `limit` undo steps (at least 1).
    public init(_ session: Session = Session(), limit: Int = SessionHistory.defaultLimit) {
        current = session
        self.limit = max(1, limit)
    }

    /// Whether there is a step to undo.
    public var canUndo: Bool { !past.isEmpty }
    /// Whether there is a step to redo.
    public var canRedo: Bool { !future.isEmpty }
    /// How many undo steps are available.
    public var undoCount: Int { past.count }
    /// How many redo steps are available.
    public var redoCount: Int { future.count }

    /// Applies `command`; returns whether the session changed (a command with no effect is not recorded).
    @discardableResult
    public mutating func apply(_ command: SessionCommand) throws -> Bool {
        record(try current.applying(command))
    }

    /// Replaces the session by `session` as one undoable step (e.g. after opening a file);
    /// returns whether it changed.
    @discardableResult
    public mutating func replace(with session: Session) -> Bool {
        record(session)
    }

    /// Goes one step back; returns false if there is nothing to undo.
    @discardableResult
    public mutating func undo() -> Bool {
        guard let previous = past.popLast() else { return false }
        future.append(current)
        current = previous
        return true
    }

    /// Goes one step forward again; returns false if there is nothing to redo.
    @discardableResult
    public mutating func redo() -> Bool {
        guard let next = future.popLast() else { return false }
        past.append(current)
        current = next
        return true
    }

    private mutating func record(_ next: Session) -> Bool {
        guard next != current else { return false }
        past.append(current)
        if past.count > limit { past.removeFirst(past.count - limit) }
        future.removeAll()
        current = next
        return true
    }
}
