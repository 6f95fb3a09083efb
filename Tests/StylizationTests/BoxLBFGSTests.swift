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
        var last: [Float] = []
        let objective = BoxLBFGS.Objective(loss: { x in
            last = x
            var loss = 0.0
            for i in 0..<n {
                let d = x[i] - centre[i]
                loss += Double(scale[i] * d * d)
            }
            return loss
        }, gradient: { g in
            g = (0..<n).map { 2 * scale[$0] * (last[$0] - centre[$0]) }
        })
        var x = [Float](repeating: 0.5, count: n)
        var loss = try objective.loss(x)
        var gradient: [Float] = []
        try objective.gradient(&gradient)
        var optimiser = BoxLBFGS(count: n, history: 10)
        for _ in 0..<60 {
            let before = loss
            guard try optimiser.step(x: &x, loss: &loss, gradient: &gradient, objective: objective) else { break }
            XCTAssertLessThan(loss, before)
            XCTAssertTrue(x.allSatisfy { (0...1).contains($0) })
        }
        for i in 0..<n { XCTAssertEqual(x[i], min(max(centre[i], 0), 1), accuracy: 1e-3) }
        // One backward (gradient) per step, at the accepted point; trials cost losses only.
        XCTAssertLessThanOrEqual(optimiser.gradientEvaluations, optimiser.lossEvaluations)
    }

    /// At a minimum no step lowers the loss: `step` says so and leaves x alone.
    func testStopsWhenNothingLowersTheLoss() throws {
        var last: [Float] = [0]
        let objective = BoxLBFGS.Objective(loss: { x in last = x; return Double(x[0] * x[0]) },
                                           gradient: { $0 = [2 * last[0]] })
        var x: [Float] = [0]
        var loss = try objective.loss(x)
        var gradient: [Float] = []
        try objective.gradient(&gradient)
        var optimiser = BoxLBFGS(count: 1)
        XCTAssertFalse(try optimiser.step(x: &x, loss: &loss, gradient: &gradient, objective: objective))
        XCTAssertEqual(x, [0])
    }
}
