// Fuzz target: JPEG files through ImageFile (libjpeg-turbo behind the C shim, EXIF orientation).
// seeds: Tests/ImagingTests/Fixtures/*.jpg Fuzz/Reproducers/jpeg/*
import Imaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? ImageFile.read(bytes: Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz.jpg", maxPixels: 1 << 22)
    return 0
}
