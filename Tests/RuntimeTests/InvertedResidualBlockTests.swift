import CKernels
import Foundation
@testable import Runtime
import XCTest

/// The one-pass MobileNetV2 block (expansion, SAME-padded depthwise, projection, residual)
/// against a naive double-precision sum, and against the same layers run one by one.
final class InvertedResidualBlockTests: XCTestCase {
    private var random = LCGFloats(seed: 3)
    private func next() -> Float { random.next() }

    private struct Case {
        var cin: Int, hidden: Int, cout: Int, stride: Int, h: Int, w: Int, expand: Bool, residual: Bool
    }

    private func block(_ c: Case) throws -> (InvertedResidualBlock, [[Float]]) {
        let ew = (0..<(c.hidden * c.cin)).map { _ in next() }, eb = (0..<c.hidden).map { _ in next() + 0.5 }
        let dw = (0..<(c.hidden * 9)).map { _ in next() }, db = (0..<c.hidden).map { _ in next() }
        let pw = (0..<(c.cout * c.hidden)).map { _ in next() / 4 }, pb = (0..<c.cout).map { _ in next() }
        let expand = c.expand ? try GeneralConv(weight: ew, bias: eb, outChannels: c.hidden, inChannels: c.cin, kernelSize: 1, stride: 1) : nil
        let depthwise = try GeneralConv(weight: dw, bias: db, outChannels: c.hidden, inChannels: c.hidden, kernelSize: 3,
                                        stride: c.stride, depthwise: true)
        let project = try GeneralConv(weight: pw, bias: pb, outChannels: c.cout, inChannels: c.hidden, kernelSize: 1, stride: 1)
        return (try InvertedResidualBlock(expand: expand, depthwise: depthwise, project: project, residual: c.residual),
                [ew, eb, dw, db, pw, pb])
    }

    /// The block in double precision, written out from its definition: TF "SAME" puts
    /// floor(total / 2) of the padding before the map, total = max((ceil(n / s) - 1) s + 3 - n, 0),
    /// and the padding is zeros in the expanded map (after its ReLU6).
    private func naive(_ c: Case, _ p: [[Float]], _ x: [Float]) -> [Float] {
        let (ew, eb, dw, db, pw, pb) = (p[0], p[1], p[2], p[3], p[4], p[5])
        func relu6(_ v: Double) -> Double { min(max(v, 0), 6) }
        let n = c.h * c.w
        var hidden = [Double](repeating: 0, count: c.hidden * n)
        for k in 0..<c.hidden {
            for i in 0..<n {
                if !c.expand { hidden[k * n + i] = Double(x[k * n + i]); continue }
                var s = Double(eb[k])
                for ci in 0..<c.cin { s += Double(ew[k * c.cin + ci]) * Double(x[ci * n + i]) }
                hidden[k * n + i] = relu6(s)
            }
        }
        let ho = (c.h + c.stride - 1) / c.stride, wo = (c.w + c.stride - 1) / c.stride
        let top = max((ho - 1) * c.stride + 3 - c.h, 0) / 2, left = max((wo - 1) * c.stride + 3 - c.w, 0) / 2
        var d = [Double](repeating: 0, count: c.hidden * ho * wo)
        for k in 0..<c.hidden {
            for y in 0..<ho {
                for xx in 0..<wo {
                    var s = Double(db[k])
                    for i in 0..<3 {
                        for j in 0..<3 {
                            let (r, q) = (y * c.stride + i - top, xx * c.stride + j - left)
                            if r >= 0, r < c.h, q >= 0, q < c.w { s += Double(dw[k * 9 + i * 3 + j]) * hidden[k * n + r * c.w + q] }
                        }
                    }
                    d[(k * ho + y) * wo + xx] = relu6(s)
                }
            }
        }
        var out = [Float](repeating: 0, count: c.cout * ho * wo)
        for o in 0..<c.cout {
            for i in 0..<(ho * wo) {
                var s = Double(pb[o])
                for k in 0..<c.hidden { s += Double(pw[o * c.hidden + k]) * d[k * ho * wo + i] }
                if c.residual { s += Double(x[o * n + i]) }
                out[o * ho * wo + i] = Float(s)
            }
        }
        return out
    }

