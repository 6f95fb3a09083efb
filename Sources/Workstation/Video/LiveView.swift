import Engine
import Foundation

/// What the workstation keeps of a live source: the stylizer, the pictures shown and when
/// (for the displayed frame rate), and the frames saved by `e`.
final class LiveView {
    /// The source as named.
    let source: LiveSource
    /// Stylizes the source's newest frame, over and over.
    let stylizer: LiveStylizer
    /// The frame number of the picture on screen.
    var shownIndex: Int?
    /// When the last pictures were shown (a few seconds' worth).
    var shownTimes: [Double] = []

    init(source: LiveSource, stylizer: LiveStylizer) {
        self.source = source
        self.stylizer = stylizer
    }

    /// Pictures shown per second over the last two seconds (0 before two pictures).
    func displayedRate(now: Double) -> Double {
        let recent = shownTimes.filter { now - $0 <= 2 }
        guard recent.count >= 2, let first = recent.first else { return 0 }
        return Double(recent.count - 1) / max(now - first, 1e-3)
    }

    /// Notes a picture shown at `now`.
    func noteShown(at now: Double) {
        shownTimes.append(now)
        shownTimes.removeAll { now - $0 > 3 }
    }
}
