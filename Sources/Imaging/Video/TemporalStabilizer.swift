/// Keeps a stylized clip from flickering: each new stylized frame is blended with the previous
/// output, warped by the motion estimated on the input frames, wherever that motion is reliable.
///
/// Motion is measured on grey copies of the input frames shrunk so the longer side is at most
/// `motionSide` pixels (the shrinking also averages sensor noise away): backward (this frame ->
/// the previous one) and forward (previous -> this), see `MotionField`. A pixel is reliable when
/// the two agree (the forward motion at the backward match points back within half a small
/// pixel plus 10% of the motion: occlusions and disocclusions fail this) and the grey values
/// match within `photometricTolerance`. There the output is
/// `weight * warped previous output + (1 - weight) * stylized`, with `weight = 0.9 * stability`;
/// elsewhere it is the stylized frame. The weight map is softened by a 3x3 mean so regions fade in.
public final class TemporalStabilizer {
    /// 0 (independent frames) to 1 (the most carried over).
    public let stability: Float
    /// The longer side of the grey frames motion is measured on.
    public static let motionSide = 192
    /// Largest grey difference (0-1) between matched pixels still taken as the same surface.
    public static let photometricTolerance: Float = 0.06

    /// A frame is a scene cut when fewer than this share of its small pixels have reliable motion.
    public static let sceneCutReliability: Float = 0.2

    private var previousGrey: GrayImage?
    private var previousOutput: RGBImage?
    private var pending: Motion?

    /// The motion measured between two input frames, what `next(stylized:motion:)` blends by.
    public struct Motion: Sendable {
        let backward: MotionField
        let weights: [Float]
        let factor: Int
        /// Less than `sceneCutReliability` of the frame matches the previous one.
        public let isSceneCut: Bool
    }

    /// A stabilizer blending in `stability` (0...1) of the previous output.
    public init(stability: Float) {
        self.stability = min(max(stability, 0), 1)
    }

    /// Measures the motion from the previous input frame to `input` (call once per frame,
    /// before `next(stylized:)`); true when `input` starts a new scene: less than
    /// `sceneCutReliability` of it matches the previous frame (the first frame is not a cut).
    public func observe(input: RGBImage) -> Bool {
        pending = motion(to: input)
        return pending?.isSceneCut ?? false
    }

    /// The motion from the previous input frame (the one last given here or to
    /// `observe(input:)`) to `input`; nil for the first frame, after a size change, and at
    /// stability 0. Input frames come here in order; the outputs may be blended later, in the
    /// same order, with `next(stylized:motion:)`.
    public func motion(to input: RGBImage) -> Motion? {
        guard stability > 0 else { return nil }
        let factor = max(1, (max(input.width, input.height) + Self.motionSide - 1) / Self.motionSide)
        let grey = Self.shrunkGrey(input, factor: factor)
        defer { previousGrey = grey }
        guard let previousGrey, previousGrey.width == grey.width, previousGrey.height == grey.height else { return nil }
        let backward = MotionField(from: grey, to: previousGrey)
        let forward = MotionField(from: previousGrey, to: grey)
        let weights = reliableWeights(grey: grey, previous: previousGrey, backward: backward, forward: forward)
        let reliable = weights.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        return Motion(backward: backward, weights: weights, factor: factor,
                      isSceneCut: Float(reliable) < Self.sceneCutReliability * Float(max(weights.count, 1)))
    }

    /// The output for the frame last given to `observe(input:)`, whose render is `stylized`.
    public func next(stylized: RGBImage) -> RGBImage {
        defer { pending = nil }
        return next(stylized: stylized, motion: pending)
    }

    /// The output for the frame whose render is `stylized` and whose `motion(to:)` is `motion`
    /// (frames in order).
    public func next(stylized: RGBImage, motion: Motion?) -> RGBImage {
        guard let motion, let previousOutput, previousOutput.width == stylized.width,
              previousOutput.height == stylized.height else {
            previousOutput = stability > 0 ? stylized : nil
            return stylized
        }
        let out = blend(stylized, previous: previousOutput, backward: motion.backward, weights: motion.weights,
                        factor: motion.factor)
        self.previousOutput = out
        return out
    }

    /// `observe(input:)` then `next(stylized:)`.
    public func next(input: RGBImage, stylized: RGBImage) -> RGBImage {
        _ = observe(input: input)
        return next(stylized: stylized)
    }

