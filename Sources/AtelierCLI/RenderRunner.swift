import Engine
import Foundation
import Imaging
import Stylization

/// Runs render jobs for the command line, loading each model once: the family a job names, the
/// upscaler its recipe asks for and the encoder its polish optimises through. One job (`render
/// PHOTO`), a folder of them or a contact sheet all go through one runner. Ctrl-C cancels the
/// running job (its output is not written) and is remembered, so a batch stops there.
final class RenderRunner: @unchecked Sendable {
    private let home: String?
    private var families: [String: LoadedFamily] = [:]
    private var upscalers: [String: (network: UpscalerNetwork, digests: [String: String])] = [:]
    let lock = NSLock()
    var current: RenderControl?
    private var interrupt: InterruptHandler?

    /// A runner loading models from `home` (default: `$ATELIER_HOME` or ~/.local/share/atelier).
    init(home: String?) {
        self.home = home
        TemporaryFiles.removeOnSignals()
        interrupt = InterruptHandler { [weak self] in
            self?.lock.withLock { self?.current }?.cancel()
        }
    }

    deinit { interrupt?.restore() }

    /// Whether Ctrl-C was pressed.
    var interrupted: Bool { interrupt?.fired ?? false }

    /// The installed family `id`, loaded on first use.
    func model(family id: String) throws -> LoadedFamily {
        if let loaded = families[id] { return loaded }
        let loaded = try InstalledModel.load(family: id, home: home)
        families[id] = loaded
        return loaded
    }

    /// Renders `job` (showing a progress bar named `label` on a terminal) and returns what it
    /// wrote. A replay (`verifyInputs`) refuses inputs and model files that differ from the
    /// recipe's. Ctrl-C makes it throw `CLIFailure.interrupted` with nothing written.
    func render(_ job: RenderJob, overwrite: Bool, verifyInputs: Bool, label: String) throws -> RenderOutcome {
        let loaded = try model(family: job.recipe.family)
        var modelFiles = loaded.fileDigests
        var network: UpscalerNetwork?
        if let upscale = job.recipe.upscale {
            let upscaler = try self.upscaler(upscale)
            network = upscaler.network
            modelFiles.merge(upscaler.digests) { a, _ in a }
        }
        let polishEncoder = try polishModel(for: job.recipe, loaded: loaded)
        if polishEncoder != nil, !(loaded.model is UST16xModel) {
            // The polish optimises through se5 whatever family rendered: its file is an input too.
            modelFiles.merge(try model(family: "ust16x").fileDigests.filter { $0.key == Polisher.encoderFile }) { a, _ in a }
        }
        let bar = ProgressBar(label: label)
        let control = RenderControl(onProgress: bar.update)
        lock.withLock { current = control }
        defer { lock.withLock { current = nil } }
        if interrupted { throw CLIFailure.interrupted }
        do {
            let outcome = try job.run(model: loaded.model, modelFiles: modelFiles, overwrite: overwrite,
                                      verifyInputs: verifyInputs, control: control, upscaler: network,
                                      polishModel: polishEncoder, onPolishStep: { bar.update(polish: $0) })
            bar.finish()
            return outcome
        } catch StylizationError.cancelled where interrupted {
            bar.finish()
            throw CLIFailure.interrupted
        } catch {
            bar.finish()
            throw error
        }
    }

    /// The upscaler a recipe's `upscale` names, loaded on first use, with its files' SHA-256.
    private func upscaler(_ upscale: PhotoUpscale) throws -> (network: UpscalerNetwork, digests: [String: String]) {
        if let loaded = upscalers[upscale.upscaler] { return loaded }
        guard let model = UpscalerModel.named(upscale.upscaler), PhotoUpscale.factors.contains(upscale.factor) else {
            throw CLIFailure.runtime("the recipe's upscale (\(upscale.upscaler), \(upscale.factor)x) is not one this atelier knows")
        }
        let store = UpscalerStore(home: home.map { URL(fileURLWithPath: $0) } ?? ModelStore.defaultHome)
        let loaded: (network: UpscalerNetwork, digests: [String: String])
        do { loaded = (try store.load(model), store.digests(model)) } catch { throw CLIFailure.runtime("\(error)") }
        upscalers[upscale.upscaler] = loaded
        return loaded
    }

    /// The UST-16x model whose se5 encoder the polish optimises through (whatever family
    /// rendered), or nil when the recipe asks for no polish.
    private func polishModel(for recipe: RenderRecipe, loaded: LoadedFamily) throws -> UST16xModel? {
        guard let polish = recipe.polish, polish.steps > 0 else { return nil }
        if let ust = loaded.model as? UST16xModel { return ust }
        return try model(family: "ust16x").model as? UST16xModel
    }
}

extension CLIFailure {
    /// Ctrl-C stopped a render (exit 130); the render being made was not written.
    static let interrupted = CLIFailure(message: "interrupted: nothing was written", exitCode: 130)
}
