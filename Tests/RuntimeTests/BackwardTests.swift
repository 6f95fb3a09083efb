import XCTest
@testable import Runtime

/// The encoder ops' backward passes against finite differences of their forward passes (float32,
/// the real kernels) and, for the convolution, against the exact adjoint summed in double.
///
/// Each op f is checked through the scalar φ(x) = Σ r · f(x) for a random r: its gradient is
/// the op's backward applied to r. Central differences of φ over every input coordinate must
/// agree with it to a relative error (‖g_fd − g‖ / ‖g‖) of at most 1e-2.
final class BackwardTests: XCTestCase {
    static let tolerance = 1e-2

    private func randomTensor(_ c: Int, _ h: Int, _ w: Int, seed: UInt64, _ lo: Float = -1, _ hi: Float = 1) -> Tensor {
        var rng = SeededFloats(seed: seed)
        return Tensor(channels: c, height: h, width: w, data: rng.array(c * h * w, lo, hi))
    }

    private func layer(_ cout: Int, _ cin: Int, _ k: Int, seed: UInt64) throws -> (Conv2D, [Float]) {
        let (conv, w, _) = try layerWithBias(cout, cin, k, seed: seed)
        return (conv, w)
    }

    private func layerWithBias(_ cout: Int, _ cin: Int, _ k: Int, seed: UInt64) throws -> (Conv2D, [Float], [Float]) {
        var rng = SeededFloats(seed: seed)
        let bound = Float(1 / Double(cin * k * k).squareRoot()) * 2
        let w = rng.array(cout * cin * k * k, -bound, bound)
        let b = rng.array(cout, -0.5, 0.5)
        return (try Conv2D(weight: w, bias: b, outChannels: cout, inChannels: cin, kernelSize: k), w, b)
    }

