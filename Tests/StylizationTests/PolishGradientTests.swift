import CKernels
import XCTest
import Imaging
import Runtime
@testable import Stylization

/// The polish loss's gradient (the se5 encoder's backward pass, the Gram, content and
/// total-variation terms, regions) against central finite differences of the loss in float32.
final class PolishGradientTests: XCTestCase {
    static let tolerance = 1e-2

    private func random(_ c: Int, _ h: Int, _ w: Int, seed: UInt64) -> Tensor {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        let data = (0..<(c * h * w)).map { _ -> Float in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return 0.1 + 0.8 * Float(state >> 40) / Float(1 << 24)
        }
        return Tensor(channels: c, height: h, width: w, data: data)
    }

    /// A shared image at exactly width x height.
    private func picture(_ path: String, _ width: Int, _ height: Int) throws -> Tensor {
        Tensor(try ImageFile.read(SharedMaterial.images.appendingPathComponent(path)).resized(width: width, height: height))
    }

    /// The loss on the shared model, or on `model` when given.
    private func objective(weights: PolishWeights, regions: Bool = false, model: UST16xModel? = nil) throws -> PolishObjective {
        let model = try model ?? TestModel.shared()
        let encoder = try EncoderGradient(encoder: model.encoders[5]!)
        let photo = try picture("content/bridge.jpg", 48, 32)
        let styles = [0: try picture("style/picasso.jpg", 32, 48), 1: random(3, 32, 32, seed: 3)]
        var plans = [RegionPlan(weights: nil, styles: [WeightedStyle(index: 0, weight: 1)])]
        if regions {
            let left = (0..<(32 * 48)).map { Float($0 % 48) / 47 }
            plans = [RegionPlan(weights: left, styles: [WeightedStyle(index: 0, weight: 2), WeightedStyle(index: 1, weight: 1)]),
                     RegionPlan(weights: left.map { 1 - $0 }, styles: [WeightedStyle(index: 1, weight: 1)])]
        }
        return try PolishObjective(encoder: encoder, photo: photo, styles: styles, regions: plans, weights: weights)
    }

    /// Relative error (‖fd − g‖ / ‖fd‖) of the gradient's directional derivatives from central
    /// differences: along the gradient itself, along random ±1 directions restricted to the
    /// pixels where the gradient is largest, and on the single coordinates where it is largest
    /// (border pixels among them). Steps move no pixel by more than `step`; ReLU and max-pool
    /// kinks crossed by a step, and float32 rounding of the loss, are what limits the agreement.
    private func check(_ objective: PolishObjective, step: Float, file: StaticString = #filePath, line: UInt = #line) throws {
        // A start like a feed-forward render: the photo with texture added.
        let x = try picture("content/bridge.jpg", 48, 32).mixed(with: random(3, 32, 48, seed: 9), alpha: 0.7)
        let (_, gradient) = try objective.evaluate(x)
        func loss(_ t: Tensor) throws -> Double { try objective.evaluate(t).loss.total }
        func derivative(along v: [Float]) throws -> (fd: Double, analytic: Double) {
            let scale = step / max(v.reduce(Float(0)) { max($0, abs($1)) }, 1e-30)
            var up = x, down = x
            for i in v.indices { up.data[i] += scale * v[i]; down.data[i] -= scale * v[i] }
            let fd = (try loss(up) - loss(down)) / Double(2 * scale)
            return (fd, zip(gradient.data, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) })
        }
        var pairs = [try derivative(along: gradient.data)]
        let largest = gradient.data.indices.sorted { abs(gradient.data[$0]) > abs(gradient.data[$1]) }
        var state: UInt64 = 12345
        for _ in 0..<4 {
            var v = [Float](repeating: 0, count: x.count)
            for i in largest.prefix(x.count / 8) {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                v[i] = state & 1 == 0 ? 1 : -1
            }
            pairs.append(try derivative(along: v))
        }
        for i in largest.prefix(8) + [0, 47, 48 * 31] {
            var v = [Float](repeating: 0, count: x.count)
            v[i] = 1
            pairs.append(try derivative(along: v))
        }
        let diff = pairs.reduce(0.0) { $0 + ($1.fd - $1.analytic) * ($1.fd - $1.analytic) }
        let norm = pairs.reduce(0.0) { $0 + $1.fd * $1.fd }
        XCTAssertGreaterThan(norm, 0, file: file, line: line)
        XCTAssertLessThan((diff / norm).squareRoot(), Self.tolerance, file: file, line: line)
    }

    func testStyleTermGradient() throws {
        try check(objective(weights: PolishWeights(content: 0, style: 1, totalVariation: 0)), step: 1e-4)
    }

    func testContentTermGradient() throws {
        try check(objective(weights: PolishWeights(content: 1, style: 0, totalVariation: 0)), step: 1e-4)
    }

    func testTotalVariationGradient() throws {
        try check(objective(weights: PolishWeights(content: 0, style: 0, totalVariation: 1)), step: 1e-4)
    }

    func testWholeLossGradientWithRegions() throws {
        try check(objective(weights: .defaults, regions: true), step: 1e-4)
    }

    func testWholeLossGradientAtDefaults() throws {
        try check(objective(weights: .defaults), step: 1e-4)
    }

    /// The whole loss's gradient on every instruction-set path this CPU has (the model made
    /// afresh under each cap, since layers choose their kernels when created): each within the
    /// finite-difference tolerance, the AVX2 gradient within 1e-4 (relative, in norm) of the
    /// scalar one, the AVX-512 one bit for bit the AVX2 one.
    func testWholeLossGradientOnEveryPath() throws {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        let x = try picture("content/bridge.jpg", 48, 32).mixed(with: random(3, 32, 48, seed: 9), alpha: 0.7)
        var gradients: [[Float]] = []
        for level in [AK_ISA_SCALAR, AK_ISA_AVX2, AK_ISA_AVX512].map({ Int32($0) }) where level <= ak_isa_cpu() {
            _ = ak_isa_cap(level)
            let objective = try objective(weights: .defaults, regions: true, model: TestModel.fresh())
            try check(objective, step: 1e-4)
            gradients.append(try objective.evaluate(x).gradient.data)
        }
        XCTAssertGreaterThanOrEqual(gradients.count, 2, "CI's hosts have AVX2 at least")
        let scalar = gradients[0], avx2 = gradients[1]
        let diff = zip(avx2, scalar).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let norm = scalar.reduce(0.0) { $0 + Double($1) * Double($1) }
        print("polish gradient: avx2 against scalar, relative difference \((diff / norm).squareRoot())")
        XCTAssertLessThan((diff / norm).squareRoot(), 1e-4, "avx2 against scalar")
        if gradients.count == 3 {
            XCTAssertEqual(zip(gradients[2], avx2).filter { $0.bitPattern != $1.bitPattern }.count, 0, "avx512: values whose bits differ from avx2's")
        }
    }

    /// The Gram matrix against its definition in double.
    func testGramMatchesDefinition() {
        let f = random(5, 4, 6, seed: 4)
        let mask = (0..<24).map { Float($0) / 23 }
        let (gram, _, mass) = PolishObjective.gram(f, mask: mask)
        XCTAssertEqual(mass, mask.reduce(0.0) { $0 + Double($1) }, accuracy: 1e-9)
        for i in 0..<5 {
            for j in 0..<5 {
                var s = 0.0
                for n in 0..<24 { s += Double(f.data[i * 24 + n]) * Double(mask[n]) * Double(f.data[j * 24 + n]) }
                XCTAssertEqual(Double(gram[i * 5 + j]), s / (5 * mass), accuracy: 1e-6)
            }
        }
    }
}
