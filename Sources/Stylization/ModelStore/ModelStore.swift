import Foundation
import Imaging

/// The installed UST-16x model: `<home>/models/ust16x/` holding one `<name>.safetensors` per
/// checkpoint (se1 ... se5, sd1 ... sd5) and a `manifest.json` with their SHA-256s.
///
/// `install` fetches the original legacy torch checkpoints (a folder or upstream), verifies their
/// size and SHA-256, and converts them; the encoders' `_aux` heads (1x1 convolutions that map the
/// compact features to full VGG-19 widths for distillation) are dropped, as stylization never
/// uses them. Everything else (`conv0`, `conv11` ... `conv51`, weights and biases) is kept as is.
public struct ModelStore: Sendable {
    /// The Atelier data folder.
    public let home: URL
    /// The checkpoints this store installs and loads (normally `ModelCheckpoint.ust16x`).
    public let checkpoints: [ModelCheckpoint]

    /// The converted-file format written by this version; older manifests need a re-install.
    public static let formatVersion = 1
    /// The model's folder name under `<home>/models`.
    public static let modelName = "ust16x"

    /// A store rooted at `home`.
    public init(home: URL, checkpoints: [ModelCheckpoint] = ModelCheckpoint.ust16x) {
        self.home = home
        self.checkpoints = checkpoints
    }

    /// `$ATELIER_HOME` if set, else `~/.local/share/atelier`.
    public static var defaultHome: URL {
        if let home = ProcessInfo.processInfo.environment["ATELIER_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/atelier")
    }

    /// `<home>/models/ust16x`.
    public var modelDirectory: URL {
        home.appendingPathComponent("models").appendingPathComponent(Self.modelName)
    }

    /// `<model directory>/manifest.json`.
    public var manifestURL: URL { modelDirectory.appendingPathComponent("manifest.json") }

    /// The converted file of `checkpoint`.
    public func convertedURL(of checkpoint: ModelCheckpoint) -> URL {
        modelDirectory.appendingPathComponent(checkpoint.convertedFileName)
    }

    /// The checkpoint for `level` and `part`, if the store has one.
    public func checkpoint(level: Int, part: ModelPart) -> ModelCheckpoint? {
        checkpoints.first { $0.level == level && $0.part == part }
    }

    /// The manifest, if it exists, parses and has the current format version.
    var manifest: ModelManifest? {
        guard let manifest = ModelManifest.read(manifestURL), manifest.formatVersion == Self.formatVersion else {
            return nil
        }
        return manifest
    }

    /// Whether every checkpoint is converted and recorded (by name and size; `verify` re-hashes).
    public var isInstalled: Bool {
        guard let manifest else { return false }
        return checkpoints.allSatisfy { checkpoint in
            guard let entry = manifest.files[checkpoint.convertedFileName], entry.sourceSHA256 == checkpoint.sha256,
                  let attributes = try? FileManager.default.attributesOfItem(atPath: convertedURL(of: checkpoint).path)
            else { return false }
            return (attributes[.size] as? NSNumber)?.intValue == entry.bytes
        }
    }

    /// Checkpoint name (e.g. `"se4"`) -> SHA-256 of the original upstream file it was converted
    /// from, for every installed checkpoint; empty when nothing is installed. Render recipes
    /// record these to name the exact weights a render used.
    public func modelFileDigests() -> [String: String] {
        guard let manifest else { return [:] }
        var digests: [String: String] = [:]
        for checkpoint in checkpoints {
            if let entry = manifest.files[checkpoint.convertedFileName], entry.sourceSHA256 == checkpoint.sha256 {
                digests[checkpoint.name] = entry.sourceSHA256
            }
        }
        return digests
    }

