@testable import Runtime
import XCTest

/// The small ops against values worked out by hand.
final class OpsTests: XCTestCase {
    private let pool = WorkerPool(threads: 2)

    private func tensor(_ channels: Int, _ height: Int, _ width: Int, _ values: [Float]) -> Tensor {
        Tensor(channels: channels, height: height, width: width, data: values)
    }

    func testMaxPoolTakesTheLargestOfEachTwoByTwoAndDropsAnOddEdge() {
        let x = tensor(1, 3, 5, [1, 5, 2, 0, 9,
                                 3, 4, 8, 1, 9,
                                 7, 7, 7, 7, 7])
        let y = x.maxPooled(pool: pool)
        XCTAssertEqual([y.channels, y.height, y.width], [1, 1, 2])
        XCTAssertEqual(y.data, [5, 8])
    }

    func testUpsampleRepeatsEachPixelTwiceInBothDirections() {
        let x = tensor(2, 1, 2, [1, 2, 3, 4])
        let y = x.upsampled(pool: pool)
        XCTAssertEqual([y.height, y.width], [2, 4])
        XCTAssertEqual(y.data, [1, 1, 2, 2, 1, 1, 2, 2,
                                3, 3, 4, 4, 3, 3, 4, 4])
    }

    func testReflectPaddingMirrorsWithoutRepeatingTheEdge() {
        // numpy: np.pad([[1,2,3],[4,5,6]], ((0,2),(0,3)), mode='reflect')
        let x = tensor(1, 2, 3, [1, 2, 3, 4, 5, 6])
        let y = x.reflectPadded(bottom: 2, right: 3, pool: pool)
        XCTAssertEqual([y.height, y.width], [4, 6])
        XCTAssertEqual(y.data, [1, 2, 3, 2, 1, 2,
                                4, 5, 6, 5, 4, 5,
                                1, 2, 3, 2, 1, 2,
                                4, 5, 6, 5, 4, 5])
    }

