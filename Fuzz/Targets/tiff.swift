// Fuzz target: TIFF files through ImageFile (libtiff behind the C shim: strips, tiles, 8/16-bit,
// palette, the orientation tag, ICC profiles).
// seeds: Fuzz/Seeds/tiff/* Fuzz/Reproducers/tiff/*
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? ImageFile.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.tif", maxPixels: 1 << 22)
    return 0
}
