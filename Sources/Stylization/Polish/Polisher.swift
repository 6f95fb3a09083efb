import Imaging
import Runtime

/// Where a polish is: the step just taken (0 = the start), out of how many, and the loss there.
public struct PolishProgress: Sendable {
    /// Steps taken so far.
    public var step: Int
    /// Steps asked for.
    public var steps: Int
    /// The loss at the current image.
    public var loss: PolishLoss
}

/// What a polish did: the image and the loss at its start and end.
public struct PolishOutcome: Sendable {
    /// The polished image (the start's size).
    public var image: RGBImage
    /// The loss at the start image.
    public var initialLoss: PolishLoss
    /// The loss at the returned image.
    public var finalLoss: PolishLoss
    /// Steps actually taken (fewer than asked when no step lowered the loss any more).
    public var stepsTaken: Int
    /// Forward passes of se5 run (the start, and every line-search trial point).
    public var forwardPasses: Int
    /// Backward passes run (the start, and one per step: only at the accepted point).
    public var backwardPasses: Int
}

/// Gatys-style polish: optimises an image (usually a feed-forward render) with L-BFGS so its
/// se5 Gram matrices match the styles' while its relu4_1 features keep the photo's
/// (`PolishObjective`, docs/polish.md). Pixels stay in [0, 1] by projection.
public final class Polisher: @unchecked Sendable {
    /// The encoder's forward and backward passes.
    public let encoder: EncoderGradient
    private let pool: WorkerPool

    /// Prepares the backward pass of `model`'s level-5 encoder.
    public init(model: UST16xModel, pool: WorkerPool = .shared) throws {
        guard let se5 = model.encoders[5] else { throw ModelError.badLevel(5) }
        encoder = try EncoderGradient(encoder: se5, pool: pool)
        self.pool = pool
    }

    /// Bytes a polish of a width x height image holds at its peak: the encoder's stored
    /// activations and working tensors, plus the optimiser's image-sized vectors (the curvature
    /// history and a spare pair, the iterate, gradient, direction, trial point and its gradient,
    /// the objective's copy of the image, and the photo and start).
    public func bytesNeeded(width: Int, height: Int) -> Int {
        let h = (height + paddingMultiple - 1) / paddingMultiple * paddingMultiple
        let w = (width + paddingMultiple - 1) / paddingMultiple * paddingMultiple
        let imageFloats = 3 * h * w
        let optimiserFloats = imageFloats * (2 * Self.history + 10)
        return 4 * (encoder.floatsNeeded(height: h, width: w) + optimiserFloats)
    }

    /// The largest image (in pixels) whose polish fits in `budget` bytes.
    public func maximumPixels(budget: Int) -> Int {
        let perPixel = Double(bytesNeeded(width: 1024, height: 1024)) / Double(1024 * 1024)
        return Int(Double(budget) / perPixel)
    }

    /// The model file (UST-16x checkpoint name) whose encoder the polish optimises through:
    /// recipes of a polish record its SHA-256 whatever family rendered.
    public static let encoderFile = "se5"

    /// Curvature pairs the optimiser keeps.
    public static let history = 10

    /// Polishes `start` (the feed-forward render of `content` with `styles` under `settings`)
    /// for `steps` L-BFGS steps. Styles are used as given (resized by the caller to the
    /// render's style size) and recoloured like the render when `settings.color == .match`;
    /// with `.luminance` the result keeps the photo's chroma. `weights` default to
    /// `PolishWeights.forAlpha(settings.alpha)`. `onStep` is called after every step with the
    /// progress and a way to get the current image; `control` cancels between evaluations
    /// (its progress is not reported: `onStep` is).
    public func polish(start: RGBImage, content: SourceImage, styles: [SourceImage], settings: StylizeSettings,
                       steps: Int, weights: PolishWeights? = nil, control: RenderControl? = nil,
                       onStep: ((PolishProgress, () -> RGBImage) -> Void)? = nil) throws -> PolishOutcome {
        try StylizeSettingsValidation.validate(settings, styleCount: styles.count, content: content.image)
        let photo = content.image
        guard start.width == photo.width, start.height == photo.height else {
            throw StylizationError.invalidSettings("polish: the start image is \(start.width)x\(start.height), the photo \(photo.width)x\(photo.height)")
        }
        var styleImages = styles.map(\.image)
        if settings.color == .match {
            styleImages = try styleImages.map { try ColorPreservation.matchColors(style: $0, content: photo) }
        }
        let photoTensor = Tensor(photo).paddedToMultiple(pool: pool)
        let regions = RegionMasks.plan(settings: settings, width: photo.width, height: photo.height,
                                       paddedWidth: photoTensor.width, paddedHeight: photoTensor.height)
        let used = Set(regions.flatMap { $0.styles.filter { $0.weight > 0 }.map(\.index) })
        let styleTensors = Dictionary(uniqueKeysWithValues: used.map { ($0, Tensor(styleImages[$0]).paddedToMultiple(pool: pool)) })
        try control?.checkCancelled()
        let objective = try PolishObjective(encoder: encoder, photo: photoTensor, styles: styleTensors, regions: regions,
                                            weights: weights ?? .forAlpha(settings.alpha))
        let shape = (c: 3, h: photoTensor.height, w: photoTensor.width)
        func image(_ x: [Float]) -> RGBImage {
            var result = RGBImage(clamping: Tensor(channels: shape.c, height: shape.h, width: shape.w, data: x)
                .cropped(height: photo.height, width: photo.width))
            if settings.color == .luminance { result = ColorPreservation.keepLuminance(stylized: result, content: photo) }
            return result
        }
        var latest: PolishLoss?
        func tensor(_ x: [Float]) -> Tensor { Tensor(channels: shape.c, height: shape.h, width: shape.w, data: x) }
        let function = BoxLBFGS.Objective(loss: { x in
            try control?.checkCancelled()
            let loss = try objective.loss(tensor(x))
            latest = loss
            return loss.total
        }, gradient: { g in
            try control?.checkCancelled()
            try objective.gradient(into: &g)
        })
        var x = Tensor(RGBImage(clamping: Tensor(start))).paddedToMultiple(pool: pool).data
        var loss = try function.loss(x)
        var gradient = [Float](repeating: 0, count: x.count)
        try function.gradient(&gradient)
        let initial = latest!
        var current = initial
        var optimiser = BoxLBFGS(count: x.count, history: Self.history, pool: pool)
        var taken = 0
        onStep?(PolishProgress(step: 0, steps: steps, loss: initial), { image(x) })
        while taken < steps {
            guard try optimiser.step(x: &x, loss: &loss, gradient: &gradient, objective: function) else { break }
            current = latest!
            taken += 1
            onStep?(PolishProgress(step: taken, steps: steps, loss: current), { image(x) })
        }
        return PolishOutcome(image: image(x), initialLoss: initial, finalLoss: current, stepsTaken: taken,
                             forwardPasses: objective.lossEvaluations, backwardPasses: objective.gradientEvaluations)
    }
}
