// Fuzz target: ONNX models through the importer (protobuf decoding, initialisers, the graph).
// seeds: ../shared/peers/onnx/enc1.onnx ../shared/peers/onnx/dec1.onnx Fuzz/Reproducers/onnx/*
import Stylization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? ONNXImporter.importNetwork(Array(UnsafeBufferPointer(start: data, count: size)), file: "fuzz.onnx")
    return 0
}
