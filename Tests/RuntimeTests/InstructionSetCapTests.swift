import CKernels
@testable import Runtime
import XCTest

/// `ak_isa_cap` (and ATELIER_ISA) lower the instruction set every kernel choice uses, so tests
/// on an AVX-512 host can run the AVX2 and scalar paths too: layers created under a cap pick
/// that cap's kernel family, and lifting the cap brings the CPU's best back.
final class InstructionSetCapTests: XCTestCase {
    private func layer() throws -> Conv2D {
        let weight: [Float] = (0..<(32 * 32 * 9)).map { (i: Int) -> Float in Float(i % 7) * 0.01 - 0.03 }
        return try Conv2D(weight: weight, bias: [Float](repeating: 0.1, count: 32), outChannels: 32, inChannels: 32,
                          kernelSize: 3, padding: .reflect, activation: .relu)
    }

    func testLayersCreatedUnderACapUseThatCapsKernels() throws {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        let cpu = ak_isa_cpu()
        XCTAssertEqual(ak_isa(), cpu)
        let best = try layer().kernelFamily
        XCTAssertEqual(best, cpu == AK_ISA_AVX512 ? 3 : cpu == AK_ISA_AVX2 ? 4 : 0)

        _ = ak_isa_cap(Int32(AK_ISA_AVX2))
        XCTAssertEqual(ak_isa(), min(cpu, Int32(AK_ISA_AVX2)))
        XCTAssertEqual(try layer().kernelFamily, cpu >= AK_ISA_AVX2 ? 4 : 0)

        XCTAssertEqual(ak_isa_cap(Int32(AK_ISA_SCALAR)), Int32(AK_ISA_AVX2), "the cap returns the previous one")
        XCTAssertEqual(ak_isa(), Int32(AK_ISA_SCALAR))
        XCTAssertEqual(try layer().kernelFamily, 0, "no vector kernels under the scalar cap")

        _ = ak_isa_cap(Int32(AK_ISA_AVX512))
        XCTAssertEqual(try layer().kernelFamily, best, "lifting the cap brings the CPU's best family back")
    }

    func testTheSameLayerAgreesUnderEveryCap() throws {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        var rng = SeededFloats(seed: 7)
        let x = Tensor(channels: 32, height: 19, width: 70, data: rng.array(32 * 19 * 70, -1, 2))
        var outputs: [[Float]] = []
        for level in [AK_ISA_SCALAR, AK_ISA_AVX2, AK_ISA_AVX512] where level <= ak_isa_cpu() {
            _ = ak_isa_cap(Int32(level))
            outputs.append(try layer().forward(x, relu: true, pool: WorkerPool(threads: 2)).data)
        }
        for o in outputs.dropFirst() {
            var worst: Float = 0
            for i in o.indices { worst = max(worst, abs(o[i] - outputs[0][i]) / (1 + abs(outputs[0][i]))) }
            XCTAssertLessThan(worst, 2e-5)
        }
    }

    /// On every path, a layer's bits do not depend on how its rows are split into bands (the
    /// split follows the thread count; the row pass runs a few rows at a time): 1-3 threads and
    /// bands of 4 and 8 rows give the same values. The portable path calls sgemm once per row
    /// for this (OpenBLAS sums differently for other matrix sizes: 1,141 of the 19,200 values of
    /// a 32->32 layer on 30x20 differed between 1 and 3 threads before).
    func testEveryPathGivesTheSameBitsWhateverTheBands() throws {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        var rng = SeededFloats(seed: 23)
        let shapes: [(Int, Int, Int, Int, Int, ConvPadding)] = [(32, 32, 3, 30, 20, .reflect), (24, 16, 1, 13, 17, .zero),
                                                                 (3, 16, 3, 37, 70, .reflect), (64, 48, 3, 9, 5, .zero)]
        for level in [AK_ISA_SCALAR, AK_ISA_AVX2, AK_ISA_AVX512] where level <= ak_isa_cpu() {
            _ = ak_isa_cap(Int32(level))
            for (cin, cout, k, h, w, padding) in shapes {
                let conv = try Conv2D(weight: rng.array(cout * cin * k * k, -0.3, 0.3), bias: rng.array(cout, -0.5, 0.5),
                                      outChannels: cout, inChannels: cin, kernelSize: k, padding: padding, activation: .relu)
                let x = Tensor(channels: cin, height: h, width: w, data: rng.array(cin * h * w, -1, 1))
                let one = try conv.forward(x, relu: true, pool: WorkerPool(threads: 1), bandRows: nil).data
                for (threads, rows) in [(2, nil), (3, nil), (2, 4), (3, 8)] as [(Int, Int?)] {
                    let other = try conv.forward(x, relu: true, pool: WorkerPool(threads: threads), bandRows: rows).data
                    XCTAssertEqual(zip(one, other).filter { $0.bitPattern != $1.bitPattern }.count, 0,
                                   "level \(level), \(cin)->\(cout) k \(k) on \(h)x\(w), \(threads) threads, bands of \(rows.map(String.init) ?? "any") rows")
                }
            }
        }
    }
}
