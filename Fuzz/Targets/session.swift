// Fuzz target: session files (`s` in the workstation, the autosave behind --resume).
// seeds: Fuzz/Seeds/session/* Fuzz/Reproducers/session/*
import Engine
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? SessionStore.decode(Data(bytes: data, count: size), path: "fuzz.session")
    return 0
}
