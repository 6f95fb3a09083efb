// Fuzz target: HEIC and AVIF files through ImageFile (libheif behind the C shim, nclx and ICC).
// seeds: Fuzz/Seeds/heif/* Fuzz/Reproducers/heif/*
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? ImageFile.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.heic", maxPixels: 1 << 22)
    return 0
}
