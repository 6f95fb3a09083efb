import Foundation

/// Lets the owner of a render cancel it and observe its progress.
///
/// The stylizer checks `isCancelled` at every layer boundary and throws
/// `StylizationError.cancelled` as soon as it is set.
public final class RenderControl: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private let onProgress: (@Sendable (Double) -> Void)?

    /// Creates a control; `onProgress` receives fractions in [0, 1] from the rendering thread.
    public init(onProgress: (@Sendable (Double) -> Void)? = nil) {
        self.onProgress = onProgress
    }

    /// Asks the render to stop at the next layer boundary.
    public func cancel() { lock.withLock { cancelled = true } }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Reports progress (called by the stylizer).
    public func report(_ fraction: Double) { onProgress?(min(max(fraction, 0), 1)) }

    /// Throws `StylizationError.cancelled` if the render was cancelled.
    public func checkCancelled() throws {
        if isCancelled { throw StylizationError.cancelled }
    }
}
