import Foundation
import Engine
import Stylization

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastPercent = -1

    init(label: String) {
        self.label = label
    }

    /// Redraws the bar at `fraction` (0...1); cheap when the percentage has not changed.
    @Sendable func update(_ fraction: Double) {
        guard enabled else { return }
        let percent = Int(fraction * 100)
        lock.withLock {
            guard percent != lastPercent else { return }
            lastPercent = percent
            let width = 30
            let filled = width * percent / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)%".utf8))
        }
    }

    /// Redraws the bar for a polish: steps taken out of the steps asked for, and the loss.
    func update(polish progress: PolishProgress) {
        guard enabled else { return }
        let width = 30
        let filled = width * progress.step / max(progress.steps, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let loss = String(format: "%.4g", progress.loss.total)
        lock.withLock {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label) polish \(bar) \(progress.step)/\(progress.steps) loss \(loss)".utf8))
        }
    }

    /// Redraws the line for a video: frames done of the clip's, frames per second and the time left.
    @Sendable func update(clip progress: ClipProgress) {
        guard enabled else { return }
        let rate = Double(progress.frames) / max(progress.seconds, 1e-9)
        let left = Int((Double(max(progress.total - progress.frames, 0)) / max(rate, 1e-9)).rounded())
        let eta = String(format: "%d:%02d", left / 60, left % 60)
        lock.withLock {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label) frame \(progress.frames)/\(progress.total) · \(String(format: "%.1f", rate)) frames/s · ETA \(eta)".utf8))
        }
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
