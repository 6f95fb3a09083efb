import CKernels
import Foundation
@testable import Runtime
import XCTest

/// The upsampling 3x3 convolution (four 2x2 phases on the edge-repeated map) against a naive
/// double sum over the nearest-2x-upsampled, reflection-padded map: odd sizes, 1x1 and 1-row
/// maps, widths that are not whole register tiles, 1 to 16 output channels, bias or none,
/// none/ReLU/ReLU6, 1 to 3 threads; and against the runtime's own upsample + Conv2D.
final class UpsamplingConvTests: XCTestCase {
    private var random = LCGFloats(seed: 41)
    private func next() -> Float { random.next() }

    func testUpsamplingConvMatchesNaiveSum() throws {
        let shapes = [(32, 8, 13, 50), (8, 4, 7, 9), (16, 8, 5, 61), (3, 7, 1, 1), (2, 1, 1, 3), (32, 16, 9, 47)]
        for (cin, cout, h, w) in shapes {
            let weight = (0..<(cout * cin * 9)).map { _ in next() }
            let bias: [Float]? = cout % 2 == 0 ? (0..<cout).map { _ in next() } : nil
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in next() })
            guard let conv = UpsamplingConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin) else {
                XCTAssertEqual(ak_conv_valid_direct(3, 2), 0, "only a CPU without AVX2/FMA declines")
                return
            }
            let (hu, wu) = (2 * h, 2 * w)
            func reflect(_ i: Int, _ n: Int) -> Int { i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i) }
            var want = [Double](repeating: 0, count: cout * hu * wu)
            for o in 0..<cout {
                for y in 0..<hu {
                    for xx in 0..<wu {
                        var s = Double(bias?[o] ?? 0)
                        for c in 0..<cin {
                            for i in 0..<3 {
                                for j in 0..<3 {
                                    let (uy, ux) = (reflect(y + i - 1, hu), reflect(xx + j - 1, wu))
                                    s += Double(weight[((o * cin + c) * 3 + i) * 3 + j]) * Double(x[c, uy / 2, ux / 2])
                                }
                            }
                        }
                        want[(o * hu + y) * wu + xx] = s
                    }
                }
            }
            for activation in [Activation.none, .relu, .relu6] {
                for threads in [1, 2, 3] {
                    let got = conv.forward(x, activation: activation, pool: WorkerPool(threads: threads))
                    XCTAssertEqual([got.channels, got.height, got.width], [cout, hu, wu])
                    var worst = 0.0
                    for (g, v) in zip(got.data, want) {
                        let a = activation == .none ? v : (activation == .relu ? max(v, 0) : min(max(v, 0), 6))
                        worst = max(worst, abs(Double(g) - a))
                    }
                    XCTAssertLessThan(worst, 5e-5, "\(cin)->\(cout) \(h)x\(w) \(activation) \(threads) threads")
                }
            }
            if hu >= 2, wu >= 2 {
                let reference = try Conv2D(weight: weight, bias: bias ?? [Float](repeating: 0, count: cout), outChannels: cout,
                                           inChannels: cin, kernelSize: 3).forward(x.upsampled(), relu: false)
                let got = conv.forward(x, activation: .none)
                for (g, r) in zip(got.data, reference.data) { XCTAssertEqual(g, r, accuracy: 2e-4, "\(cin)->\(cout) vs Conv2D (its Winograd rounds more)") }
            }
        }
    }

    /// On AVX-512 CPUs each phase row's register tiles run in 16 lanes (3 vectors, one 48-column
    /// group): the same sums in the same order as the AVX2 tiles, so the same bits; the
    /// expand layers' 64->32 and 32->16 shapes, odd sizes, 1x1 maps, 1 to 6 channels a tile,
    /// bias or none, none/ReLU/ReLU6, 1 and 2 threads.
    func testAVX512TilesGiveTheAVX2TilesBits() throws {
        guard ak_isa_cpu() >= AK_ISA_AVX512 else { throw XCTSkip("needs an AVX-512 CPU") }
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        let shapes = [(64, 32, 17, 130), (32, 16, 12, 97), (32, 13, 9, 47), (3, 7, 1, 1), (16, 8, 5, 61), (5, 1, 4, 200)]
        for (cin, cout, h, w) in shapes {
            let weight = (0..<(cout * cin * 9)).map { _ in next() }
            let bias: [Float]? = cout % 2 == 0 ? (0..<cout).map { _ in next() } : nil
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in next() })
            let conv = try XCTUnwrap(UpsamplingConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin))
            for activation in [Activation.none, .relu, .relu6] {
                for threads in [1, 2] {
                    var outputs: [[Float]] = []
                    for level in [AK_ISA_AVX2, AK_ISA_AVX512] {
                        _ = ak_isa_cap(Int32(level))
                        outputs.append(conv.forward(x, activation: activation, pool: WorkerPool(threads: threads)).data)
                    }
                    let differing = zip(outputs[0], outputs[1]).filter { $0.bitPattern != $1.bitPattern }.count
                    XCTAssertEqual(differing, 0, "\(cin)->\(cout) \(h)x\(w) \(activation) \(threads) threads")
                }
            }
        }
    }

    func testSigmoidIsNotFused() {
        XCTAssertFalse(UpsamplingConv.fuses(.sigmoid))
        XCTAssertTrue(UpsamplingConv.fuses(.relu6))
    }
}
