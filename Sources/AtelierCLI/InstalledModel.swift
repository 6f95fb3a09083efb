import Foundation
import Stylization

/// Loads an installed model family, turning a missing or broken installation into a run-time
/// error that says what to do.
enum InstalledModel {
    /// Family `family` of the catalog and its files' SHA-256, from `home` (default:
    /// `ModelStore.defaultHome`).
    static func load(family: String = ModelCatalog.defaultFamilyID, home: String?) throws -> LoadedFamily {
        do {
            return try ModelCatalog.load(family, home: home.map { URL(fileURLWithPath: $0) } ?? ModelStore.defaultHome)
        } catch {
            throw CLIFailure.runtime("\(error)")
        }
    }
}

/// Where the bundled files (Resources/, Styles/, Themes/) are: the repository the binary was
/// built in (found by walking up from the executable), else the current folder.
enum BundledFiles {
    static var root: URL {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Styles").path),
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("Resources").path) {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}
