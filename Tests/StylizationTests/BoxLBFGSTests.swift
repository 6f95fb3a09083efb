import XCTest
@testable import Stylization

/// The optimiser on problems with known answers.
final class BoxLBFGSTests: XCTestCase {
    /// An ill-conditioned quadratic whose minimum lies partly outside [0, 1]: the iterates
    /// never leave the box, the loss never rises, and they reach the clamped minimum.
    func testReachesTheClampedMinimumWithoutEverIncreasingTheLoss() throws {
        let n = 50
        let centre = (0..<n).map { Float(-1) + 3 * Float($0) / Float(n - 1) }
        let scale = (0..<n).map { 1 + 99 * Float($0 % 7) / 6 }
        let evaluate: BoxLBFGS.Evaluate = { x in
            var loss = 0.0
            var g = [Float](repeating: 0, count: n)
            for i in 0..<n {
                let d = x[i] - centre[i]
                loss += Double(scale[i] * d * d)
                g[i] = 2 * scale[i] * d
            }
            return (loss, g)
        }
        var x = [Float](repeating: 0.5, count: n)
        var (loss, gradient) = try evaluate(x)
        var optimiser = BoxLBFGS(history: 10)
        for _ in 0..<60 {
            let before = loss
            guard try optimiser.step(x: &x, loss: &loss, gradient: &gradient, evaluate: evaluate) else { break }
            XCTAssertLessThan(loss, before)
            XCTAssertTrue(x.allSatisfy { (0...1).contains($0) })
        }
        for i in 0..<n { XCTAssertEqual(x[i], min(max(centre[i], 0), 1), accuracy: 1e-3) }
    }

    /// At a minimum no step lowers the loss: `step` says so and leaves x alone.
    func testStopsWhenNothingLowersTheLoss() throws {
        let evaluate: BoxLBFGS.Evaluate = { x in (Double(x[0] * x[0]), [2 * x[0]]) }
        var x: [Float] = [0]
        var (loss, gradient) = try evaluate(x)
        var optimiser = BoxLBFGS()
        XCTAssertFalse(try optimiser.step(x: &x, loss: &loss, gradient: &gradient, evaluate: evaluate))
        XCTAssertEqual(x, [0])
    }
}