    func testCropKeepsTheTopLeftWindow() {
        let x = tensor(2, 2, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        XCTAssertEqual(x.cropped(height: 1, width: 2).data, [1, 2, 7, 8])
    }

    func testChannelStatisticsArePopulationStatistics() {
        let x = tensor(2, 1, 4, [1, 2, 3, 4, 10, 10, 10, 10])
        let (mean, std) = x.channelStatistics(pool: pool)
        XCTAssertEqual(mean[0], 2.5, accuracy: 1e-12)
        XCTAssertEqual(std[0], (1.25).squareRoot(), accuracy: 1e-12)   // var = (2.25+0.25+0.25+2.25)/4
        XCTAssertEqual(mean[1], 10, accuracy: 1e-12)
        XCTAssertEqual(std[1], 0, accuracy: 1e-12)
    }

    func testMaskedStatisticsWeighEachPixel() {
        let x = tensor(1, 1, 4, [1, 2, 3, 100])
        let (mean, std) = x.channelStatistics(mask: [1, 1, 2, 0], pool: pool)
        XCTAssertEqual(mean[0], 9.0 / 4.0, accuracy: 1e-12)             // (1 + 2 + 6) / 4
        let variance: Double = (1.25 * 1.25 + 0.25 * 0.25 + 2 * 0.75 * 0.75) / 4
        XCTAssertEqual(std[0], variance.squareRoot(), accuracy: 1e-12)
    }

    func testCovarianceDividesByCountMinusOne() {
        // Channels a = [1,2,3,4], b = [2,4,6,8]: var a = 5/3, cov = 10/3, var b = 20/3.
        let x = tensor(2, 2, 2, [1, 2, 3, 4, 2, 4, 6, 8])
        let (mean, cov) = x.covariance(pool: pool)
        XCTAssertEqual(mean, [2.5, 5])
        XCTAssertEqual(cov.values[0], 5.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(cov.values[1], 10.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(cov.values[2], 10.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(cov.values[3], 20.0 / 3, accuracy: 1e-12)
    }

    func testCovarianceOverManyChunksMatchesADirectSum() {
        let n = 3 * 4096 + 17
        var values = [Float](repeating: 0, count: 3 * n)
        for i in 0..<n {
            values[i] = Float(i % 7)
            values[n + i] = Float((i * 3) % 11) - 5
            values[2 * n + i] = Float(i % 7) * 0.5 + Float(i % 2)
        }
        let x = tensor(3, 1, n, values)
        let mask = (0..<n).map { Float($0 % 3) / 2 }
        let (mean, cov) = x.covariance(mask: mask, pool: pool)
        let wsum = mask.reduce(0.0) { $0 + Double($1) }
        for a in 0..<3 {
            for b in 0..<3 {
                var s = 0.0
                for i in 0..<n {
                    s += Double(mask[i]) * (Double(values[a * n + i]) - mean[a]) * (Double(values[b * n + i]) - mean[b])
                }
                XCTAssertEqual(cov.values[a * 3 + b], s / (wsum - 1), accuracy: 1e-9 * max(1, abs(s)))
            }
        }
    }

    func testEigendecompositionOfAKnownMatrix() throws {
        // [[2,1],[1,2]] has eigenvalues 1 and 3 with eigenvectors (1,-1)/sqrt2 and (1,1)/sqrt2.
        let m = SymmetricMatrix(order: 2, values: [2, 1, 1, 2])
        let (values, vectors) = try m.eigendecomposition()
        XCTAssertEqual(values[0], 1, accuracy: 1e-12)
        XCTAssertEqual(values[1], 3, accuracy: 1e-12)
        XCTAssertEqual(abs(vectors[0 * 2 + 1]), 1 / 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(vectors[0 * 2 + 1], vectors[1 * 2 + 1], accuracy: 1e-12)   // column 1 is (1,1)/sqrt2 up to sign
        XCTAssertEqual(vectors[0 * 2 + 0], -vectors[1 * 2 + 0], accuracy: 1e-12)  // column 0 is (1,-1)/sqrt2
    }

    func testSpectralSquareRootSquaresBack() throws {
        let m = SymmetricMatrix(order: 3, values: [4, 1, 0, 1, 3, 1, 0, 1, 2])
        let root = try m.spectralFunction { $0.squareRoot() }
        let square = matrixProduct(root.values, root.values, m: 3, k: 3, n: 3)
        for (a, b) in zip(square, m.values) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    }

    func testChannelMixIsAMatrixTimesEveryPixelPlusBias() {
        let x = tensor(2, 1, 3, [1, 2, 3, 4, 5, 6])
        let y = x.channelMix([1, 1, 0, 2], outChannels: 2, bias: [10, -1], pool: pool)
        XCTAssertEqual(y.data, [15, 17, 19, 7, 9, 11])
    }

    func testChannelAffineAndMixAndAccumulate() {
        let x = tensor(2, 1, 2, [1, 2, 3, 4])
        XCTAssertEqual(x.channelAffine(scale: [2, -1], shift: [1, 0], pool: pool).data, [3, 5, -3, -4])
        XCTAssertEqual(x.mixed(with: tensor(2, 1, 2, [0, 0, 0, 0]), alpha: 0.25).data, [0.25, 0.5, 0.75, 1])
        var acc = tensor(2, 1, 2, [1, 1, 1, 1])
        acc.accumulate(x, mask: [0.5, 0], pool: pool)
        XCTAssertEqual(acc.data, [1.5, 1, 2.5, 1])
    }

    func testParallelForRunsEveryIterationExactlyOnceAndNestsSerially() {
        let lock = NSLock()
        var counts = [Int](repeating: 0, count: 100)
        pool.parallelFor(10) { i in
            pool.parallelFor(10) { j in
                lock.withLock { counts[i * 10 + j] += 1 }
            }
        }
        XCTAssertEqual(counts, [Int](repeating: 1, count: 100))
    }

    /// Each iteration waits until the other one has started: passes only when a worker thread
    /// runs one of them while the caller runs the other, with idle workers spinning or asleep.
    func testAWorkerTakesPartInEveryLoopBesideTheCaller() {
        for spin: UInt64 in [0, 100_000] {
            let pool = WorkerPool(threads: 2, spinNanoseconds: spin)
            for _ in 0..<20 {
                let started = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
                let met = NSLock()
                var bothRunning = 0
                pool.parallelFor(2) { i in
                    started[i].signal()
                    if started[1 - i].wait(timeout: .now() + 30) == .success { met.withLock { bothRunning += 1 } }
                }
                XCTAssertEqual(bothRunning, 2, "spin \(spin) ns: the two iterations did not overlap")
            }
            XCTAssertGreaterThanOrEqual(pool.loopsJoinedByWorkers, 20)
            Thread.sleep(forTimeInterval: 0.01)   // the worker outlives its spin and sleeps
            var counts = [Int](repeating: 0, count: 64)
            let lock = NSLock()
            pool.parallelFor(64) { i in lock.withLock { counts[i] += 1 } }
            XCTAssertEqual(counts, [Int](repeating: 1, count: 64), "spin \(spin) ns: after sleeping")
        }
    }

    func testParallelForFromTwoThreadsAtOnce() {
        let group = DispatchGroup()
        final class Counter: @unchecked Sendable {
            let lock = NSLock()
            var total = 0
        }
        let counter = Counter()
        let pool = self.pool
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<50 {
                    pool.parallelFor(8) { _ in counter.lock.withLock { counter.total += 1 } }
                }
            }
        }
        group.wait()
        XCTAssertEqual(counter.total, 4 * 50 * 8)
    }
}
