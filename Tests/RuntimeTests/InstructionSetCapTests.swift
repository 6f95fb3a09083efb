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
}
