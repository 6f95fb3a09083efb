import CKernels
import Foundation
@testable import Runtime
import XCTest

/// The ops of the imported networks, each alone against values worked out by hand.
final class NetworkOpsTests: XCTestCase {
    private func assertClose(_ a: [Float], _ b: [Float], accuracy: Float = 1e-5, _ message: String = "",
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, message, file: file, line: line) }
    }

    /// numpy: np.pad([1, 2, 3], 3, mode="reflect") == [2, 3, 2, 1, 2, 3, 2, 1, 2]: wider than the row.
    func testReflectionPaddingOfAnyWidth() {
        let row = Tensor(channels: 1, height: 1, width: 3, data: [1, 2, 3])
        XCTAssertEqual(row.padded(top: 0, left: 3, bottom: 0, right: 3, mode: .reflect).data, [2, 3, 2, 1, 2, 3, 2, 1, 2])
        let square = Tensor(channels: 1, height: 2, width: 2, data: [1, 2, 3, 4])
        let p = square.padded(top: 1, left: 1, bottom: 1, right: 1, mode: .reflect)
        XCTAssertEqual(p.data, [4, 3, 4, 3, 2, 1, 2, 1, 4, 3, 4, 3, 2, 1, 2, 1])
    }

    /// TF "SAME" for a stride-2 3x3 on an even size pads only the bottom and right, with zeros.
    func testZeroPaddingBottomRightOnly() {
        let t = Tensor(channels: 1, height: 2, width: 2, data: [1, 2, 3, 4])
        XCTAssertEqual(t.padded(top: 0, left: 0, bottom: 1, right: 1, mode: .zero).data, [1, 2, 0, 3, 4, 0, 0, 0, 0])
    }

    /// 9x9 kernel with weights 0 ... 80 on a 9x9 map of ones, bias 1: 3240 + 1.
    func testNineByNineConvolution() throws {
        let conv = try GeneralConv(weight: (0..<81).map(Float.init), bias: [1], outChannels: 1, inChannels: 1,
                                   kernelSize: 9, stride: 1)
        let out = try conv.forward(Tensor(channels: 1, height: 9, width: 9, repeating: 1))
        XCTAssertEqual(out.height, 1)
        XCTAssertEqual(out.data, [3241])
        // 10 wide: two outputs; the second reads columns 1...9 of a ramp.
        let ramp = Tensor(channels: 1, height: 9, width: 10, data: (0..<90).map { Float($0 % 10) })
        let ones = try GeneralConv(weight: [Float](repeating: 1, count: 81), bias: nil, outChannels: 1, inChannels: 1,
                                   kernelSize: 9, stride: 1)
        XCTAssertEqual(try ones.forward(ramp).data, [9 * 36, 9 * 45])
        // 20 wide, two output channels: 12 outputs (a vector block of 8 and a tail of 4);
        // channel 1 has weights 2 and bias -1: out = 9 (9x + 36) resp. 2 * that - 1.
        let wide = Tensor(channels: 1, height: 9, width: 20, data: (0..<180).map { Float($0 % 20) })
        let two = try GeneralConv(weight: [Float](repeating: 1, count: 81) + [Float](repeating: 2, count: 81), bias: [0, -1],
                                  outChannels: 2, inChannels: 1, kernelSize: 9, stride: 1)
        let expected = (0..<12).map { Float(81 * $0 + 324) }
        XCTAssertEqual(try two.forward(wide).data, expected + expected.map { 2 * $0 - 1 })
    }

    /// The direct 9x9 kernel's register tiles (4 or 3 channels by 2-3 vectors, single vectors,
    /// masked tails) against a naive double sum: 7 output channels (a group of 4 and one of 3),
    /// 42 output columns (not a multiple of 8 or 16), ReLU and none, a 5x5 layer, and stride-2
    /// 3x3 layers (the direct kernel on rows split into even and odd columns) with odd and even
    /// input widths, 1 to 31 output columns, 1 to 8 output channels and several row bands (a
    /// stride-2 input wide enough to be split one output row at a time), on 1 to 3 threads.
    func testWideKernelsMatchNaiveSumOnOddSizes() throws {
        var random = LCGFloats(seed: 7)
        func next() -> Float { random.next() }
        let shapes: [(Int, Int, Int, Int, Int, Int)] = [(3, 7, 9, 12, 50, 1), (8, 3, 9, 11, 46, 1), (5, 9, 5, 7, 30, 1), (6, 5, 3, 9, 45, 2),
                                                (5, 7, 3, 21, 64, 2), (4, 4, 3, 17, 57, 2), (2, 1, 3, 5, 5, 2),
                                                (32, 8, 3, 13, 70, 2), (3, 2, 3, 41, 51, 2),
                                                // tiles of up to 6 channels, split evenly: 6 6 5 5 5 5, 6 5, 6
                                                (3, 32, 9, 10, 43, 1), (7, 11, 3, 9, 37, 2), (2, 6, 9, 9, 25, 1),
                                                // 40 x 601 input floats a row: split one output row at a time
                                                (40, 7, 3, 11, 601, 2)]
        for (cin, cout, k, hp, wp, st) in shapes {
            let weight = (0..<(cout * cin * k * k)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: hp, width: wp, data: (0..<(cin * hp * wp)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: k, stride: st)
            let want = naiveValidConvolution(x, weight: weight, bias: bias, outChannels: cout, kernelSize: k, stride: st)
                .map { Float($0) }
            for threads in [1, 2, 3] {
                let pool = WorkerPool(threads: threads)
                assertClose(try conv.forward(x, pool: pool).data, want, accuracy: 2e-5, "\(cin)->\(cout) k \(k) \(threads) threads")
                assertClose(try conv.forward(x, activation: .relu, pool: pool).data, want.map { max($0, 0) }, accuracy: 2e-5,
                            "\(cin)->\(cout) k \(k) relu \(threads) threads")
            }
        }
    }

    /// Layers on the sgemm path (1x1, and 3x3 stride 1 too narrow for the direct kernels) give
    /// the same bits on any number of threads: OpenBLAS sums in another order for other matrix
    /// sizes, so their bands must not follow the thread count (2035-2456 of 19,200 values of a
    /// 32->32 3x3 layer on 30x20 differed at 2-4 threads from 1 when they did).
    func testSgemmPathLayersGiveTheSameBitsOnAnyNumberOfThreads() throws {
        var random = LCGFloats(seed: 11)
        func next() -> Float { random.next() }
        for (cin, cout, k, hp, wp) in [(32, 32, 3, 32, 22), (64, 96, 1, 23, 17), (160, 320, 1, 8, 8)] {
            let weight = (0..<(cout * cin * k * k)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: hp, width: wp, data: (0..<(cin * hp * wp)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: k, stride: 1)
            let one = try conv.forward(x, activation: .relu, pool: WorkerPool(threads: 1)).data
            for threads in [2, 3, 4] {
                let many = try conv.forward(x, activation: .relu, pool: WorkerPool(threads: threads)).data
                XCTAssertEqual(zip(one, many).filter { $0 != $1 }.count, 0, "\(cin)->\(cout) k \(k) on \(threads) threads")
            }
        }
    }

    /// A stride-2 layer reading its input reflect-padded while it gathers rows (no padded copy)
    /// gives exactly what padding first gives: odd and even sizes, pads 1 and 2, several
    /// bands, every fused activation; sigmoid and a pad as wide as the map take the padded path.
    func testReflectPaddedStrideTwoEqualsPaddingFirst() throws {
        var random = LCGFloats(seed: 11)
        func next() -> Float { random.next() }
        for (cin, cout, h, w, pad) in [(3, 5, 9, 14, 1), (8, 32, 34, 41, 1), (4, 7, 16, 16, 2), (2, 3, 3, 5, 1),
                                       (5, 6, 2, 2, 2), (40, 6, 9, 600, 1)] {
            let weight = (0..<(cout * cin * 9)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 3, stride: 2)
            let padded = x.padded(top: pad, left: pad, bottom: pad, right: pad, mode: .reflect)
            for activation in [Activation.none, .relu, .relu6, .sigmoid] {
                for threads in [1, 2, 3] {
                    let got = try conv.forward(x, reflectPad: pad, activation: activation, pool: WorkerPool(threads: threads))
                    let want = try conv.forward(padded, activation: activation)
                    XCTAssertEqual([got.channels, got.height, got.width], [want.channels, want.height, want.width])
                    XCTAssertEqual(got.data, want.data, "\(cin)->\(cout) \(h)x\(w) pad \(pad) \(activation) \(threads) threads")
                }
            }
        }
    }

    /// A stride-2 layer zero-padding its input below and on the right while it gathers rows
    /// (MobileNetV2's stem) gives exactly what padding first gives: even sizes (odd ones take
    /// the padded path), several bands, 1-3 threads, every activation.
    func testZeroPaddedStrideTwoEqualsPaddingFirst() throws {
        var random = LCGFloats(seed: 17)
        func next() -> Float { random.next() }
        for (cin, cout, h, w) in [(3, 32, 64, 64), (3, 5, 10, 14), (8, 7, 34, 40), (2, 3, 2, 2), (40, 6, 8, 600),
                                  (3, 4, 9, 13)] {
            let weight = (0..<(cout * cin * 9)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 3, stride: 2)
            let padded = x.padded(top: 0, left: 0, bottom: 1, right: 1, mode: .zero)
            for activation in [Activation.none, .relu, .relu6, .sigmoid] {
                for threads in [1, 2, 3] {
                    let got = try conv.forward(x, zeroPadBottomRight: activation, pool: WorkerPool(threads: threads))
                    let want = try conv.forward(padded, activation: activation)
                    XCTAssertEqual([got.channels, got.height, got.width], [want.channels, want.height, want.width])
                    XCTAssertEqual(got.data, want.data, "\(cin)->\(cout) \(h)x\(w) \(activation) \(threads) threads")
                }
            }
        }
    }

    /// A stride-2 layer that applies the previous layer's instance norm while it gathers its
    /// rows gives exactly what normalising first gives (odd and even sizes, pads 1 and 2, a map
    /// split one output row at a time, every norm activation it takes, 1-3 threads), and
    /// matches a naive double computation; per-pixel gamma/beta are never fused.
    func testNormalisingWhileGatheringEqualsNormalisingFirst() throws {
        var random = LCGFloats(seed: 23)
        func next() -> Float { random.next() }
        let fused = ak_conv_valid_direct(3, 2) != 0
        for (cin, cout, h, w, pad) in [(3, 5, 9, 14, 1), (8, 32, 34, 41, 1), (4, 7, 16, 16, 2), (5, 6, 3, 3, 2),
                                       (40, 6, 9, 600, 1)] {
            let weight = (0..<(cout * cin * 9)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in 3 * next() + 1.5 })
            let gamma = (0..<cin).map { _ in next() * 2 }, beta = (0..<cin).map { _ in next() }
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 3, stride: 2)
            XCTAssertNil(x.instanceNormalisation(gamma: [Float](repeating: 1, count: x.count),
                                                 beta: [Float](repeating: 0, count: x.count), epsilon: 1e-5))
            XCTAssertFalse(conv.readsNormalised(height: h, width: w, pad: pad, activation: .none, normActivation: .sigmoid))
            for normActivation in [Activation.none, .relu, .relu6] {
                XCTAssertEqual(conv.readsNormalised(height: h, width: w, pad: pad, activation: .relu, normActivation: normActivation), fused)
                guard fused else { continue }
                let norm = try XCTUnwrap(x.instanceNormalisation(gamma: gamma, beta: beta, epsilon: 1e-5, activation: normActivation))
                var normalised = x
                normalised.instanceNormalize(gamma: gamma, beta: beta, epsilon: 1e-5, activation: normActivation)
                for activation in [Activation.none, .relu] {
                    let want = try conv.forward(normalised, reflectPad: pad, activation: activation)
                    for threads in [1, 2, 3] {
                        let got = try conv.forward(x, reflectPad: pad, activation: activation, reading: norm,
                                                   pool: WorkerPool(threads: threads))
                        XCTAssertEqual(got.data, want.data, "\(cin)->\(cout) \(h)x\(w) pad \(pad) \(normActivation) \(activation) \(threads) threads")
                    }
                }
                // A naive double reference: statistics, norm, reflection and the sum.
                let got = try conv.forward(x, reflectPad: pad, activation: .none, reading: norm)
                let (hp, wp) = (h + 2 * pad, w + 2 * pad)
                func reflect(_ i: Int, _ n: Int) -> Int { var i = i; while i < 0 || i >= n { i = i < 0 ? -i : 2 * n - 2 - i }; return i }
                var input = [Double](repeating: 0, count: cin * hp * wp)
                for c in 0..<cin {
                    let plane = (0..<(h * w)).map { Double(x.data[c * h * w + $0]) }
                    let mean = plane.reduce(0, +) / Double(h * w)
                    let variance = plane.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(h * w)
                    for y in 0..<hp {
                        for xx in 0..<wp {
                            var v = (plane[reflect(y - pad, h) * w + reflect(xx - pad, w)] - mean) / (variance + 1e-5).squareRoot()
                                * Double(gamma[c]) + Double(beta[c])
                            if normActivation != .none { v = max(v, 0) }
                            if normActivation == .relu6 { v = min(v, 6) }
                            input[(c * hp + y) * wp + xx] = v
                        }
                    }
                }
                let want = naiveValidConvolution(channels: cin, height: hp, width: wp, weight: weight, bias: bias,
                                                 outChannels: cout, kernelSize: 3, stride: 2) { c, y, xx in
                    input[(c * hp + y) * wp + xx]
                }.map { Float($0) }
                assertClose(got.data, want, accuracy: 1e-4, "\(cin)->\(cout) \(h)x\(w) pad \(pad) \(normActivation) naive")
            }
        }
    }

    /// On AVX-512 CPUs the direct kernel's tiles run in 16 lanes (3 vectors wide, then one
    /// vector, then a masked tail): the same sums in the same order as the AVX2 tiles, so the
    /// same bits. Magenta's stride-2 shapes reading a pending norm (32->64, 64->128), "SAME"
    /// stride 2, plain stride 2 on a padded map, 9x9 and 5x5 stride 1; widths leaving every
    /// tail (whole 48s, a 16, masks of 1 to 15), 1 to 6 channels a tile, 1 and 2 threads.
    func testDirectKernelAVX512TilesGiveTheAVX2TilesBits() throws {
        guard ak_isa_cpu() >= AK_ISA_AVX512 else { throw XCTSkip("needs an AVX-512 CPU") }
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        var random = LCGFloats(seed: 31)
        func next() -> Float { random.next() }
        func sameBits(_ run: () throws -> Tensor, _ what: String) rethrows {
            _ = ak_isa_cap(Int32(AK_ISA_AVX2))
            let avx2 = try run().data
            _ = ak_isa_cap(Int32(AK_ISA_AVX512))
            let avx512 = try run().data
            XCTAssertEqual(avx2.count, avx512.count, what)
            XCTAssertEqual(zip(avx2, avx512).filter { $0.bitPattern != $1.bitPattern }.count, 0, what)
        }
        // (cin, cout, k, stride, h, w): reflect pad 1 for stride 2, none for stride 1
        let shapes = [(32, 64, 3, 2, 10, 130), (64, 128, 3, 2, 7, 75), (5, 7, 3, 2, 11, 200), (3, 1, 3, 2, 6, 34),
                      (3, 32, 9, 1, 14, 50), (32, 3, 9, 1, 12, 40), (4, 7, 5, 1, 12, 90), (2, 5, 5, 1, 7, 21)]
        for (cin, cout, k, st, h, w) in shapes {
            let weight = (0..<(cout * cin * k * k)).map { _ in next() * 0.3 }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in 3 * next() + 1 })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: k, stride: st)
            for activation in [Activation.none, .relu, .relu6] {
                for threads in [1, 2] {
                    let pool = WorkerPool(threads: threads), what = "\(cin)->\(cout) k \(k) s \(st) \(h)x\(w) \(activation) \(threads)"
                    try sameBits({ try conv.forward(x, activation: activation, pool: pool) }, what)
                    guard st == 2 else { continue }
                    try sameBits({ try conv.forward(x, reflectPad: 1, activation: activation, pool: pool) }, what + " reflect")
                    let gamma = (0..<cin).map { _ in next() }, beta = (0..<cin).map { _ in next() }
                    let norm = try XCTUnwrap(x.instanceNormalisation(gamma: gamma, beta: beta, epsilon: 1e-5, activation: .relu))
                    try sameBits({ try conv.forward(x, reflectPad: 1, activation: activation, reading: norm, pool: pool) },
                                 what + " norm")
                    if h % 2 == 0 && w % 2 == 0 {
                        try sameBits({ try conv.forward(x, zeroPadBottomRight: activation, pool: pool) }, what + " same")
                    }
                }
            }
        }
    }

    /// In place, instance normalisation gives what the copying form gives and leaves other
    /// copies of the map alone.
    func testInstanceNormalisationInPlace() {
        let data: [Float] = (0..<(3 * 37)).map { (i: Int) -> Float in Float((i * 7919) % 101) / 10 - 4 }
        let t = Tensor(channels: 3, height: 1, width: 37, data: data)
        var u = t
        let gamma: [Float] = [1, 2, -1], beta: [Float] = [0, 0.5, 1]
        u.instanceNormalize(gamma: gamma, beta: beta, epsilon: 1e-5, activation: Activation.relu)
        let copied = t.instanceNormalized(gamma: gamma, beta: beta, epsilon: 1e-5, activation: Activation.relu)
        XCTAssertEqual(u.data, copied.data)
        XCTAssertEqual(t.data, data)
    }

    /// 3x3 stride 2 of a 4x4 ramp (x = 4y + x) padded SAME (bottom/right), weights all ones.
    func testStridedThreeByThreeWithSamePadding() throws {
        let x = Tensor(channels: 1, height: 4, width: 4, data: (0..<16).map(Float.init))
        let conv = try GeneralConv(weight: [Float](repeating: 1, count: 9), bias: nil, outChannels: 1, inChannels: 1,
                                   kernelSize: 3, stride: 2)
        let out = try conv.forward(x.padded(top: 0, left: 0, bottom: 1, right: 1, mode: .zero))
        XCTAssertEqual(out.height, 2)
        XCTAssertEqual(out.width, 2)
        XCTAssertEqual(out.data, [45, 39, 66, 50])
        // 3 rows of the ramp 0 ... 34 (35 wide: 17 outputs, two vectors of 8 and a tail of 1):
        // output x sums columns 2x, 2x + 1, 2x + 2 of three rows = 3 (6x + 3) = 18x + 9.
        let ramp = Tensor(channels: 1, height: 3, width: 35, data: (0..<105).map { Float($0 % 35) })
        XCTAssertEqual(try conv.forward(ramp).data, (0..<17).map { Float(18 * $0 + 9) })
    }

    /// Two input channels, two outputs, 1x1: a 2x2 matrix per pixel, then ReLU.
    func testPointwiseConvolutionWithReLU() throws {
        let conv = try GeneralConv(weight: [1, 2, -3, 1], bias: [0.5, 0], outChannels: 2, inChannels: 2, kernelSize: 1, stride: 1)
        let x = Tensor(channels: 2, height: 1, width: 2, data: [1, 2, 3, 4])
        // out0 = x0 + 2 x1 + 0.5 = [7.5, 10.5]; out1 = -3 x0 + x1 = [0, -2] -> ReLU [0, 0]
        XCTAssertEqual(try conv.forward(x, activation: .relu).data, [7.5, 10.5, 0, 0])
        // ReLU6 on a 1x40 map:
        // out0 = x0 + 2 x1 + 0.5 with x0 = i / 8, x1 = 1 -> min(i / 8 + 2.5, 6); out1 = -3 x0 + x1 -> max(1 - 3i/8, 0).
        let ramp = Tensor(channels: 2, height: 1, width: 40, data: (0..<40).map { Float($0) / 8 } + [Float](repeating: 1, count: 40))
        XCTAssertEqual(try conv.forward(ramp, activation: .relu6).data,
                       (0..<40).map { min(Float($0) / 8 + 2.5, 6) } + (0..<40).map { max(1 - 3 * Float($0) / 8, 0) })
    }

    /// 1x1 layers (one pixel to 16x16, up to 1280 input channels, row bands over threads)
    /// against a naive double sum, with ReLU6 and none.
    func testPointwiseMatchesNaiveSumOnAwkwardSizes() throws {
        var random = LCGFloats(seed: 11)
        func next() -> Float { random.next(span: 4, minus: 2) }
        for (cin, cout, h, w) in [(1280, 9, 1, 1), (7, 5, 1, 7), (16, 13, 5, 9), (24, 6, 13, 17), (96, 24, 16, 16), (3, 1, 3, 100)] {
            let weight = (0..<(cout * cin)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 1, stride: 1)
            var want = [Float](repeating: 0, count: cout * h * w)
            for o in 0..<cout {
                for p in 0..<(h * w) {
                    var s = Double(bias[o])
                    for c in 0..<cin { s += Double(weight[o * cin + c]) * Double(x.data[c * h * w + p]) }
                    want[o * h * w + p] = Float(s)
                }
            }
            let tolerance: Float = cin > 100 ? 2e-4 : 2e-5
            assertClose(try conv.forward(x).data, want, accuracy: tolerance, "\(cin)->\(cout) \(h)x\(w)")
            assertClose(try conv.forward(x, activation: .relu6).data, want.map { min(max($0, 0), 6) }, accuracy: tolerance,
                        "\(cin)->\(cout) \(h)x\(w) relu6")
        }
    }

    /// Depthwise 3x3: channel 0 sums its window, channel 1 takes its centre times 2; stride 1 and 2.
    func testDepthwiseConvolutionStrideOneAndTwo() throws {
        var weight = [Float](repeating: 1, count: 9)
        weight += [0, 0, 0, 0, 2, 0, 0, 0, 0]
        let conv1 = try GeneralConv(weight: weight, bias: [0, 1], outChannels: 2, inChannels: 2, kernelSize: 3, stride: 1, depthwise: true)
        let plane = (0..<16).map(Float.init)
        let x = Tensor(channels: 2, height: 4, width: 4, data: plane + plane)
        let out = try conv1.forward(x)
        XCTAssertEqual(out.data, [45, 54, 81, 90, 11, 13, 19, 21])
        let conv2 = try GeneralConv(weight: weight, bias: nil, outChannels: 2, inChannels: 2, kernelSize: 3, stride: 2, depthwise: true)
        let out2 = try conv2.forward(x.padded(top: 0, left: 0, bottom: 1, right: 1, mode: .zero))
        XCTAssertEqual(out2.data, [45, 39, 66, 50, 10, 14, 26, 30])
    }

    /// The 8-wide depthwise rows (stride 1, and stride 2's even/odd taps) and their scalar tails
    /// against a double sum: widths that leave tails, ReLU6 fused.
    func testDepthwiseMatchesNaiveSumOnOddWidths() throws {
        var random = LCGFloats(seed: 5)
        func next() -> Float { random.next(span: 8, minus: 4) }
        for (stride, hp, wp) in [(1, 6, 29), (2, 9, 41), (2, 5, 18), (1, 3, 10)] {
            let c = 3
            let weight = (0..<(c * 9)).map { _ in next() / 4 }, bias = (0..<c).map { _ in next() / 4 }
            let x = Tensor(channels: c, height: hp, width: wp, data: (0..<(c * hp * wp)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: c, inChannels: c, kernelSize: 3,
                                       stride: stride, depthwise: true)
            let (ho, wo) = conv.outputSize(height: hp, width: wp)
            var want = [Float](repeating: 0, count: c * ho * wo)
            for ch in 0..<c {
                for y in 0..<ho {
                    for xx in 0..<wo {
                        var s = Double(bias[ch])
                        for i in 0..<3 { for j in 0..<3 { s += Double(weight[ch * 9 + i * 3 + j]) * Double(x[ch, y * stride + i, xx * stride + j]) } }
                        want[(ch * ho + y) * wo + xx] = Float(min(max(s, 0), 6))
                    }
                }
            }
            assertClose(try conv.forward(x, activation: .relu6).data, want, accuracy: 1e-5, "stride \(stride) \(hp)x\(wp)")
        }
    }

    func testReLU6AndSigmoid() {
        let t = Tensor(channels: 1, height: 1, width: 4, data: [-1, 3, 7, 6])
        XCTAssertEqual(t.activated(.relu6).data, [0, 3, 6, 6])
        let s = Tensor(channels: 1, height: 1, width: 2, data: [0, Float(log(3.0))]).activated(.sigmoid)
        assertClose(s.data, [0.5, 0.75])
    }

    func testGlobalAveragePooling() {
        let t = Tensor(channels: 2, height: 2, width: 2, data: [1, 2, 3, 4, -1, -1, 5, 1])
        let p = t.globalAveragePooled()
        XCTAssertEqual(p.channels, 2)
        XCTAssertEqual(p.planeSize, 1)
        XCTAssertEqual(p.data, [2.5, 1])
    }

    /// [1, 2, 3, 4]: mean 2.5, population variance 1.25; gamma 2, beta 1, eps 0.
    func testInstanceNormalisationPerChannel() {
        let t = Tensor(channels: 1, height: 2, width: 2, data: [1, 2, 3, 4])
        let r = Float(1 / 1.25.squareRoot())
        let out = t.instanceNormalized(gamma: [2], beta: [1], epsilon: 0)
        assertClose(out.data, [-1.5 * r * 2 + 1, -0.5 * r * 2 + 1, 0.5 * r * 2 + 1, 1.5 * r * 2 + 1])
        // epsilon enters under the root: var 1.25 + 0.75 = 2.
        let withEps = t.instanceNormalized(gamma: [1], beta: [0], epsilon: 0.75, activation: .relu)
        assertClose(withEps.data, [0, 0, 0.5 / Float(2.0.squareRoot()), 1.5 / Float(2.0.squareRoot())])
    }

    /// The vector paths (statistics 16 values a step, the affine 8 a step) and their scalar
    /// tails against a double-precision reference: planes of 7x11 = 77 values (not a multiple of
    /// 8 or 16), 3 channels, per-channel and per-pixel affine, every activation.
    func testInstanceNormalisationMatchesDoubleReferenceOnOddPlanes() {
        var random = LCGFloats(seed: 3)
        func next() -> Float { random.next(span: 4, minus: 1) }
        let (c, h, w) = (3, 7, 11), n = 77
        let t = Tensor(channels: c, height: h, width: w, data: (0..<(c * n)).map { _ in next() })
        let (mean, variance) = t.instanceStatistics()
        for ch in 0..<c {
            let plane = t.data[(ch * n)..<((ch + 1) * n)].map(Double.init)
            let m = plane.reduce(0, +) / Double(n)
            XCTAssertEqual(mean[ch], m, accuracy: 1e-12)
            XCTAssertEqual(variance[ch], plane.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n), accuracy: 1e-12)
        }
        let perPixel = (0..<(c * n)).map { _ in next() }, shift = (0..<(c * n)).map { _ in next() }
        for (gamma, beta) in [([Float(1.5), -0.5, 2], [Float(0.25), 1, -1]), (perPixel, shift)] {
            for activation in [Activation.none, .relu, .relu6, .sigmoid] {
                let out = t.instanceNormalized(gamma: gamma, beta: beta, epsilon: 1e-3, activation: activation)
                var want = [Float](repeating: 0, count: c * n)
                for ch in 0..<c {
                    let r = 1 / (variance[ch] + 1e-3).squareRoot()
                    for i in 0..<n {
                        let j = gamma.count == c ? ch : ch * n + i
                        let v = Double(Float((Double(t.data[ch * n + i]) - mean[ch]) * r)) * Double(gamma[j]) + Double(beta[j])
                        switch activation {
                        case .none: want[ch * n + i] = Float(v)
                        case .relu: want[ch * n + i] = Float(max(v, 0))
                        case .relu6: want[ch * n + i] = Float(min(max(v, 0), 6))
                        case .sigmoid: want[ch * n + i] = Float(1 / (1 + exp(-v)))
                        }
                    }
                }
                assertClose(out.data, want, accuracy: 2e-6, "\(gamma.count == c ? "per channel" : "per pixel") \(activation)")
            }
        }
    }

    /// Per-pixel gamma/beta (regions): statistics stay whole-plane, only the affine varies.
    func testConditionalInstanceNormalisationPerPixel() {
        let t = Tensor(channels: 1, height: 1, width: 4, data: [1, 2, 3, 4])
        let r = Float(1 / 1.25.squareRoot())
        let out = t.instanceNormalized(gamma: [1, 1, 0, 2], beta: [0, 5, 0, -1], epsilon: 0)
        assertClose(out.data, [-1.5 * r, -0.5 * r + 5, 0, 1.5 * r * 2 - 1])
        // Statistics given from outside (a tiled run's whole-image pass) replace the plane's own.
        let given = t.instanceNormalized(gamma: [1], beta: [0], epsilon: 0, statistics: ([0], [4]))
        assertClose(given.data, [0.5, 1, 1.5, 2])
    }

    func testElementwiseSum() {
        let a = Tensor(channels: 1, height: 1, width: 3, data: [1, 2, 3])
        XCTAssertEqual((a + a).data, [2, 4, 6])
    }
}
