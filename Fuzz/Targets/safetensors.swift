// Fuzz target: the safetensors reader (header JSON, offsets, shapes).
// seeds: Fuzz/Seeds/safetensors/* Fuzz/Reproducers/safetensors/*
import Foundation
import Stylization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? SafeTensors.decode(Data(bytes: data, count: size), path: "fuzz.safetensors")
    return 0
}
