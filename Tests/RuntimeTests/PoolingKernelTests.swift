@testable import Runtime
import XCTest

/// The vector 2x2 max pool and 2x upsample against naive loops: odd and even sizes (rows
/// narrower than one vector, a vector plus a remainder, several vectors), negative values, 1 to
/// 3 threads. Both are exact (a maximum and copies), so the values must be equal.
final class PoolingKernelTests: XCTestCase {
    private let shapes = [(1, 1), (2, 2), (3, 5), (4, 16), (5, 17), (7, 33), (9, 40), (2, 64), (6, 95)]

    private func map(channels: Int, height: Int, width: Int, seed: UInt64) -> Tensor {
        var state = seed
        let values = (0..<(channels * height * width)).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(state >> 40) % 2001 - 1000) / 37
        }
        return Tensor(channels: channels, height: height, width: width, data: values)
    }

    func testMaxPoolMatchesTheNaiveMaximumOfEachTwoByTwo() {
        for threads in 1...3 {
            let pool = WorkerPool(threads: threads)
            for (h, w) in shapes where h >= 2 && w >= 2 {  // a tensor has at least one row and column
                let x = map(channels: 3, height: h, width: w, seed: UInt64(h * 100 + w))
                let y = x.maxPooled(pool: pool)
                XCTAssertEqual([y.channels, y.height, y.width], [3, h / 2, w / 2])
                var expected: [Float] = []
                for c in 0..<3 {
                    for oy in 0..<(h / 2) {
                        for ox in 0..<(w / 2) {
                            let at = { (dy: Int, dx: Int) in Double(x.data[(c * h + 2 * oy + dy) * w + 2 * ox + dx]) }
                            expected.append(Float(Swift.max(Swift.max(at(0, 0), at(0, 1)), Swift.max(at(1, 0), at(1, 1)))))
                        }
                    }
                }
                XCTAssertEqual(y.data, expected, "\(h)x\(w), \(threads) threads")
            }
        }
    }

    func testUpsampleRepeatsEveryPixelOnTwoRowsAndTwoColumns() {
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
                XCTAssertEqual(y.data, expected, "\(h)x\(w), \(threads) threads")
            }
        }
    }
}
