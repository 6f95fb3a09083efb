import XCTest
@testable import Runtime

/// `Conv2D` against the naive double-precision reference on random layers of the model's
/// shapes and on awkward sizes, and banding/threading invariance.
final class ConvRandomTests: XCTestCase {
    /// Bound on |got - want| / (sum of |terms|) for the direct families: float32 accumulation
    /// error stays below this for these sizes (measured <= 5e-7); a wrong tap or a wrong
    /// reflection gives errors of order 0.1.
    static let relativeTolerance = 2e-6
    /// The same for Winograd F(4x4, 3x3), whose transforms round more (measured <= 5e-6 here;
    /// the model's golden cases stay far inside their tolerance with it).
    static let winogradTolerance = 2e-5

    private func tolerance(_ family: Int) -> Double {
        family >= 3 ? Self.winogradTolerance : Self.relativeTolerance
    }

    private func layer(_ cout: Int, _ cin: Int, _ k: Int, seed: UInt64) throws -> (Conv2D, NaiveConv) {
        var rng = SeededFloats(seed: seed)
        let bound = Float(1 / (Double(cin * k * k)).squareRoot()) * 2
        let w = rng.array(cout * cin * k * k, -bound, bound)
        let b = rng.array(cout, -0.5, 0.5)
        return (try Conv2D(weight: w, bias: b, outChannels: cout, inChannels: cin, kernelSize: k),
                NaiveConv(weight: w, bias: b, outChannels: cout, inChannels: cin, kernelSize: k))
    }

    private func input(_ c: Int, _ h: Int, _ w: Int, seed: UInt64) -> Tensor {
        var rng = SeededFloats(seed: seed)
        // Non-negative like post-ReLU features, with a few large values.
        let data = (0..<(c * h * w)).map { _ -> Float in
            let v = rng.next(0, 2)
            return rng.next() > 0.98 ? v * 20 : v
        }
        return Tensor(channels: c, height: h, width: w, data: data)
    }

    /// Largest error relative to each output's scale.
    private func worstRelativeError(_ got: Tensor, _ want: (values: [Double], scale: [Double])) -> Double {
        var worst = 0.0
        for i in 0..<got.count {
            worst = max(worst, abs(Double(got.data[i]) - want.values[i]) / (want.scale[i] + 1e-6))
        }
        return worst
    }

    /// Kernel families to check: every one this CPU runs (0 sgemm, 1 AVX2, 2 AVX-512 direct,
    /// 3 AVX-512 Winograd, 4 AVX2 Winograd).
    private func families(of conv: Conv2D) -> [Int] {
        Conv2D.kernelFamilies.reversed().filter { conv.useKernelFamily($0) }
    }

    func testModelShapesMatchNaiveReference() throws {
        let shapes: [(cout: Int, cin: Int, k: Int, h: Int, w: Int)] = [
            (3, 3, 1, 19, 21), (24, 3, 3, 17, 23), (24, 24, 3, 16, 16), (32, 24, 3, 9, 31),
            (32, 32, 3, 12, 5), (64, 32, 3, 5, 7), (64, 64, 3, 8, 8), (128, 64, 3, 6, 4),
            (128, 128, 3, 4, 4), (64, 128, 3, 3, 2), (3, 24, 3, 20, 13), (24, 24, 3, 2, 2),
            (64, 128, 1, 7, 9), (5, 7, 3, 33, 35), (1, 1, 3, 2, 40), (12, 6, 3, 7, 50),
            (2, 5, 1, 3, 70), (13, 3, 3, 3, 129),
            // Wide enough (>= 64) for the Winograd family: partial tile blocks, odd widths,
            // heights that are not multiples of 4, h = 2, channel counts not multiples of 8.
            (24, 24, 3, 9, 70), (16, 32, 3, 13, 64), (40, 16, 3, 6, 130), (128, 128, 3, 5, 67),
            (64, 64, 3, 2, 64), (24, 24, 3, 3, 250), (20, 17, 3, 7, 97), (128, 64, 3, 4, 200),
        ]
        for (i, s) in shapes.enumerated() {
            let (conv, naive) = try layer(s.cout, s.cin, s.k, seed: UInt64(i + 1))
            let x = input(s.cin, s.h, s.w, seed: UInt64(100 + i))
            let want = [false, true].map { naive.run(x, relu: $0) }
            for family in families(of: conv) {
                XCTAssertTrue(conv.useKernelFamily(family))
                for (j, relu) in [false, true].enumerated() {
                    let got = try conv.forward(x, relu: relu)
                    XCTAssertEqual(got.channels, s.cout)
                    XCTAssertEqual(got.height, s.h)
                    XCTAssertEqual(got.width, s.w)
                    let err = worstRelativeError(got, want[j])
                    XCTAssertLessThan(err, tolerance(family), "shape \(s) relu \(relu) family \(family)")
                }
            }
        }
    }

    func testReLUClampsOnlyNegatives() throws {
        let (conv, _) = try layer(24, 24, 3, seed: 7)
        let x = input(24, 10, 12, seed: 8)
        let plain = try conv.forward(x, relu: false), clamped = try conv.forward(x, relu: true)
        XCTAssertTrue(plain.data.contains { $0 < 0 }, "test needs some negative outputs")
        XCTAssertEqual(clamped.data, plain.data.map { max($0, 0) })
    }

