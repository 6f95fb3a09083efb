import Foundation
import XCTest
@testable import Imaging

/// The motion the stabilizer warps by, on a real photo: still frames with fresh noise must read
/// as still (noise once gave them small random motion, and warping a stylized frame by it made
/// the stabilized clip shimmer), a shifted frame as its shift, another scene as a cut.
final class MotionFieldTests: XCTestCase {
    /// The bridge photo as a 160x90 grey frame, plus noise of `sigma` (grey 0-1) from `seed`.
    private func frame(_ photo: String = "content/bridge.jpg", dx: Int = 0, dy: Int = 0, sigma: Float = 0,
                       seed: UInt64 = 1) throws -> GrayImage {
        let image = try ImageFile.read(TestPaths.image(photo)).resized(width: 200, height: 130)
        var state = seed
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        var pixels = [Float](repeating: 0, count: 160 * 90)
        for y in 0..<90 {
            for x in 0..<160 {
                let (sx, sy) = (x + 20 - dx, y + 20 - dy)
                let grey = 0.299 * image[0, sx, sy] + 0.587 * image[1, sx, sy] + 0.114 * image[2, sx, sy]
                pixels[y * 160 + x] = grey + (uniform() + uniform() + uniform()) * 2 * sigma
            }
        }
        return GrayImage(width: 160, height: 90, pixels: pixels)
    }

    func testStillNoisyFramesReadAsStill() throws {
        // Sensor noise of about 2/255 per small pixel, fresh in each frame.
        let field = MotionField(from: try frame(sigma: 0.008, seed: 1), to: try frame(sigma: 0.008, seed: 2))
        let still = zip(field.dx, field.dy).filter { $0 == 0 && $1 == 0 }.count
        let share = Double(still) / Double(field.dx.count)
        print("motion: still share \(share)")
        XCTAssertGreaterThanOrEqual(share, 0.99, "still pixels given motion")
    }

    /// Where the shift shows (the frames differ by more than the still bias over the block), it
    /// is found; elsewhere (flat sky, water) standing still is as good a match.
    func testAShiftedFrameReadsAsItsShift() throws {
        let from = try frame(dx: 3, dy: -2, sigma: 0.004, seed: 3), to = try frame(sigma: 0.004, seed: 4)
        let field = MotionField(from: from, to: to)
        var right = 0, visible = 0
        for y in 8..<82 {
            for x in 8..<152 {
                var still: Float = 0
                for j in -2...2 { for i in -2...2 { still += abs(from[x + i, y + j] - to[x + i, y + j]) } }
                guard still > 2 * MotionField.stillBias else { continue }
                visible += 1
                let i = y * 160 + x
                if abs(field.dx[i] + 3) < 0.5 && abs(field.dy[i] - 2) < 0.5 { right += 1 }
            }
        }
        print("motion: shift found at \(right) of \(visible) pixels where it shows")
        XCTAssertGreaterThan(visible, 160 * 90 / 3)
        XCTAssertGreaterThanOrEqual(Double(right) / Double(visible), 0.9, "the shift found")
    }

    func testAnotherSceneIsACutAndTheSameSceneIsNot() throws {
        func rgb(_ photo: String) throws -> RGBImage { try ImageFile.read(TestPaths.image(photo)).resized(width: 320, height: 180) }
        let stabilizer = TemporalStabilizer(stability: 0.7)
        let bridge = try rgb("content/bridge.jpg")
        XCTAssertFalse(stabilizer.observe(input: bridge), "the first frame")
        XCTAssertFalse(stabilizer.observe(input: bridge), "the same frame again")
        XCTAssertTrue(stabilizer.observe(input: try rgb("content/face.jpg")), "another photo")
        XCTAssertFalse(TemporalStabilizer(stability: 0).observe(input: bridge), "stability 0 measures nothing")
    }

    /// The windowed search (a window's candidate costs at once, in vector lanes) finds the
    /// same field, bit for bit, as costing every candidate on its own: still, shifted and
    /// unrelated frames (coarse +-3 windows, borders, neighbours' candidates, sub-pixel fits).
    func testTheWindowedSearchFindsTheSameBitsAsOneCandidateAtATime() throws {
        let pairs = [(try frame(sigma: 0.008, seed: 1), try frame(sigma: 0.008, seed: 2)),
                     (try frame(dx: 3, dy: -2, sigma: 0.004, seed: 3), try frame(sigma: 0.004, seed: 4)),
                     (try frame(dx: -7, dy: 5, sigma: 0.01, seed: 5), try frame(sigma: 0.01, seed: 6)),
                     (try frame("content/face.jpg", sigma: 0.004, seed: 7), try frame(sigma: 0.004, seed: 8))]
        var moving = 0
        for (from, to) in pairs {
            let windowed = MotionField(from: from, to: to), single = MotionField(from: from, to: to, windowed: false)
            XCTAssertEqual(windowed.dx.map(\.bitPattern), single.dx.map(\.bitPattern))
            XCTAssertEqual(windowed.dy.map(\.bitPattern), single.dy.map(\.bitPattern))
            moving += windowed.dx.filter { $0 != 0 && $0 != $0.rounded() }.count
        }
        XCTAssertGreaterThan(moving, 1000, "sub-pixel motion compared too")
    }
}
