import Foundation
import Runtime
@testable import Stylization
import XCTest

/// The ncnn .param/.bin reader and converter on small hand-made graphs, and on hostile input:
/// every bad file gives one error naming it, never a crash or a huge allocation.
final class NCNNReaderTests: XCTestCase {
    /// A 1x1 conv 3 -> 3 (float16 weights: the identity times 2, bias 0.5) with fused PReLU
    /// (slopes 0.1, 0.2, 0.3), then a sum 1 * conv + 0.5 * input and a nearest 2x enlarge.
    private let param = """
        7767517
        6 7
        Input            in0   0 1 data
        Split            sp0   1 2 data a b
        Convolution      c0    1 1 a c 0=3 1=1 5=1 6=9
        PReLU            p0    1 1 c d 0=3
        Eltwise          e0    2 1 d b e 0=1 -23301=2,1.0,0.5
        Interp           up    1 1 e output 0=1 1=2.0 2=2.0
        """

    private func bin(slopes: [Float] = [0.1, 0.2, 0.3], extra: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = [0x47, 0x6B, 0x30, 0x01] // float16 flag
        for o in 0..<3 { for i in 0..<3 { bytes += le16(Float16(o == i ? 2 : 0).bitPattern) } }
        bytes += [0, 0] // pad 18 bytes to 20
        for _ in 0..<3 { bytes += le32(Float(0.5).bitPattern) }
        for s in slopes { bytes += le32(s.bitPattern) }
        return bytes + extra
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    private func convert(_ text: String, _ weights: [UInt8]) throws -> UpscalerGraph {
        let layers = try NCNNParamParser.parse(Array(text.utf8), file: "t.param")
        return try NCNNConverter.convert(layers, weights: weights, paramFile: "t.param", binFile: "t.bin")
    }

    func testHandMadeGraphComputesTheHandWorkedValues() throws {
        let graph = try convert(param, bin())
        XCTAssertEqual(graph.scale, 2)
        XCTAssertEqual(graph.layers.map(\.kind), [.convolution, .weightedSum, .nearest])
        XCTAssertEqual(graph.layers[0].activation, .prelu)
        let network = try UpscalerNetwork(graph, file: "t")
        // pixel (r, g, b) = (1, -1, -2): conv = 2x + 0.5 = (2.5, -1.5, -3.5); PReLU -> (2.5, -0.3, -1.05);
        // + 0.5 * input -> (3.0, -0.8, -2.05); each pixel repeated 2x2.
        let y = try network.run(Tensor(channels: 3, height: 1, width: 1, data: [1, -1, -2]))
        XCTAssertEqual([y.channels, y.height, y.width], [3, 2, 2])
        let expected: [Float] = [3.0, -0.8, -2.05]
        for c in 0..<3 { for v in y.data[(c * 4)..<(c * 4 + 4)] { XCTAssertEqual(v, expected[c], accuracy: 1e-6) } }
    }

    func testConvertedGraphSurvivesTheStoredForm() throws {
        let graph = try convert(param, bin())
        let (layers, weights) = try UpscalerGraphFile.encode(graph)
        let back = try UpscalerGraphFile.decode(layers: layers, weights: weights, file: "t.layers.json")
        XCTAssertEqual(back.layers, graph.layers)
        XCTAssertEqual(back.tensors, graph.tensors)
        XCTAssertEqual([back.output, back.scale], [graph.output, graph.scale])
    }

    private func assertFails(_ text: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        assertFails(text, bin(), fragment, file: file, line: line)
    }

    private func assertFails(_ text: String, _ weights: [UInt8], _ fragment: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try convert(text, weights), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(fragment), "\(message) lacks \(fragment)", file: file, line: line)
            XCTAssertFalse(message.contains("\n"), "one line: \(message)", file: file, line: line)
            XCTAssertTrue(message.hasPrefix("t.param") || message.hasPrefix("t.bin"), "names the file: \(message)", file: file, line: line)
        }
    }

    func testHostileParamFilesGiveOneLineNamingTheFile() {
        assertFails("", "no 7767517 magic")
        assertFails("7767518\n1 1\nInput in 0 1 data", "no 7767517 magic")
        assertFails("7767517\n999999999 1\n", "bad layer and blob counts")
        assertFails("7767517\n3 3\nInput in 0 1 data", "announces 3 layers but has 1")
        assertFails(param.replacingOccurrences(of: "1 2 data a b", with: "1 9 data a b"), "fewer blobs")
        assertFails(param.replacingOccurrences(of: "1 2 data a b", with: "1 100000 data a b"), "expected 'Type Name")
        assertFails(param.replacingOccurrences(of: "-23301=2,1.0,0.5", with: "-23301=999999,1.0"), "bad array parameter")
        assertFails(param.replacingOccurrences(of: "-23301=2,1.0,0.5", with: "-23301=2,1.0,nan"), "bad number")
        assertFails(param.replacingOccurrences(of: "0=3 1=1 5=1 6=9", with: "0=3 1=1 5=1 6=x9"), "bad integer")
        assertFails(param.replacingOccurrences(of: "0=3 1=1 5=1 6=9", with: "0=3 1=1 5=1 6=10"), "does not match 3 x 3 x 1 x 1")
        assertFails(param.replacingOccurrences(of: "0=3 1=1 5=1 6=9", with: "0=3 1=5 5=1 6=225"), "kernel size")
        assertFails(param.replacingOccurrences(of: "0=3 1=1 5=1 6=9", with: "0=3 1=1 3=2 5=1 6=9"), "stride")
        assertFails(param.replacingOccurrences(of: "1 1 a c", with: "1 1 zz c"), "reads blob zz before it exists")
        assertFails(param.replacingOccurrences(of: "Interp ", with: "Softmax "), "layer type Softmax")
        assertFails(param.replacingOccurrences(of: "1=2.0 2=2.0", with: "1=1000.0 2=1000.0"), "whole factors")
        assertFails(param.replacingOccurrences(of: "e output", with: "e out2"), "no blob named 'output'")
    }

    func testBadBinFilesGiveOneLineNamingTheFile() {
        let good = bin()
        assertFails(param, Array(good.prefix(good.count - 1)), "the slopes of p0")
        assertFails(param, Array(good.prefix(10)), "the weights of c0")
        assertFails(param, [], "the weights of c0")
        assertFails(param, bin(extra: [1, 2, 3, 4]), "4 bytes left over")
        var int8 = good
        int8.replaceSubrange(0..<4, with: [0x38, 0x4B, 0x0D, 0x00])
        assertFails(param, int8, "int8 weights")
    }

    func testParameterValuesAreIntsFloatsAndArrays() throws {
        let layers = try NCNNParamParser.parse(Array(param.utf8), file: "t.param")
        XCTAssertEqual(layers.count, 6)
        XCTAssertEqual(layers[2].params[6], .int(9))
        XCTAssertEqual(layers[5].params[1], .float(2))
        XCTAssertEqual(layers[4].params[1], .array([1, 0.5]))
        XCTAssertEqual(layers[1].outputs, ["a", "b"])
    }
}
