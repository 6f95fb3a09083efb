// Fuzz target: WebP files through ImageFile (libwebp behind the C shim, ICC and EXIF chunks).
// seeds: Fuzz/Seeds/webp/* Fuzz/Reproducers/webp/*
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? ImageFile.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.webp", maxPixels: 1 << 22)
    return 0
}
