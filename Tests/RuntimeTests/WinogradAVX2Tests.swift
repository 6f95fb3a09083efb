@testable import Runtime
import XCTest

/// The AVX2 Winograd family (4) against a naive double-precision convolution on awkward sizes:
/// heights and widths that are not multiples of the 4-pixel tile or the 32-column vector,
/// maps wider than one tile block, channel counts not multiples of 8, reflection and zero
/// padding, ReLU and per-channel slopes, and every band split.
final class WinogradAVX2Tests: XCTestCase {
    private struct Case {
        var cout, cin, h, w: Int
        var padding: ConvPadding
        var activation: ConvActivation
    }

    func testMatchesNaiveConvolutionOnOddShapes() throws {
        let cases = [
            Case(cout: 19, cin: 20, h: 9, w: 45, padding: .zero, activation: .prelu(slopes: (0..<19).map { Float($0) * 0.05 - 0.3 })),
            Case(cout: 33, cin: 17, h: 7, w: 203, padding: .zero, activation: .leakyReLU(slope: 0.2)),
            Case(cout: 16, cin: 24, h: 13, w: 261, padding: .reflect, activation: .relu),
            Case(cout: 21, cin: 70, h: 6, w: 150, padding: .reflect, activation: .none),
            Case(cout: 17, cin: 16, h: 2, w: 29, padding: .reflect, activation: .none),
            Case(cout: 16, cin: 16, h: 1, w: 40, padding: .zero, activation: .none),
        ]
        for (n, c) in cases.enumerated() {
            var rng = SeededFloats(seed: UInt64(40 + n))
            let bound = Float(2 / (Double(c.cin * 9)).squareRoot())
            let weight = rng.array(c.cout * c.cin * 9, -bound, bound)
            let bias = rng.array(c.cout, -0.5, 0.5)
            let x = Tensor(channels: c.cin, height: c.h, width: c.w, data: rng.array(c.cin * c.h * c.w, -1, 2))
            let conv = try Conv2D(weight: weight, bias: bias, outChannels: c.cout, inChannels: c.cin, kernelSize: 3,
                                  padding: c.padding, activation: c.activation)
            guard conv.useKernelFamily(4) else { throw XCTSkip("this CPU has no AVX2/FMA") }
            let want = naiveActivatedConvolution(x, weight: weight, bias: bias, outChannels: c.cout,
                                                 padding: c.padding, activation: c.activation)
            for rows in [c.h, 1, 3, 4, 5] {
                let y = try conv.forward(x, relu: c.activation == .relu, pool: WorkerPool(threads: 2), bandRows: rows)
                var worst: Float = 0
                for i in 0..<want.count { worst = max(worst, abs(y.data[i] - want[i]) / (1 + abs(want[i]))) }
                XCTAssertLessThan(worst, 2e-5, "case \(n) \(c.cout)x\(c.cin) at \(c.h)x\(c.w), bands of \(rows)")
            }
        }
    }}