    /// Per small pixel: the blend weight where motion is reliable, 0 elsewhere, softened.
    func reliableWeights(grey: GrayImage, previous: GrayImage, backward: MotionField, forward: MotionField) -> [Float] {
        let w = grey.width, h = grey.height
        let weight = 0.9 * stability
        var raw = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                let bx = backward.dx[i], by = backward.dy[i]
                let qx = Float(x) + bx, qy = Float(y) + by
                guard qx >= 0, qy >= 0, qx <= Float(w - 1), qy <= Float(h - 1) else { continue }
                let (fx, fy) = forward.sample(x: qx, y: qy)
                let mismatch = ((bx + fx) * (bx + fx) + (by + fy) * (by + fy)).squareRoot()
                let motion = (bx * bx + by * by).squareRoot()
                guard mismatch <= 0.5 + 0.1 * motion else { continue }
                let difference = abs(grey.pixels[i] - MotionField.bilinear(previous.pixels, w, h, qx, qy))
                guard difference <= Self.photometricTolerance else { continue }
                raw[i] = weight
            }
        }
        var soft = raw
        for y in 0..<h {
            for x in 0..<w {
                var sum: Float = 0, count: Float = 0
                for j in max(y - 1, 0)...min(y + 1, h - 1) {
                    for k in max(x - 1, 0)...min(x + 1, w - 1) {
                        sum += raw[j * w + k]
                        count += 1
                    }
                }
                soft[y * w + x] = min(raw[y * w + x], sum / count) // fades in, never spreads into rejected pixels
            }
        }
        return soft
    }

    /// The stylized frame with the previous output, warped, blended in by `weights`. The small
    /// grid's bilinear coordinates are worked out once per column and once per row (the same
    /// arithmetic as `MotionField.bilinear`, so the same bits).
    func blend(_ stylized: RGBImage, previous: RGBImage, backward: MotionField, weights: [Float], factor: Int) -> RGBImage {
        let width = stylized.width, height = stylized.height, n = width * height
        let scale = Float(factor)
        let gw = backward.width, gh = backward.height
        let taps = (0..<width).map { Self.tap((Float($0) + 0.5) / scale - 0.5, size: gw) }
        var out = stylized
        taps.withUnsafeBufferPointer { columns in
            stylized.pixels.withUnsafeBufferPointer { current in
                previous.pixels.withUnsafeBufferPointer { before in
                    out.pixels.withUnsafeMutableBufferPointer { result in
                        weights.withUnsafeBufferPointer { weight in
                            backward.dx.withUnsafeBufferPointer { motionX in
                                backward.dy.withUnsafeBufferPointer { motionY in
                                    for y in 0..<height {
                                        let row = Self.tap((Float(y) + 0.5) / scale - 0.5, size: gh)
                                        let top = row.i0 &* gw, bottom = row.i1 &* gw
                                        @inline(__always) func sample(_ plane: UnsafeBufferPointer<Float>, _ c: Tap) -> Float {
                                            let upper = plane[top &+ c.i0] * (1 - c.f) + plane[top &+ c.i1] * c.f
                                            let lower = plane[bottom &+ c.i0] * (1 - c.f) + plane[bottom &+ c.i1] * c.f
                                            return upper * (1 - row.f) + lower * row.f
                                        }
                                        let rowStart = y &* width
                                        for x in 0..<width {
                                            let column = columns[x]
                                            let w = sample(weight, column)
                                            guard w > 0.001 else { continue }
                                            let dx = sample(motionX, column), dy = sample(motionY, column)
                                            if dx == 0, dy == 0 {
                                                // Still: the warp reads the pixel itself with the
                                                // neighbours' shares 0 (values are finite), the same bits.
                                                for c in 0..<3 {
                                                    let i = c &* n &+ rowStart &+ x
                                                    result[i] = w * before[i] + (1 - w) * current[i]
                                                }
                                                continue
                                            }
                                            let px = min(max(Float(x) + dx * scale, 0), Float(width - 1))
                                            let py = min(max(Float(y) + dy * scale, 0), Float(height - 1))
                                            let x0 = Int(px), y0 = Int(py)
                                            let x1 = min(x0 &+ 1, width &- 1), y1 = min(y0 &+ 1, height &- 1)
                                            let fx = px - Float(x0), fy = py - Float(y0)
                                            let r0 = y0 &* width, r1 = y1 &* width
                                            for c in 0..<3 {
                                                let base = c &* n
                                                let top = before[base &+ r0 &+ x0] * (1 - fx) + before[base &+ r0 &+ x1] * fx
                                                let bottom = before[base &+ r1 &+ x0] * (1 - fx) + before[base &+ r1 &+ x1] * fx
                                                let warped = top * (1 - fy) + bottom * fy
                                                let i = base &+ rowStart &+ x
                                                result[i] = w * warped + (1 - w) * current[i]
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Where a bilinear sample at `position` on an axis of `size` cells reads: two cells and
    /// the second one's share, clamped at the edges as `MotionField.bilinear` does.
    struct Tap {
        let i0: Int
        let i1: Int
        let f: Float
    }

    static func tap(_ position: Float, size: Int) -> Tap {
        let clamped = min(max(position, 0), Float(size - 1))
        let i0 = Int(clamped)
        return Tap(i0: i0, i1: min(i0 + 1, size - 1), f: clamped - Float(i0))
    }

    /// Rec. 601 luma of `image`, averaged over `factor` x `factor` blocks.
    static func shrunkGrey(_ image: RGBImage, factor: Int) -> GrayImage {
        let w = max(image.width / factor, 1), h = max(image.height / factor, 1), n = image.planeSize
        var out = [Float](repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                for x in 0..<w {
                    var sum: Float = 0
                    for j in 0..<factor {
                        let row = min(y * factor + j, image.height - 1) * image.width
                        for i in 0..<factor {
                            let k = row + min(x * factor + i, image.width - 1)
                            sum += 0.299 * p[k] + 0.587 * p[n + k] + 0.114 * p[2 * n + k]
                        }
                    }
                    out[y * w + x] = sum / Float(factor * factor)
                }
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }
}
