// Fuzz target: zip archives (central directory, local headers, stored and deflated members).
// seeds: Fuzz/Seeds/zip/* Fuzz/Reproducers/zip/*
import Archive

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let archive = try? ZipArchive(bytes: Array(UnsafeBufferPointer(start: data, count: size)), name: "fuzz.zip") else {
        return 0
    }
    for entry in archive.entries { _ = try? archive.read(entry, limit: 1 << 20) }
    return 0
}