    /// Σ r · y in double.
    private func dot(_ r: Tensor, _ y: Tensor) -> Double {
        zip(r.data, y.data).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Central differences of `phi` at every coordinate of `x`.
    private func finiteDifferences(_ x: Tensor, step: Float, _ phi: (Tensor) throws -> Double) rethrows -> [Double] {
        var grad = [Double](repeating: 0, count: x.count)
        var probe = x
        for i in 0..<x.count {
            probe.data[i] = x.data[i] + step
            let up = try phi(probe)
            probe.data[i] = x.data[i] - step
            let down = try phi(probe)
            probe.data[i] = x.data[i]
            grad[i] = (up - down) / Double(2 * step)
        }
        return grad
    }

    private func relativeError(_ got: [Float], _ want: [Double]) -> Double {
        var diff = 0.0, norm = 0.0
        for (g, w) in zip(got, want) {
            diff += (Double(g) - w) * (Double(g) - w)
            norm += w * w
        }
        return (diff / max(norm, 1e-300)).squareRoot()
    }

    /// The exact adjoint of a reflection-padded conv applied to r, summed in double.
    private func doubleAdjoint(weight: [Float], cout: Int, cin: Int, k: Int, r: Tensor) -> [Double] {
        let (h, w) = (r.height, r.width)
        var g = [Double](repeating: 0, count: cin * h * w)
        for co in 0..<cout {
            for y in 0..<h {
                for x in 0..<w {
                    let ry = Double(r[co, y, x])
                    for ci in 0..<cin {
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let sy = NaiveConv.reflect(y + ky - k / 2, h), sx = NaiveConv.reflect(x + kx - k / 2, w)
                                g[(ci * h + sy) * w + sx] += Double(weight[((co * cin + ci) * k + ky) * k + kx]) * ry
                            }
                        }
                    }
                }
            }
        }
        return g
    }

    /// Convolutions of the encoder's kinds (3x3 reflection-padded, 1x1, odd sizes, the 2x2
    /// minimum, maps wide enough for Winograd) in every kernel family the CPU runs.
    func testConvInputGradientMatchesFiniteDifferencesAndDoubleAdjoint() throws {
        let shapes: [(cout: Int, cin: Int, k: Int, h: Int, w: Int)] = [
            (6, 4, 3, 6, 7), (7, 4, 3, 6, 5), (5, 3, 3, 2, 2), (3, 3, 1, 5, 4), (8, 5, 3, 3, 9), (16, 16, 3, 8, 30),
            (5, 3, 3, 35, 34),   // the ring's edge sums: 32 at a time, then a shorter tail
        ]
        for (n, s) in shapes.enumerated() {
            let (conv, weight) = try layer(s.cout, s.cin, s.k, seed: UInt64(10 + n))
            let backward = try ConvBackward(conv)
            let x = randomTensor(s.cin, s.h, s.w, seed: UInt64(20 + n))
            let r = randomTensor(s.cout, s.h, s.w, seed: UInt64(30 + n))
            let exact = doubleAdjoint(weight: weight, cout: s.cout, cin: s.cin, k: s.k, r: r)
            for family in Conv2D.kernelFamilies.reversed() {
                guard conv.useKernelFamily(family), backward.adjoint.useKernelFamily(family) else { continue }
                let g = try backward.inputGradient(r)
                XCTAssertEqual(g.channels, s.cin)
                XCTAssertLessThan(relativeError(g.data, exact), family >= 3 ? 1e-5 : 1e-6, "double adjoint \(s) family \(family)")
                let fd = try finiteDifferences(x, step: 0.05) { try dot(r, conv.forward($0, relu: false)) }
                XCTAssertLessThan(relativeError(g.data, fd), Self.tolerance, "finite differences \(s) family \(family)")
            }
        }
    }

    /// Conv followed by ReLU: the output gradient is masked where the output is zero. The
    /// seed is the first whose pre-activations all lie further from the kink than the finite
    /// difference step can move them (otherwise the differences straddle it and are wrong).
    func testReluBackwardMatchesFiniteDifferences() throws {
        let step: Float = 1e-3
        for seed in UInt64(1)...60 {
            let (conv, weight, bias) = try layerWithBias(7, 4, 3, seed: seed)
            let x = randomTensor(4, 6, 5, seed: seed + 100)
            let z = NaiveConv(weight: weight, bias: bias, outChannels: 7, inChannels: 4, kernelSize: 3).run(x, relu: false).values
            guard z.allSatisfy({ abs($0) > 0.005 }) else { continue }
            let r = randomTensor(7, 6, 5, seed: seed + 200)
            let y = try conv.forward(x, relu: true)
            XCTAssertTrue(y.data.contains(0) && y.data.contains { $0 > 0 }, "the test needs both sides of the kink")
            var masked = r
            masked.reluBackward(output: y)
            let backward = try ConvBackward(conv)
            let g = try backward.inputGradient(masked)
            let fd = try finiteDifferences(x, step: step) { try dot(r, conv.forward($0, relu: true)) }
            XCTAssertLessThan(relativeError(g.data, fd), Self.tolerance)
            // Without the mask the gradient is wrong: the check can fail.
            XCTAssertGreaterThan(relativeError(try backward.inputGradient(r).data, fd), 0.1)
            return
        }
        XCTFail("no seed kept every pre-activation away from the kink")
    }

    /// 2x2 max pool, including a dropped odd row and column.
    func testMaxPoolBackwardRoutesToTheArgmax() throws {
        for (h, w) in [(6, 8), (7, 9)] {
            let x = randomTensor(3, h, w, seed: UInt64(h * w))
            let r = randomTensor(3, h / 2, w / 2, seed: 77)
            let g = x.maxPoolBackward(r)
            let fd = finiteDifferences(x, step: 1e-4) { dot(r, $0.maxPooled()) }
            XCTAssertLessThan(relativeError(g.data, fd), Self.tolerance, "\(h)x\(w)")
            XCTAssertEqual(g.data.filter { $0 != 0 }.count, 3 * (h / 2) * (w / 2))
        }
    }

    /// The reflection-padding adjoint alone on a 1-channel identity conv: every border pixel
    /// of the padded map folds onto the pixel it reflects.
    func testIdentityConvGradientIsTheReflectionAdjoint() throws {
        var weight = [Float](repeating: 0, count: 9)
        weight[0] = 1   // tap (-1, -1): y[i][j] = x[reflect(i-1)][reflect(j-1)]
        let conv = try Conv2D(weight: weight, bias: [0], outChannels: 1, inChannels: 1, kernelSize: 3)
        let r = Tensor(channels: 1, height: 3, width: 3, repeating: 1)
        let g = try ConvBackward(conv).inputGradient(r)
        // Output rows 0,1,2 read input rows 1,0,1; columns likewise.
        XCTAssertEqual(g.data, [1, 2, 0, 2, 4, 0, 0, 0, 0])
    }

    /// The fused passes (adjoint + tap gradient + ReLU gate at the adjoint's store, then the
    /// gated ring; max-pool routing + tap gradient + ReLU gate) equal the separate ops they
    /// replace, on odd sizes, into reused storage: on the direct kernels (5 channels) and on
    /// the AVX2 Winograd's store (16 and 24 channels, 40 wide) where the CPU has it. The ring
    /// is added after the tap gradient, so sums round differently: equal to 1e-6 of the
    /// largest value, and exactly 0 wherever the gate is not positive.
    func testFusedPassesEqualTheSeparateOps() throws {
        for (cout, cin, h, w) in [(9, 5, 7, 33), (24, 16, 13, 40)] {
            let (conv, _) = try layer(cout, cin, 3, seed: 3)
            let backward = try ConvBackward(conv)
            let dy = randomTensor(cout, h, w, seed: 4)
            let extra = randomTensor(cin, h, w, seed: 5)
            let gate = randomTensor(cin, h, w, seed: 6)     // about half the entries <= 0
            var expected = try backward.inputGradient(dy)
            expected.add(extra)
            expected.reluBackward(output: gate)
            var fused = Tensor(channels: cin, height: h, width: w, repeating: 42)   // reused: every value overwritten
            try backward.inputGradient(dy, into: &fused, extra: extra, gate: gate)
            let largest = expected.data.map(abs).max()!
            XCTAssertGreaterThan(largest, 0.1)
            for i in expected.data.indices {
                if gate.data[i] > 0 {
                    XCTAssertEqual(fused.data[i], expected.data[i], accuracy: 1e-6 * largest, "\(cin) channels, element \(i)")
                } else {
                    XCTAssertEqual(fused.data[i], 0, "\(cin) channels, element \(i)")
                }
            }
        }

        // 10x38 and 9x35 run the AVX2 routing (8 windows a step) and its scalar tail; the
        // coarse copies (values in steps of 0.5) make ties, where the first in row order wins.
        for (h, w, coarse) in [(6, 8, false), (7, 9, false), (10, 38, false), (9, 35, false), (10, 38, true), (9, 35, true)] {
            var input = randomTensor(3, h, w, seed: UInt64(h))
            if coarse { input.data = input.data.map { ($0 * 2).rounded() / 2 } }
            let dout = randomTensor(3, h / 2, w / 2, seed: 8)
            let tap = randomTensor(3, h, w, seed: 9)
            var want = input.maxPoolBackward(dout)
            want.add(tap)
            want.reluBackward(output: input)
            var got = Tensor(channels: 3, height: h, width: w, repeating: 7)
            input.maxPoolBackward(dout, into: &got, extra: tap, relu: true)
            XCTAssertEqual(got.data, want.data, "\(h)x\(w) coarse \(coarse)")
            var plain = Tensor(channels: 1, height: 1, width: 1)
            input.maxPoolBackward(dout, into: &plain, relu: false)
            XCTAssertEqual(plain.data, input.maxPoolBackward(dout).data)
            var reluOnly = Tensor(channels: 1, height: 1, width: 1)
            input.maxPoolBackward(dout, into: &reluOnly, relu: true)
            var masked = input.maxPoolBackward(dout)
            masked.reluBackward(output: input)
            XCTAssertEqual(reluOnly.data, masked.data, "\(h)x\(w) coarse \(coarse), ReLU without a tap")
        }
    }
}

extension Tensor {
    fileprivate mutating func add(_ other: Tensor) {
        for i in data.indices { data[i] += other.data[i] }
    }
}
