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

/// Where the bundled files (Resources/, Styles/, Themes/) are, found from the executable itself
/// (`/proc/self/exe`, so a binary run from PATH or through a symlink works too): an installed
/// `<prefix>/share/atelier` beside `<prefix>/bin`, else the repository the binary was built in
/// (walking up from it), else the current folder.
enum BundledFiles {
    static var root: URL {
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).path
        let executable = URL(fileURLWithPath: link).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        let installed = folder.deletingLastPathComponent().appendingPathComponent("share/atelier")
        if holdsData(installed) { return installed }
        for _ in 0..<6 {
            if holdsData(folder) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    private static func holdsData(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("Styles").path)
            && FileManager.default.fileExists(atPath: folder.appendingPathComponent("Resources").path)
    }
}
