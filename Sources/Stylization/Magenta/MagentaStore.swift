import Foundation
import Imaging

/// The installed `magenta` and `cin26` families: `<home>/models/magenta/` holding one converted
/// layer list per ONNX file of the wheel (`arbitrary_predict`, `arbitrary_transform`,
/// `multistyle26`, each `.safetensors`, see `ImportedNetwork.encoded`) and `manifest.json` with
/// the originals' and the converted files' SHA-256.
public struct MagentaStore: Sendable {
    /// The Atelier data folder.
    public let home: URL

    /// The converted-file format; bumped whenever conversion changes the files' bytes.
    public static let formatVersion = 1

    /// A store rooted at `home`.
    public init(home: URL) { self.home = home }

    /// `<home>/models/magenta`.
    public var modelDirectory: URL { home.appendingPathComponent("models").appendingPathComponent(MagentaWheel.folder) }
    var manifestURL: URL { modelDirectory.appendingPathComponent("manifest.json") }
    func convertedURL(_ member: MagentaWheel.Member) -> URL { modelDirectory.appendingPathComponent(member.convertedFileName) }

    var manifest: ModelManifest? {
        guard let m = ModelManifest.read(manifestURL), m.formatVersion == Self.formatVersion, m.model == MagentaWheel.folder else {
            return nil
        }
        return m
    }

    /// Whether `members` are converted and recorded (by size; `verify` re-hashes).
    public func isInstalled(_ members: [MagentaWheel.Member] = MagentaWheel.members) -> Bool {
        guard let manifest else { return false }
        return members.allSatisfy { member in
            guard let entry = manifest.files[member.convertedFileName], entry.sourceSHA256 == member.sha256,
                  let size = (try? FileManager.default.attributesOfItem(atPath: convertedURL(member).path))?[.size] as? NSNumber
            else { return false }
            return size.intValue == entry.bytes
        }
    }

    /// ONNX file name -> its SHA-256, for the installed `members` (what recipes record).
    public func fileDigests(_ members: [MagentaWheel.Member]) -> [String: String] {
        guard let manifest else { return [:] }
        var digests: [String: String] = [:]
        for member in members where manifest.files[member.convertedFileName]?.sourceSHA256 == member.sha256 {
            digests[member.fileName] = member.sha256
        }
        return digests
    }

    /// Total size of the converted files of `members` (for `models list`).
    public func installedBytes(_ members: [MagentaWheel.Member]) -> Int {
        members.reduce(0) { $0 + (manifest?.files[$1.convertedFileName]?.bytes ?? 0) }
    }

    /// Re-hashes each converted file against the manifest: (file name, nil when ok, else why).
    public func verify() -> [(file: String, problem: String?)] {
        let manifest = self.manifest
        return MagentaWheel.members.map { member in
            let url = convertedURL(member)
            guard FileManager.default.fileExists(atPath: url.path) else { return (member.convertedFileName, "missing") }
            guard let entry = manifest?.files[member.convertedFileName], entry.sourceSHA256 == member.sha256 else {
                return (member.convertedFileName, "not recorded in manifest.json (interrupted or older install?)")
            }
            guard let actual = try? SHA256.hex(ofFile: url) else { return (member.convertedFileName, "unreadable") }
            return (member.convertedFileName, actual == entry.sha256 ? nil : "SHA-256 \(actual) differs from the manifest's \(entry.sha256)")
        }
    }

    /// The imported network of `member`, checked against the manifest's SHA-256.
    public func network(_ member: MagentaWheel.Member, family: String) throws -> ImportedNetwork {
        let url = convertedURL(member)
        guard let entry = manifest?.files[member.convertedFileName] else {
            throw StylizationError.modelUnavailable("\(family) model not installed: run `atelier models install`")
        }
        let data: Data
        do { data = Data(try RegularFile.bytes(url.path, limit: entry.bytes)) } catch let problem as RegularFile.Problem {
            if problem == .missing { throw StylizationError.modelUnavailable("\(family) model not installed: run `atelier models install`") }
            throw StylizationError.modelUnavailable("\(url.path): \(problem) (run `atelier models install`)")
        }
        guard SHA256.hex(of: data) == entry.sha256 else {
            throw StylizationError.modelUnavailable("\(url.path) is damaged (SHA-256 differs from manifest.json): run `atelier models install`")
        }
        return try ImportedNetwork(stored: data, path: url.path)
    }

    /// The `magenta` family's model.
    public func loadArbitrary() throws -> ArbitraryStyleModel {
        try ArbitraryStyleModel(predictor: network(MagentaWheel.predictor, family: "magenta"),
                                transformer: network(MagentaWheel.transformer, family: "magenta"))
    }

    /// The `cin26` family's model.
    public func loadCIN26() throws -> CIN26Model {
        try CIN26Model(network(MagentaWheel.cin26, family: "cin26"))
    }
}
