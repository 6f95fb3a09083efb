import Engine
import Imaging

/// What the preview pane shows.
public enum PreviewMode: Equatable, Sendable {
    /// The stylized picture (quick pass first, then the full one).
    case stylized
    /// The photo as it is, for a before/after look.
    case before
    /// The last two full renders side by side.
    case compare
    /// The 1:1 view: the export-resolution render, one pixel per display pixel, around a point.
    case detail
}

/// The preview pictures received so far and how long they took.
public struct PreviewHistory: Sendable {
    /// The newest picture (quick or full).
    public private(set) var shown: PreviewFrame?
    /// The newest full picture.
    public private(set) var latestFull: PreviewFrame?
    /// The full picture before it (of an earlier submission), for compare.
    public private(set) var previousFull: PreviewFrame?
    /// The submission the timings belong to.
    public private(set) var timingGeneration: UInt64 = 0
    /// Seconds of that submission's quick pass, if it had one and it arrived.
    public private(set) var quickSeconds: Double?
    /// Seconds of that submission's full pass, once it arrived.
    public private(set) var fullSeconds: Double?
    /// Counts pictures received; changes whenever `shown` does.
    public private(set) var pictureCount: UInt64 = 0
    /// The newest submission's render error, cleared by the next picture.
    public var failure: String?

    /// An empty history.
    public init() {}

    /// Takes in a new picture.
    public mutating func receive(_ frame: PreviewFrame) {
        if frame.generation != timingGeneration {
            timingGeneration = frame.generation
            quickSeconds = nil
            fullSeconds = nil
        }
        switch frame.kind {
        case .quick: quickSeconds = frame.seconds
        case .full:
            fullSeconds = frame.seconds
            if let latest = latestFull, latest.generation != frame.generation { previousFull = latest }
            latestFull = frame
        }
        shown = frame
        failure = nil
        pictureCount &+= 1
    }

    /// "#3 · 412 ms" once the picture is final, "#3 · rough 38 ms, sharpening…" while only the
    /// quick pass is in (render number, then how long it took), or nil before the first picture.
    public var summary: String? {
        guard let shown else { return nil }
        if shown.kind == .quick {
            return "#\(shown.generation) · rough \(Self.milliseconds(quickSeconds ?? shown.seconds)), sharpening…"
        }
        return "#\(shown.generation) · " + Self.milliseconds(fullSeconds ?? shown.seconds)
    }

    static func milliseconds(_ seconds: Double) -> String {
        seconds >= 10 ? String(format: "%.0f s", seconds) : String(format: "%.0f ms", seconds * 1000)
    }
}