    /// Re-hashes every converted file against the manifest, in checkpoint order.
    public func verify() -> [ModelFileStatus] {
        let manifest = self.manifest
        let recorded = ModelManifest.read(manifestURL)
        return checkpoints.map { checkpoint in
            let url = convertedURL(of: checkpoint)
            func status(_ state: ModelFileStatus.State) -> ModelFileStatus {
                ModelFileStatus(checkpoint: checkpoint, file: url, state: state)
            }
            guard FileManager.default.fileExists(atPath: url.path) else { return status(.missing) }
            guard let manifest else {
                if let recorded {
                    return status(.corrupt("converted by format version \(recorded.formatVersion), this is \(Self.formatVersion)"))
                }
                return status(.corrupt("not recorded in manifest.json (interrupted install?)"))
            }
            guard let entry = manifest.files[checkpoint.convertedFileName] else {
                return status(.corrupt("not recorded in manifest.json"))
            }
            guard entry.sourceSHA256 == checkpoint.sha256 else {
                return status(.corrupt("converted from a different \(checkpoint.sourceFileName) (SHA-256 \(entry.sourceSHA256))"))
            }
            let actual: String
            do {
                actual = try SHA256.hex(ofFile: url)
            } catch {
                return status(.corrupt("unreadable: \(error)"))
            }
            guard actual == entry.sha256 else {
                return status(.corrupt("SHA-256 \(actual) differs from the manifest's \(entry.sha256)"))
            }
            return status(.ok)
        }
    }

    /// The tensors of one level's encoder or decoder, by name (e.g. `"conv0.weight"`).
    ///
    /// The file is checked against the manifest's SHA-256 first. Throws
    /// `ModelStoreError.modelUnavailable` ("model not installed: run `atelier models install`")
    /// when the model is not installed or the file is missing or corrupt, and `.invalidLevel`
    /// for a level outside 1 ... 5.
    public func loadWeights(level: Int, part: ModelPart) throws -> [String: NamedTensor] {
        guard (1...5).contains(level) else { throw ModelStoreError.invalidLevel(level) }
        let notInstalled = ModelStoreError.modelUnavailable("model not installed: run `atelier models install`")
        guard let checkpoint = checkpoint(level: level, part: part), let manifest,
              let entry = manifest.files[checkpoint.convertedFileName], entry.sourceSHA256 == checkpoint.sha256 else {
            throw notInstalled
        }
        let url = convertedURL(of: checkpoint)
        guard let data = (try? RegularFile.bytes(url.path, limit: 1 << 32)).map({ Data($0) }) else { throw notInstalled }
        guard SHA256.hex(of: data) == entry.sha256 else {
            throw ModelStoreError.modelUnavailable(
                "model file \(url.path) is corrupt: run `atelier models install` again")
        }
        do {
            let tensors = try SafeTensors.decode(data, path: url.path).tensors
            // A damaged or tampered file whose digest was updated too: NaN weights would render black.
            if let bad = tensors.first(where: { !$0.values.allSatisfy(\.isFinite) }) {
                throw ModelStoreError.modelUnavailable(
                    "model file \(url.path) has NaN or infinite values in \(bad.name)")
            }
            return Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        } catch {
            throw ModelStoreError.modelUnavailable("\(error): run `atelier models install` again")
        }
    }
}

/// The state of one converted model file, as `ModelStore.verify()` finds it.
public struct ModelFileStatus: Equatable, Sendable {
    /// What was found.
    public enum State: Equatable, Sendable {
        /// Present and matching the manifest.
        case ok
        /// Not in the model folder.
        case missing
        /// Present but not trustworthy; the reason says why.
        case corrupt(String)
    }

    /// The checkpoint the file belongs to.
    public var checkpoint: ModelCheckpoint
    /// The converted file.
    public var file: URL
    /// What was found.
    public var state: State

    /// Creates a status.
    public init(checkpoint: ModelCheckpoint, file: URL, state: State) {
        self.checkpoint = checkpoint
        self.file = file
        self.state = state
    }

    /// Whether the file is present and intact.
    public var isOK: Bool { state == .ok }
}
