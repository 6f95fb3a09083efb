import XCTest
@testable import Imaging

/// The stabilizer's blend (the previous output warped by the motion, mixed in by the reliable
/// weights) against a plain per-pixel version written with `MotionField.bilinear`: the same
/// bits, on real photos with a moving part and a still part.
final class TemporalStabilizerBlendTests: XCTestCase {
    /// The bridge photo at 320x180 with a 60x60 patch of the face photo at (`patchX`, 60).
    private func frame(patchX: Int) throws -> RGBImage {
        let bridge = try ImageFile.read(TestPaths.image("content/bridge.jpg")).resized(width: 320, height: 180)
        let face = try ImageFile.read(TestPaths.image("content/face.jpg")).resized(width: 60, height: 60)
        var pixels = bridge.pixels
        for c in 0..<3 {
            for y in 0..<60 {
                for x in 0..<60 { pixels[c * 320 * 180 + (60 + y) * 320 + patchX + x] = face[c, x, y] }
            }
        }
        return RGBImage(width: 320, height: 180, pixels: pixels)
    }

    /// What `blend` computes, one pixel at a time through `MotionField.bilinear`.
    private func reference(_ stylized: RGBImage, previous: RGBImage, motion: TemporalStabilizer.Motion) -> RGBImage {
        let width = stylized.width, height = stylized.height, n = width * height
        let scale = Float(motion.factor), field = motion.backward
        let planes = (0..<3).map { Array(previous.pixels[$0 * n..<($0 + 1) * n]) }
        var out = stylized.pixels
        for y in 0..<height {
            for x in 0..<width {
                let gx = (Float(x) + 0.5) / scale - 0.5, gy = (Float(y) + 0.5) / scale - 0.5
                let w = MotionField.bilinear(motion.weights, field.width, field.height, gx, gy)
                guard w > 0.001 else { continue }
                let (dx, dy) = field.sample(x: gx, y: gy)
                let px = Float(x) + dx * scale, py = Float(y) + dy * scale
                for c in 0..<3 {
                    let warped = MotionField.bilinear(planes[c], width, height, px, py)
                    out[c * n + y * width + x] = w * warped + (1 - w) * stylized.pixels[c * n + y * width + x]
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    func testTheBlendIsThePerPixelWarpAndMixBitForBit() throws {
        let stabilizer = TemporalStabilizer(stability: 0.7)
        let first = try frame(patchX: 100), second = try frame(patchX: 106)
        _ = stabilizer.motion(to: first)
        let motion = try XCTUnwrap(stabilizer.motion(to: second))
        let moving = zip(motion.backward.dx, motion.weights).filter { $0 != 0 && $1 > 0 }.count
        let still = zip(motion.backward.dx, motion.weights).filter { $0 == 0 && $1 > 0 }.count
        XCTAssertGreaterThan(moving, 20, "reliable moving pixels")
        XCTAssertGreaterThan(still, 1000, "reliable still pixels")
        // Stand-ins for the stylized frames: the face photo and the first frame, both 320x180.
        let previous = try ImageFile.read(TestPaths.image("content/face.jpg")).resized(width: 320, height: 180)
        let blended = stabilizer.blend(second, previous: previous, backward: motion.backward, weights: motion.weights,
                                       factor: motion.factor)
        let expected = reference(second, previous: previous, motion: motion)
        XCTAssertEqual(blended.pixels.map(\.bitPattern), expected.pixels.map(\.bitPattern))
        XCTAssertNotEqual(blended.pixels, second.pixels, "something blended")
    }
}
