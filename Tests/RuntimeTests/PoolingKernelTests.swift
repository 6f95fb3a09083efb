import CKernels
@testable import Runtime
import XCTest

/// The vector 2x2 max pool and 2x upsample against naive loops: odd and even sizes (rows
/// narrower than one vector, a vector plus a remainder, several vectors), negative values, 1 to
/// 3 threads, on the AVX2 and the scalar path. Both are exact (a maximum and copies), so the
/// values must be equal.
final class PoolingKernelTests: XCTestCase {
    /// Runs `body` under each instruction-set cap the CPU has (the cap restored after), with its name.
    private func onEveryPath(_ body: (String) -> Void) {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        for (level, name) in [(AK_ISA_SCALAR, "scalar"), (AK_ISA_AVX2, "avx2")] where Int32(level) <= ak_isa_cpu() {
            _ = ak_isa_cap(Int32(level))
            body(name)
        }
    }

    private let shapes = [(1, 1), (2, 2), (3, 5), (4, 16), (5, 17), (7, 33), (9, 40), (2, 64), (6, 95)]

    private func map(channels: Int, height: Int, width: Int, seed: UInt64) -> Tensor {
        var state = seed
        let values = (0..<(channels * height * width)).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) % 2001 - 1000) / 37
        }
        return Tensor(channels: channels, height: height, width: width, data: values)
    }

    /// The naive 2x2 maximum of `x` (fmaxf's rule: NaN only where all four are NaN).
    private func naiveMaxPool(_ x: Tensor) -> [Float] {
        let (h, w) = (x.height, x.width)
        var expected: [Float] = []
        for c in 0..<x.channels {
            for oy in 0..<(h / 2) {
                for ox in 0..<(w / 2) {
                    let at = { (dy: Int, dx: Int) in x.data[(c * h + 2 * oy + dy) * w + 2 * ox + dx] }
                    expected.append(Float.maximum(Float.maximum(at(0, 0), at(0, 1)), Float.maximum(at(1, 0), at(1, 1))))
                }
            }
        }
        return expected
    }

    func testMaxPoolMatchesTheNaiveMaximumOfEachTwoByTwo() {
        onEveryPath { path in
            for threads in 1...3 {
                let pool = WorkerPool(threads: threads)
                for (h, w) in shapes where h >= 2 && w >= 2 {  // a tensor has at least one row and column
                    let x = map(channels: 3, height: h, width: w, seed: UInt64(h * 100 + w))
                    let y = x.maxPooled(pool: pool)
                    XCTAssertEqual([y.channels, y.height, y.width], [3, h / 2, w / 2])
                    XCTAssertEqual(y.data, naiveMaxPool(x), "\(h)x\(w), \(threads) threads, \(path)")
                }
            }
        }
    }

    /// NaN inputs (one to four of a window, in the vector part and at the row ends): every path
    /// keeps fmaxf's rule, so a window gives NaN only when all four of its inputs are NaN.
    func testMaxPoolTreatsNaNAsFmaxfDoesOnEveryPath() {
        onEveryPath { path in
            let pool = WorkerPool(threads: 2)
            for (h, w) in [(4, 16), (5, 17), (6, 95)] {
                var x = map(channels: 2, height: h, width: w, seed: UInt64(h * 10 + w))
                var state: UInt64 = 99
                for i in x.data.indices {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    if state >> 62 != 0 { x.data[i] = .nan }  // three in four: windows of every NaN count
                }
                let y = x.maxPooled(pool: pool).data
                let expected = naiveMaxPool(x)
                XCTAssertTrue(expected.contains { $0.isNaN } && expected.contains { !$0.isNaN })
                XCTAssertEqual(y.count, expected.count)
                let mismatches = zip(y, expected).filter { a, b in a.isNaN != b.isNaN || (!a.isNaN && a != b) }.count
                XCTAssertEqual(mismatches, 0, "\(h)x\(w), \(path)")
            }
        }
    }

    func testUpsampleRepeatsEveryPixelOnTwoRowsAndTwoColumns() {
        onEveryPath { path in
            for threads in 1...3 {
                let pool = WorkerPool(threads: threads)
                for (h, w) in shapes {
                    let x = map(channels: 3, height: h, width: w, seed: UInt64(h * 1000 + w))
                    let y = x.upsampled(pool: pool)
                    XCTAssertEqual([y.channels, y.height, y.width], [3, 2 * h, 2 * w])
                    var expected: [Float] = []
                    for c in 0..<3 {
                        for oy in 0..<(2 * h) {
                            for ox in 0..<(2 * w) { expected.append(x.data[(c * h + oy / 2) * w + ox / 2]) }
                        }
                    }
                    XCTAssertEqual(y.data, expected, "\(h)x\(w), \(threads) threads, \(path)")
                }
            }
        }
    }
}
