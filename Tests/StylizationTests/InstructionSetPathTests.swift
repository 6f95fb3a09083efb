import CKernels
import Foundation
import Runtime
@testable import Stylization
import XCTest

/// Every instruction-set path this CPU has (scalar, AVX2, AVX-512), each family's small golden
/// cases rendered on each: within the golden tolerances, the AVX2 path within a tighter bound of
/// the scalar one, and the AVX-512 path bit for bit the AVX2 one (its kernels are wider ports of
/// the AVX2 ones, same summation order). CI runs on an AVX-512 host, where the AVX2 and scalar
/// kernels would otherwise never run; the models are made afresh under each `ak_isa_cap`, since
/// layers choose their kernels when they are created. About 6 s in a debug build.
final class InstructionSetPathTests: XCTestCase {
    /// How far the AVX2 path may stray from the scalar one: this fraction of the case's golden
    /// tolerances (mean and largest absolute difference). Measured on Zen 5: at most 0.03 of the
    /// mean tolerance (encode_l5), 0.01 of the largest.
    static let agreement = 0.1

    func testUST16xEncoderAndDecoder() throws {
        try onEveryPath(UST16xCase.self, ["encode_l5", "decode_l5", "full_adain_alpha06"]) { golden in try golden.run(model: TestModel.fresh()) }
    }

    func testUST16xAdaINAndWCT() throws {
        try onEveryPath(UST16xCase.self, ["padding_150x100", "fast_wct", "mask_left_right", "color_match_wct"]) { golden in try golden.run(model: TestModel.fresh()) }
    }

    func testMagenta() throws {
        try onEveryPath(ModelCase.self, ["magenta_predict", "magenta_content_vector", "magenta_odd_101x75", "magenta_region_left_right"]) { golden in
            try golden.run(arbitrary: TestMagentaModels.freshArbitrary())
        }
    }

    func testCIN26() throws {
        try onEveryPath(ModelCase.self, ["cin26_odd_101x75", "cin26_region_soft", "cin26_strength06_luminance"]) { golden in
            try golden.run(cin26: TestMagentaModels.freshCIN26())
        }
    }

    func testRealESRGAN() throws {
        try onEveryPath(UpscalerCase.self, ["realesrgan_x4plus_32", "realesrgan_animevideov3_48", "realesrgan_animevideov3_tiled"]) { golden in
            try golden.run(network: TestUpscalers.fresh(golden.parameters.model))
        }
    }

    /// The instruction-set levels this CPU has, scalar first.
    private static var levels: [Int32] {
        [AK_ISA_SCALAR, AK_ISA_AVX2, AK_ISA_AVX512].map { Int32($0) }.filter { $0 <= ak_isa_cpu() }
    }

    private static func label(_ level: Int32) -> String {
        ["scalar", "avx2", "avx512"][Int(level)]
    }

    /// Runs each named case under each level's cap (the cap restored after), checks each output
    /// against the golden expectation, then each vector path against the scalar output.
    private func onEveryPath<P>(_: GoldenCase<P>.Type, _ names: [String], file: StaticString = #filePath, line: UInt = #line,
                                run: (GoldenCase<P>) throws -> [Float]) throws {
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))
        defer { _ = ak_isa_cap(previous) }
        XCTAssertGreaterThanOrEqual(ak_isa_cpu(), Int32(AK_ISA_AVX2), "CI's hosts have AVX2 at least", file: file, line: line)
        for name in names {
            let golden = try GoldenCase<P>(name: name)
            var outputs: [(level: Int32, values: [Float])] = []
            for level in Self.levels {
                _ = ak_isa_cap(level)
                let values = try run(golden)
                try golden.assertMatchesExpected(values, label: "on \(Self.label(level))", file: file, line: line)
                outputs.append((level, values))
            }
            let scalar = outputs[0].values
            for (level, values) in outputs.dropFirst() where values.count == scalar.count {
                let what = "\(name): \(Self.label(level))"
                if level == Int32(AK_ISA_AVX512) {
                    let differing = zip(values, outputs[1].values).filter { $0.bitPattern != $1.bitPattern }.count
                    XCTAssertEqual(differing, 0, "\(what): values whose bits differ from avx2's", file: file, line: line)
                    continue
                }
                var sum = 0.0, worst: Float = 0
                for (a, b) in zip(values, scalar) {
                    sum += Double(abs(a - b))
                    worst = max(worst, abs(a - b))
                }
                let mean = sum / Double(max(scalar.count, 1))
                print("paths \(what) against scalar: mean abs \(String(format: "%.2e", mean)), max abs \(String(format: "%.2e", worst))")
                XCTAssertLessThanOrEqual(mean, golden.meanTolerance * Self.agreement, "\(what) against scalar: mean abs difference", file: file, line: line)
                XCTAssertLessThanOrEqual(Double(worst), golden.maxTolerance * Self.agreement, "\(what) against scalar: max abs difference", file: file, line: line)
            }
        }
    }
}
