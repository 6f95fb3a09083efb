// Fuzz target: render recipes (OUT.png.json), as `atelier render --recipe` reads them.
// seeds: Fuzz/Seeds/recipe/* Fuzz/Reproducers/recipe/*
import Engine
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let recipe = try? RenderRecipe.decode(Data(bytes: data, count: size), path: "fuzz.json") {
        _ = try? recipe.validated(path: "fuzz.json")
    }
    return 0
}
