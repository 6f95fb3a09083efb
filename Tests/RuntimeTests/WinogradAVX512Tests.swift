@testable import Runtime
import XCTest

/// The AVX-512 Winograd family (3) on awkward sizes: heights and widths that are not multiples
/// of the 4-pixel tile or the 64-column vector, maps wider than one tile block (48 tiles up to
/// 64 channels, 32 up to 128, 16 above), channel counts not multiples of 8, reflection and zero
/// padding, ReLU and per-channel slopes (LeakyReLU, PReLU), the polish backward's extra and
/// gate, every band split, one and two threads. It must give the AVX2 Winograd family's (4)
/// outputs bit for bit: both sum every element in the same order (the same transforms, one FMA
/// chain over the input channels from zero), only the vectors differ in width. And it must
/// stay near a double-precision direct convolution.
final class WinogradAVX512Tests: XCTestCase {
    private struct Case {
        var cout, cin, h, w: Int
        var padding = ConvPadding.reflect
        var activation = ConvActivation.none
    }

    private let cases = [
        Case(cout: 16, cin: 16, h: 9, w: 203),   // 51 tiles: a full 48-tile block and a 1-vector tail
        Case(cout: 21, cin: 70, h: 6, w: 261),   // above 64 channels: 32-tile blocks, 3 output blocks
        Case(cout: 33, cin: 24, h: 13, w: 150, activation: .relu),  // a 2-vector tail, odd channel counts
        Case(cout: 17, cin: 16, h: 2, w: 29),    // one short vector, two rows
        Case(cout: 128, cin: 128, h: 7, w: 64),  // Magenta's residual width, one 2-vector block
        Case(cout: 19, cin: 20, h: 9, w: 45, padding: .zero, activation: .prelu(slopes: (0..<19).map { Float($0) * 0.05 - 0.3 })),
        Case(cout: 32, cin: 64, h: 11, w: 203, padding: .zero, activation: .leakyReLU(slope: 0.2)),  // Real-ESRGAN's kind
        Case(cout: 16, cin: 16, h: 1, w: 40, padding: .zero),  // one row: both padded rows are zeros
        Case(cout: 24, cin: 17, h: 5, w: 64, padding: .reflect, activation: .leakyReLU(slope: 0.1)),
        Case(cout: 32, cin: 160, h: 5, w: 150, padding: .zero, activation: .leakyReLU(slope: 0.2)),  // 1-vector blocks
    ]

    func testBitIdenticalToAVX2WinogradOnEveryBandSplit() throws {
        for (n, c) in cases.enumerated() {
            let (conv, x, _, _) = try layer(c, seed: UInt64(90 + n))
            guard conv.useKernelFamily(4) else { throw XCTSkip("this CPU has no AVX2/FMA") }
            let relu = c.activation == .relu
            let want = try conv.forward(x, relu: relu, pool: WorkerPool(threads: 1), bandRows: c.h).data
            guard conv.useKernelFamily(3) else { throw XCTSkip("this CPU has no AVX-512") }
            for threads in [1, 2] {
                for rows in [c.h, 1, 3, 4, 5] {
                    let y = try conv.forward(x, relu: relu, pool: WorkerPool(threads: threads), bandRows: rows).data
                    let differing = zip(y, want).filter { $0.bitPattern != $1.bitPattern }.count
                    XCTAssertEqual(differing, 0, "case \(n) \(c.cout)x\(c.cin) at \(c.h)x\(c.w), \(threads) threads, bands of \(rows)")
                }
            }
        }
    }

    /// The fused backward step (extra added, the sum kept where gate > 0) on both padding kinds.
    func testGatedPassBitIdenticalToAVX2Winograd() throws {
        for (n, padding) in [ConvPadding.zero, .reflect].enumerated() {
            let c = Case(cout: 20, cin: 24, h: 10, w: 203, padding: padding)
            let (conv, x, _, _) = try layer(c, seed: UInt64(70 + n))
            var rng = SeededFloats(seed: UInt64(80 + n))
            let extra = Tensor(channels: c.cout, height: c.h, width: c.w, data: rng.array(c.cout * c.h * c.w, -1, 1))
            let gate = Tensor(channels: c.cout, height: c.h, width: c.w, data: rng.array(c.cout * c.h * c.w, -1, 1))
            guard conv.useKernelFamily(4) else { throw XCTSkip("this CPU has no AVX2/FMA") }
            var want = Tensor(channels: 1, height: 1, width: 1)
            try conv.forward(x, into: &want, extra: extra, gate: gate, pool: WorkerPool(threads: 2))
            guard conv.useKernelFamily(3) else { throw XCTSkip("this CPU has no AVX-512") }
            var got = Tensor(channels: c.cout, height: c.h, width: c.w, repeating: 42)
            try conv.forward(x, into: &got, extra: extra, gate: gate, pool: WorkerPool(threads: 2))
            XCTAssertGreaterThan(want.data.filter { $0 == 0 }.count, want.data.count / 4)
            let differing = zip(got.data, want.data).filter { $0.bitPattern != $1.bitPattern }.count
            XCTAssertEqual(differing, 0, "\(padding): values differing from the AVX2 Winograd's")
        }
    }

    func testMatchesNaiveConvolution() throws {
        for (n, c) in cases.enumerated() {
            let (conv, x, weight, bias) = try layer(c, seed: UInt64(90 + n))
            guard conv.useKernelFamily(3) else { throw XCTSkip("this CPU has no AVX-512") }
            let want = naiveActivatedConvolution(x, weight: weight, bias: bias, outChannels: c.cout,
                                                 padding: c.padding, activation: c.activation)
            let y = try conv.forward(x, relu: c.activation == .relu, pool: WorkerPool(threads: 2), bandRows: 4)
            var worst: Float = 0
            for i in 0..<want.count { worst = max(worst, abs(y.data[i] - want[i]) / (1 + abs(want[i]))) }
            XCTAssertLessThan(worst, 1e-4, "case \(n) \(c.cout)x\(c.cin) at \(c.h)x\(c.w)")
        }
    }

    private func layer(_ c: Case, seed: UInt64) throws -> (Conv2D, Tensor, [Float], [Float]) {
        var rng = SeededFloats(seed: seed)
        let bound = Float(2 / (Double(c.cin * 9)).squareRoot())
        let weight = rng.array(c.cout * c.cin * 9, -bound, bound)
        let bias = rng.array(c.cout, -0.5, 0.5)
        let x = Tensor(channels: c.cin, height: c.h, width: c.w, data: rng.array(c.cin * c.h * c.w, -1, 2))
        let conv = try Conv2D(weight: weight, bias: bias, outChannels: c.cout, inChannels: c.cin, kernelSize: 3,
                              padding: c.padding, activation: c.activation)
        return (conv, x, weight, bias)
    }
}
