// Fuzz target: the legacy (pre-1.6) torch checkpoint reader and its pickle machine.
// seeds: ../shared/models/ust16x/sd1.pth ../shared/models/ust16x/se1.pth Fuzz/Reproducers/legacy-torch/*
import Stylization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? LegacyTorchCheckpoint.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.pth")
    return 0
}
