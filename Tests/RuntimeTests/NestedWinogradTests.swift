import CKernels
import Foundation
@testable import Runtime
import XCTest

/// The nested Winograd kernel of the 9x9 layers (F(3x3, 3x3) per 3x3 sub-kernel) against a
/// naive double sum: odd sizes, maps wider than one 48-tile strip, output heights that are not
/// whole tiles, 1 to 32 output channels (every register-tile width), bias and every
/// activation, 1 to 3 threads.
final class NestedWinogradTests: XCTestCase {
    private var random = LCGFloats(seed: 29)
    private func next() -> Float { random.next() }

    private func activated(_ v: Double, _ activation: Activation) -> Double {
        switch activation {
        case .none: return v
        case .relu: return max(v, 0)
        case .relu6: return min(max(v, 0), 6)
        case .sigmoid: return 1 / (1 + exp(-v))
        }
    }

    func testNestedWinogradMatchesNaiveSum() throws {
        guard ak_conv_valid_direct(9, 1) != 0 else {
            // No AVX2/FMA: the layer keeps the direct/sgemm path, which the other tests cover.
            XCTAssertNil(try GeneralConv(weight: [Float](repeating: 0, count: 81), bias: nil, outChannels: 1, inChannels: 1,
                                         kernelSize: 9, stride: 1).nestedWeights)
            return
        }
        // (cin, cout, k, padded height, padded width): the networks' 3->32, 3->8, 8->3, 4->3 layers,
        // a 6x6 kernel, one input channel, 7 channels (tiles of 4 and 3), 2 strips and a tail.
        let shapes = [(3, 32, 9, 21, 60), (3, 8, 9, 26, 157), (8, 3, 9, 17, 170), (4, 3, 9, 13, 57),
                      (5, 7, 6, 16, 70), (1, 1, 9, 11, 311), (2, 5, 9, 40, 63)]
        for (cin, cout, k, hp, wp) in shapes {
            let weight = (0..<(cout * cin * k * k)).map { _ in next() * 0.25 }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: hp, width: wp, data: (0..<(cin * hp * wp)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: k, stride: 1)
            XCTAssertNotNil(conv.nestedWeights, "\(cin)->\(cout) k \(k) runs the nested kernel")
            let want = naiveValidConvolution(x, weight: weight, bias: bias, outChannels: cout, kernelSize: k)
            for activation in [Activation.none, .relu, .relu6, .sigmoid] {
                for threads in [1, 2, 3] {
                    let got = try conv.forward(x, activation: activation, pool: WorkerPool(threads: threads))
                    XCTAssertEqual([got.channels, got.height, got.width], [cout, hp - k + 1, wp - k + 1])
                    var worst = 0.0
                    for (g, w) in zip(got.data, want) { worst = max(worst, abs(Double(g) - activated(w, activation))) }
                    XCTAssertLessThan(worst, 5e-5, "\(cin)->\(cout) k \(k) \(hp)x\(wp) \(activation) \(threads) threads")
                }
            }
        }
    }

    /// On AVX-512 CPUs the register tiles' products run in 16 lanes: the same sums in the same
    /// order as the AVX2 tiles, so the same bits, on the networks' 3->32 and 32->3 9x9 layers
    /// and odd shapes (strip tails of 1 to 3 vectors, partial tile rows and columns, 1 to 6
    /// channels a tile), every activation, 1 and 2 threads. The scalar cap runs the direct
    /// kernel (a different sum): the naive test above covers it.
    func testAVX512TilesGiveTheAVX2TilesBits() throws {
        guard ak_isa_cpu() >= AK_ISA_AVX512 else { throw XCTSkip("needs an AVX-512 CPU") }
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        // (cin, cout, k, padded height, padded width)
        let shapes = [(3, 32, 9, 23, 520), (32, 3, 9, 20, 300), (3, 8, 9, 26, 157), (8, 3, 9, 17, 170),
                      (5, 7, 6, 16, 70), (1, 1, 9, 11, 311), (2, 5, 9, 40, 63), (4, 6, 12, 19, 130)]
        for (cin, cout, k, hp, wp) in shapes {
            let weight = (0..<(cout * cin * k * k)).map { _ in next() * 0.25 }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: hp, width: wp, data: (0..<(cin * hp * wp)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: k, stride: 1)
            XCTAssertNotNil(conv.nestedWeights)
            for activation in [Activation.none, .relu, .relu6, .sigmoid] {
                for threads in [1, 2] {
                    var outputs: [[Float]] = []
                    for level in [AK_ISA_AVX2, AK_ISA_AVX512] {
                        _ = ak_isa_cap(Int32(level))
                        outputs.append(try conv.forward(x, activation: activation, pool: WorkerPool(threads: threads)).data)
                    }
                    let differing = zip(outputs[0], outputs[1]).filter { $0.bitPattern != $1.bitPattern }.count
                    XCTAssertEqual(differing, 0, "\(cin)->\(cout) k \(k) \(hp)x\(wp) \(activation) \(threads) threads")
                }
            }
        }
    }

    /// Below the minimum width the layer runs the direct kernel, which sums in the same order
    /// for any band split (the exact 9x9 cases of NetworkOpsTests rely on it).
    func testNarrowMapsKeepTheDirectKernel() throws {
        let conv = try GeneralConv(weight: (0..<81).map(Float.init), bias: [1], outChannels: 1, inChannels: 1,
                                   kernelSize: 9, stride: 1)
        let x = Tensor(channels: 1, height: 12, width: 8 + GeneralConv.nestedMinimumWidth - 1, repeating: 1)
        XCTAssertEqual(try conv.forward(x).data, [Float](repeating: 3241, count: 4 * (GeneralConv.nestedMinimumWidth - 1)))
    }
}
