// Fuzz target: PNG files through ImageFile (libpng behind the C shim, then the float planes).
// seeds: Tests/ImagingTests/Fixtures/*.png Fuzz/Reproducers/png/*
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? ImageFile.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.png", maxPixels: 1 << 22)
    return 0
}
