import Foundation
import Imaging
import Stylization

/// A polish of the preview picture running in the background (the workstation's polish key):
/// L-BFGS steps on the pane-sized feed-forward render (docs/polish.md), publishing the loss
/// after every step and the picture every few steps. The interface polls `take()`; it cancels
/// the polish when the session changes (the picture it polishes is then stale).
public final class PreviewPolish: @unchecked Sendable {
    /// Where the polish is.
    public struct Progress: Equatable, Sendable {
        /// Steps taken so far.
        public var step: Int
        /// Steps asked for.
        public var steps: Int
        /// The weighted total loss at the current picture.
        public var loss: Double
        /// The current picture, on repaint steps (and the last one); nil in between.
        public var image: RGBImage?
    }

    /// How the polish ended, or that it still runs.
    public enum State: Equatable, Sendable {
        /// Still stepping.
        case running
        /// Done: the steps taken (fewer than asked when no step lowered the loss any more).
        case finished(stepsTaken: Int)
        /// Could not run; one line for the status bar.
        case failed(String)
        /// Cancelled.
        case cancelled
    }

    /// The session whose preview is polished.
    public let session: Session
    /// The polish asked for (steps and loss weights); an export of `session` applies the same.
    public let settings: PolishSettings

    private let condition = NSCondition()
    private var pending: Progress?
    private var current: State = .running
    private let control = RenderControl()

    private init(session: Session, settings: PolishSettings) {
        self.session = session
        self.settings = settings
    }

    /// Starts polishing `image` (the preview of `session`, rendered from `request`) and returns
    /// at once. `model` supplies UST-16x (its se5 encoder); called on the polish's thread.
    static func start(session: Session, image: RGBImage, request: @escaping @Sendable () throws -> RenderRequest,
                      settings: PolishSettings, repaintEvery: Int,
                      model: @escaping @Sendable () throws -> UST16xModel) -> PreviewPolish {
        let polish = PreviewPolish(session: session, settings: settings)
        let thread = Thread {
            polish.run(image: image, request: request, repaintEvery: max(1, repaintEvery), model: model)
        }
        thread.name = "atelier-polish"
        thread.stackSize = 8 << 20
        thread.start()
        return polish
    }

    /// Asks the polish to stop at its next evaluation.
    public func cancel() { control.cancel() }

    /// The newest progress not taken yet (nil: nothing new).
    public func take() -> Progress? {
        condition.withLock {
            defer { pending = nil }
            return pending
        }
    }

    /// The current state.
    public var state: State { condition.withLock { current } }

    /// Blocks until the polish has ended (tests).
    @discardableResult
    public func wait() -> State {
        condition.wait { current == .running }
        return state
    }

    private func publish(_ progress: Progress) {
        condition.withLock {
            var next = progress
            if next.image == nil, let earlier = pending?.image { next.image = earlier }   // an untaken picture stays
            pending = next
        }
    }

    private func end(_ state: State) {
        condition.withLock {
            current = state
            condition.broadcast()
        }
    }

    private func run(image: RGBImage, request: () throws -> RenderRequest, repaintEvery: Int, model: () throws -> UST16xModel) {
        do {
            let request = try request()
            guard !request.styles.isEmpty else {
                throw StylizationError.invalidSettings("polish needs style images; built-in styles have none")
            }
            let content = request.content.image
            let start = image.width == content.width && image.height == content.height
                ? image : image.resized(width: content.width, height: content.height)
            let polisher = try Polisher(model: try model())
            let outcome = try polisher.polish(start: start, content: request.content, styles: request.styles,
                                              settings: request.settings, steps: settings.steps, weights: settings.weights,
                                              control: control) { [self] progress, picture in
                let repaint = progress.step > 0 && (progress.step % repaintEvery == 0 || progress.step == progress.steps)
                publish(Progress(step: progress.step, steps: progress.steps, loss: progress.loss.total,
                                 image: repaint ? picture() : nil))
            }
            publish(Progress(step: outcome.stepsTaken, steps: settings.steps, loss: outcome.finalLoss.total, image: outcome.image))
            end(.finished(stepsTaken: outcome.stepsTaken))
        } catch StylizationError.cancelled {
            end(.cancelled)
        } catch {
            end(.failed(String(describing: error)))
        }
    }
}

extension Studio {
    /// Starts polishing `image`, the preview picture of the current session, for `steps`
    /// L-BFGS steps with the loss weights the session's alpha maps to; the picture is published
    /// every `repaintEvery` steps. Returns at once.
    public func polishPreview(_ image: RGBImage, steps: Int, repaintEvery: Int = 5) -> PreviewPolish {
        let session = self.session, box = previewBox, sources = self.sources, loader = self.model
        return PreviewPolish.start(session: session, image: image, request: {
            try RenderRequest.make(for: session, fit: .box(width: box.size.width, height: box.size.height), sources: sources)
        }, settings: PolishSettings(steps: steps, alpha: session.alpha), repaintEvery: repaintEvery, model: {
            guard let loader else { throw StylizationError.modelUnavailable("no model is configured for the polish") }
            guard let model = try loader(UST16xModel.family.id).model as? UST16xModel else {
                throw StylizationError.modelUnavailable("the polish needs the UST-16x model (its se5 encoder)")
            }
            return model
        })
    }
}