    /// Odd and even sizes, stride 1 and 2, with and without expansion and residual, maps narrow
    /// enough for several rows per band and wide enough for one, channel counts that leave
    /// partial tiles, tails of 1-7 columns, expansions wider and narrower than the input; 1, 2
    /// and 3 threads.
    func testTheOnePassBlockMatchesANaiveDoubleSum() throws {
        let cases = [
            Case(cin: 8, hidden: 8, cout: 5, stride: 1, h: 9, w: 13, expand: false, residual: false),
            Case(cin: 5, hidden: 30, cout: 5, stride: 1, h: 7, w: 7, expand: true, residual: true),
            Case(cin: 6, hidden: 17, cout: 11, stride: 2, h: 10, w: 12, expand: true, residual: false),
            Case(cin: 7, hidden: 13, cout: 9, stride: 2, h: 9, w: 11, expand: true, residual: false),
            Case(cin: 16, hidden: 96, cout: 16, stride: 1, h: 5, w: 41, expand: true, residual: true),
            Case(cin: 4, hidden: 24, cout: 7, stride: 2, h: 13, w: 70, expand: true, residual: false),
            Case(cin: 3, hidden: 9, cout: 3, stride: 1, h: 1, w: 1, expand: true, residual: true),
            Case(cin: 12, hidden: 40, cout: 12, stride: 1, h: 8, w: 8, expand: true, residual: true),
            // small maps split by hidden channels (uneven ranges; 2 and 3 parts)
            Case(cin: 16, hidden: 100, cout: 24, stride: 2, h: 15, w: 17, expand: true, residual: false),
            Case(cin: 24, hidden: 144, cout: 24, stride: 1, h: 16, w: 16, expand: true, residual: true),
            // an expansion to fewer channels than the input (its rows too many to copy side by side)
            Case(cin: 40, hidden: 8, cout: 6, stride: 1, h: 5, w: 33, expand: true, residual: false),
            Case(cin: 40, hidden: 8, cout: 6, stride: 2, h: 11, w: 9, expand: true, residual: false),
        ]
        for c in cases {
            let (layer, params) = try block(c)
            let x = (0..<(c.cin * c.h * c.w)).map { _ in next() * 2 }
            let input = Tensor(channels: c.cin, height: c.h, width: c.w, data: x)
            let want = naive(c, params, x)
            for threads in 1...3 {
                let out = try layer.forward(input, pool: WorkerPool(threads: threads))
                XCTAssertEqual(out.count, want.count, "\(c)")
                let worst = zip(out.data, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                XCTAssertLessThan(worst, 2e-5, "\(c), \(threads) threads")
            }
            let reference = try layer.layerByLayer(input, pool: WorkerPool(threads: 2))
            let apart = zip(reference.data, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            XCTAssertLessThan(apart, 2e-5, "layer by layer, \(c)")
        }
    }

    /// Every instruction set the CPU has gives the same block: the AVX-512 kernels (16-lane 1x1
    /// tiles, 16-lane depthwise rows) the AVX2 kernels' bits on the predictor's real blocks (its
    /// 256x256 input: 128 down to 8 wide) and odd ones (tails of 1-15 columns, partial tiles of
    /// every row count), 1 and 2 threads; the scalar cap (the layers one by one) agrees within
    /// 2e-5 of the largest value.
    func testEveryInstructionSetGivesTheSameBlock() throws {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        let levels = [AK_ISA_AVX512, AK_ISA_AVX2].map(Int32.init).filter { $0 <= ak_isa_cpu() }
        let cases = [
            Case(cin: 32, hidden: 32, cout: 16, stride: 1, h: 128, w: 128, expand: false, residual: false),
            Case(cin: 16, hidden: 96, cout: 24, stride: 2, h: 128, w: 128, expand: true, residual: false),
            Case(cin: 24, hidden: 144, cout: 24, stride: 1, h: 64, w: 64, expand: true, residual: true),
            Case(cin: 24, hidden: 144, cout: 32, stride: 2, h: 64, w: 64, expand: true, residual: false),
            Case(cin: 32, hidden: 192, cout: 32, stride: 1, h: 32, w: 32, expand: true, residual: true),
            Case(cin: 32, hidden: 192, cout: 64, stride: 2, h: 32, w: 32, expand: true, residual: false),
            Case(cin: 64, hidden: 384, cout: 96, stride: 1, h: 16, w: 16, expand: true, residual: false),
            Case(cin: 96, hidden: 576, cout: 160, stride: 2, h: 16, w: 16, expand: true, residual: false),
            Case(cin: 160, hidden: 960, cout: 160, stride: 1, h: 8, w: 8, expand: true, residual: true),
            Case(cin: 160, hidden: 960, cout: 320, stride: 1, h: 8, w: 8, expand: true, residual: false),
            Case(cin: 9, hidden: 20, cout: 9, stride: 1, h: 3, w: 23, expand: true, residual: true),
            Case(cin: 9, hidden: 20, cout: 9, stride: 2, h: 5, w: 37, expand: true, residual: false),
            Case(cin: 7, hidden: 13, cout: 15, stride: 2, h: 9, w: 11, expand: true, residual: false),
            Case(cin: 4, hidden: 24, cout: 7, stride: 2, h: 13, w: 70, expand: true, residual: false),
            Case(cin: 16, hidden: 96, cout: 16, stride: 1, h: 5, w: 41, expand: true, residual: true),
            Case(cin: 8, hidden: 8, cout: 5, stride: 1, h: 9, w: 13, expand: false, residual: false),
        ]
        for c in cases {
            let (layer, _) = try block(c)
            let input = Tensor(channels: c.cin, height: c.h, width: c.w, data: (0..<(c.cin * c.h * c.w)).map { _ in next() * 2 })
            for threads in [1, 2] {
                let pool = WorkerPool(threads: threads)
                let outputs = try levels.map { level -> [Float] in
                    _ = ak_isa_cap(level)
                    return try layer.forward(input, pool: pool).data
                }
                for (level, out) in zip(levels, outputs).dropFirst() {
                    XCTAssertTrue(out == outputs[0], "\(c), \(threads) threads: level \(level) differs from level \(levels[0])")
                }
                _ = ak_isa_cap(Int32(AK_ISA_SCALAR))
                let scalar = try layer.forward(input, pool: pool).data
                let scale = outputs[0].map(abs).max() ?? 1
                let worst = zip(scalar, outputs[0]).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThan(worst, 2e-5 * max(1, scale), "\(c), \(threads) threads: scalar")
                _ = ak_isa_cap(Int32(AK_ISA_AVX512))
            }
        }
    }

    /// TF "SAME": stride 1 pads one on every side; stride 2 pads only what the size needs,
    /// bottom/right first (even sizes: 0 before, 1 after; odd sizes: 1 and 1).
    func testSamePadding() throws {
        let (s1, _) = try block(Case(cin: 2, hidden: 2, cout: 2, stride: 1, h: 4, w: 4, expand: false, residual: false))
        XCTAssertTrue(s1.samePadding(height: 4, width: 5) == (1, 1, 1, 1))
        let (s2, _) = try block(Case(cin: 2, hidden: 2, cout: 2, stride: 2, h: 4, w: 4, expand: false, residual: false))
        XCTAssertTrue(s2.samePadding(height: 256, width: 9) == (0, 1, 1, 1))
    }

    /// Shapes that do not chain are refused when the block is made.
    func testMismatchedLayersAreRefused() throws {
        let one = try GeneralConv(weight: [Float](repeating: 1, count: 12), bias: nil, outChannels: 4, inChannels: 3, kernelSize: 1, stride: 1)
        let dw = try GeneralConv(weight: [Float](repeating: 1, count: 36), bias: nil, outChannels: 4, inChannels: 4, kernelSize: 3,
                                 stride: 2, depthwise: true)
        let back = try GeneralConv(weight: [Float](repeating: 1, count: 12), bias: nil, outChannels: 3, inChannels: 4, kernelSize: 1, stride: 1)
        XCTAssertNoThrow(try InvertedResidualBlock(expand: one, depthwise: dw, project: back, residual: false))
        XCTAssertThrowsError(try InvertedResidualBlock(expand: one, depthwise: dw, project: back, residual: true))   // stride 2
        XCTAssertThrowsError(try InvertedResidualBlock(expand: nil, depthwise: dw, project: one, residual: false))   // 4 into a 3-input 1x1
    }
}

/// 1x1 layers with the output channels split over the pool (the predictor's head and
/// bottleneck) against a naive double sum: channel counts that leave partial tiles and parts,
/// one pixel to odd maps, ReLU6 and none, 1-3 threads; the AVX2 tiles against the CPU's widest.
final class ChannelSplitPointwiseTests: XCTestCase {
    func testChannelSplitOneByOneMatchesANaiveDoubleSum() throws {
        var random = LCGFloats(seed: 17)
        func next() -> Float { random.next() }
        for (cin, cout, h, w) in [(1280, 100, 1, 1), (320, 1280, 8, 8), (7, 5, 3, 5), (33, 13, 1, 9), (4, 1, 2, 2), (19, 11, 3, 13)] {
            let weight = (0..<(cout * cin)).map { _ in next() }, bias = (0..<cout).map { _ in next() }
            let x = Tensor(channels: cin, height: h, width: w, data: (0..<(cin * h * w)).map { _ in next() })
            let conv = try GeneralConv(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 1, stride: 1)
            var want = [Double](repeating: 0, count: cout * h * w)
            for o in 0..<cout {
                for p in 0..<(h * w) {
                    var s = Double(bias[o])
                    for c in 0..<cin { s += Double(weight[o * cin + c]) * Double(x.data[c * h * w + p]) }
                    want[o * h * w + p] = s
                }
            }
            for threads in 1...3 {
                let pool = WorkerPool(threads: threads)
                for (activation, f) in [(Activation.none, { (v: Double) in v }), (.relu6, { (v: Double) in min(max(v, 0), 6) })] {
                    let got = try conv.forwardSplittingChannels(x, activation: activation, pool: pool)
                    XCTAssertEqual(got.count, want.count)
                    let worst = zip(got.data, want).map { abs(Double($0) - f($1)) }.max() ?? 0
                    XCTAssertLessThan(worst, cin > 100 ? 1e-4 : 1e-5, "\(cin)->\(cout) \(h)x\(w) \(activation) \(threads) threads")
                    // the AVX2 tiles give the AVX-512 tiles' bits (same sums, 8 lanes instead of 16)
                    let previous = ak_isa_cap(Int32(AK_ISA_AVX2))
                    let narrow = try conv.forwardSplittingChannels(x, activation: activation, pool: pool)
                    _ = ak_isa_cap(previous)
                    XCTAssertTrue(narrow.data == got.data, "\(cin)->\(cout) \(h)x\(w) \(activation): AVX2 differs")
                }
            }
        }
    }
}
