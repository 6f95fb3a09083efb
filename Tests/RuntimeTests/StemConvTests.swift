import CKernels
import Foundation
@testable import Runtime
import XCTest

/// The style predictor's stem (`GeneralConv.forwardStem`): a 3x3 stride-2 layer on few input
/// channels, zero-padded below and on the right, as a 1x1 layer over gathered taps.
final class StemConvTests: XCTestCase {
    /// The gathered kernel matches a naive double sum over the padded input: the stem's shape,
    /// output widths that are not a multiple of 8 (the gather's scalar tail), one-row and
    /// one-column maps, 1-4 input channels, every activation it takes, 1-3 threads; odd sizes
    /// and 5 channels take the padded path and still match.
    func testGatheredTapsMatchNaiveSum() throws {
        var random = LCGFloats(seed: 31)
        func next() -> Float { random.next() }
        for (cin, cout, h, w) in [(3, 32, 64, 64), (3, 7, 10, 46), (1, 5, 18, 18), (4, 13, 6, 34), (2, 3, 2, 2),
                                  (3, 6, 9, 13), (5, 4, 8, 8)] {
            let weight = (0..<(cout * cin * 9)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in 3 * next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 3, stride: 2)
            let sums = naiveValidConvolution(channels: cin, height: h + 1, width: w + 1, weight: weight, bias: bias,
                                             outChannels: cout, kernelSize: 3, stride: 2) { c, y, xx in
                y < h && xx < w ? Double(x[c, y, xx]) : 0
            }
            let (ho, wo) = ((h - 2) / 2 + 1, (w - 2) / 2 + 1)
            for activation in [Activation.none, .relu, .relu6] {
                let want = sums.map { s -> Double in
                    switch activation {
                    case .relu: max(s, 0)
                    case .relu6: min(max(s, 0), 6)
                    default: s
                    }
                }
                for threads in [1, 2, 3] {
                    let got = try conv.forwardStem(x, activation: activation, pool: WorkerPool(threads: threads))
                    XCTAssertEqual([got.channels, got.height, got.width], [cout, ho, wo])
                    for (a, b) in zip(got.data, want) {
                        XCTAssertEqual(Double(a), b, accuracy: 1e-4, "\(cin)->\(cout) \(h)x\(w) \(activation) \(threads) threads")
                    }
                }
            }
        }
    }

    /// The AVX-512 stem (16-lane gather, 16-lane 1x1 tiles) gives the AVX2 stem's bits: the
    /// predictor's 3 -> 32 on 256x256, widths whose gathers end in 1-15 columns, 1 and 2 threads.
    func testEveryInstructionSetGivesTheSameStem() throws {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        let levels = [AK_ISA_AVX512, AK_ISA_AVX2].map(Int32.init).filter { $0 <= ak_isa_cpu() }
        var random = LCGFloats(seed: 37)
        func next() -> Float { random.next() }
        for (cin, cout, h, w) in [(3, 32, 256, 256), (3, 7, 10, 46), (3, 13, 9, 61), (1, 5, 18, 34), (4, 17, 6, 30)] {
            let weight = (0..<(cout * cin * 9)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in 3 * next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 3, stride: 2)
            for threads in [1, 2] {
                let outputs = try levels.map { level -> [Float] in
                    _ = ak_isa_cap(level)
                    return try conv.forwardStem(x, activation: .relu6, pool: WorkerPool(threads: threads)).data
                }
                for (level, out) in zip(levels, outputs).dropFirst() {
                    XCTAssertTrue(out == outputs[0], "\(cin)->\(cout) \(h)x\(w), \(threads) threads: level \(level) differs")
                }
            }
        }
    }

    /// The C kernel itself runs wherever the direct kernel does (AVX2/FMA), so the test above
    /// measured it rather than the fallback, and declines elsewhere; it declines an activation
    /// it does not fuse.
    func testKernelRunsWhereTheDirectKernelDoes() throws {
        let avx2: Int32 = ak_conv_valid_direct(3, 2) != 0 ? 1 : 0
        let (cin, cout, h, w) = (3, 4, 4, 6)
        let x = [Float](repeating: 1, count: cin * h * w), weight = [Float](repeating: 0.5, count: cout * cin * 9)
        var out = [Float](repeating: -1, count: cout * 2 * 3)
        var scratch = [Float](repeating: 0, count: Int(ak_stem_s2_zero_scratch(Int32(cin), 3)))
        XCTAssertEqual(ak_stem_s2_zero_rows(x, Int32(cin), Int32(h), Int32(w), weight, nil, Int32(cout), &out, 2, 3, 0, 2,
                                            Activation.none.rawValue, &scratch), avx2)
        guard avx2 == 1 else { return }
        // output (1, 2) reads rows 2-3 and columns 4-5 of the 4x6 map: 2 x 2 taps of 3 channels
        XCTAssertEqual(out[5], 0.5 * 12)
        XCTAssertEqual(out[0], 0.5 * 27)
        XCTAssertEqual(ak_stem_s2_zero_rows(x, Int32(cin), Int32(h), Int32(w), weight, nil, Int32(cout), &out, 2, 3, 0, 2,
                                            Activation.sigmoid.rawValue, &scratch), 0)
    }
}