    func testAnyBandSplitGivesIdenticalResults() throws {
        for (cout, cin, k, h, w) in [(32, 24, 3, 13, 18), (24, 3, 3, 16, 16), (16, 8, 1, 9, 5),
                                     (3, 24, 3, 11, 140), (32, 24, 3, 14, 75)] {
            let (conv, _) = try layer(cout, cin, k, seed: 11)
            let x = input(cin, h, w, seed: 12)
            for family in families(of: conv) {
                XCTAssertTrue(conv.useKernelFamily(family))
                let whole = try conv.forward(x, relu: true, pool: WorkerPool(threads: 1), bandRows: h)
                let what = "\(cout)x\(cin)x\(k) at \(h)x\(w), family \(family)"
                for rows in [1, 2, 3, 4, 5, 7, h - 1] {
                    let banded = try conv.forward(x, relu: true, pool: .shared, bandRows: rows)
                    assertSameValues(banded, whole, exact: family > 0, "\(what), bands of \(rows)")
                }
                assertSameValues(try conv.forward(x, relu: true), whole, exact: family > 0, "\(what), default bands")
            }
        }
    }

    /// Banding must not change results: the direct kernels sum in the same order whatever the
    /// band, so they must match exactly. The sgemm family may round differently with the band
    /// width (OpenBLAS picks edge kernels by N), so it is allowed float32 rounding noise only.
    private func assertSameValues(_ got: Tensor, _ want: Tensor, exact: Bool, _ what: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        for i in 0..<min(got.count, want.count) {
            let a = got.data[i], b = want.data[i]
            if exact ? a != b : abs(a - b) > 1e-5 * max(1, abs(b)) {
                XCTFail("\(what): element \(i) is \(a), unbanded \(b)", file: file, line: line)
                return
            }
        }
    }

    func testForwardIntoReusesStorageAndKeepsValueSemantics() throws {
        let (conv, _) = try layer(32, 24, 3, seed: 31)
        let x = input(24, 9, 70, seed: 32), y = input(24, 9, 70, seed: 33)
        let wantX = try conv.forward(x, relu: true), wantY = try conv.forward(y, relu: false)
        // Wrong shape: replaced by a fresh result.
        var out = Tensor(channels: 1, height: 1, width: 1)
        try conv.forward(x, relu: true, into: &out)
        XCTAssertEqual(out, wantX)
        // Right shape, unshared: same storage, new values.
        let before = out.data.withUnsafeBufferPointer { $0.baseAddress }
        try conv.forward(y, relu: false, into: &out)
        XCTAssertEqual(out, wantY)
        XCTAssertEqual(out.data.withUnsafeBufferPointer { $0.baseAddress }, before)
        // Shared: the other holder keeps its values.
        let held = out
        try conv.forward(x, relu: true, into: &out)
        XCTAssertEqual(out, wantX)
        XCTAssertEqual(held, wantY)
        // Bad input: error, output untouched.
        XCTAssertThrowsError(try conv.forward(input(3, 9, 70, seed: 34), relu: true, into: &out))
        XCTAssertEqual(out, wantX)
    }

    func testLargeMapMatchesReference() throws {
        // Big enough to exercise full-width vector paths and many bands.
        let (conv, naive) = try layer(32, 24, 3, seed: 21)
        let x = input(24, 67, 97, seed: 22)
        let want = naive.run(x, relu: true)
        for family in families(of: conv) {
            XCTAssertTrue(conv.useKernelFamily(family))
            let got = try conv.forward(x, relu: true)
            XCTAssertLessThan(worstRelativeError(got, want), tolerance(family), "family \(family)")
        }
    }
}

/// Direct, obviously-correct convolution used as the reference in the conv tests: every
/// output is a double-precision sum over the (reflected) neighbourhood, with the sum of the
/// absolute terms kept alongside so comparisons can use a relative tolerance.
struct NaiveConv {
    let weight: [Float]
    let bias: [Float]
    let outChannels: Int
    let inChannels: Int
    let kernelSize: Int

    /// numpy 'reflect': -1 -> 1, n -> n - 2.
    static func reflect(_ i: Int, _ n: Int) -> Int {
        i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i)
    }

    /// Output values and, per output, the sum of |weight * input| plus |bias| (its scale).
    func run(_ x: Tensor, relu: Bool) -> (values: [Double], scale: [Double]) {
        let h = x.height, w = x.width, k = kernelSize, r = k / 2
        var values = [Double](repeating: 0, count: outChannels * h * w)
        var scale = values
        for co in 0..<outChannels {
            for y in 0..<h {
                for xx in 0..<w {
                    var sum = Double(bias[co]), mag = abs(Double(bias[co]))
                    for ci in 0..<inChannels {
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let sy = Self.reflect(y + ky - r, h), sx = Self.reflect(xx + kx - r, w)
                                let term = Double(weight[((co * inChannels + ci) * k + ky) * k + kx])
                                    * Double(x[ci, sy, sx])
                                sum += term
                                mag += abs(term)
                            }
                        }
                    }
                    let i = (co * h + y) * w + xx
                    values[i] = relu ? max(sum, 0) : sum
                    scale[i] = mag
                }
            }
        }
        return (values, scale)
    }
}

/// Deterministic pseudo-random floats (xorshift), so failures reproduce.
struct SeededFloats {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    /// A float uniform in [lo, hi).
    mutating func next(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return lo + (hi - lo) * Float(state >> 40) / Float(1 << 24)
    }

    /// `count` floats uniform in [lo, hi).
    mutating func array(_ count: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
        (0..<count).map { _ in next(lo, hi) }
    }
}
