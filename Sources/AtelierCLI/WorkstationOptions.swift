import ArgumentParser
import Foundation
import Imaging
import Stylization
import Terminal
import Workstation

/// The options of every command that opens the workstation (`atelier [PHOTO]`, `atelier live`).
struct WorkstationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Preview graphics instead of the detected ones: sixel, kitty, symbols, halfblock or ascii.",
                                            valueName: "KIND"))
    var graphics: String?

    @Option(name: .long, help: ArgumentHelp("Also show the style paintings in this folder (repeatable).", valueName: "DIR"))
    var styles: [String] = []

    @Option(name: .long, help: ArgumentHelp("Colour theme: dark, light, high-contrast, frost, or a theme file's name.",
                                            valueName: "NAME"))
    var theme: String?

    @Option(name: .long, help: ArgumentHelp("The model family to start with: \(ModelCatalog.ids.joined(separator: ", ")).",
                                            valueName: "FAMILY"))
    var model: String?

    func validate() throws {
        if let graphics, PreviewAdapterKind(option: graphics) == nil {
            throw ValidationError("--graphics: '\(graphics)' is not one of sixel, kitty, symbols, halfblock, ascii")
        }
        if let model, ModelCatalog.entry(model) == nil {
            throw ValidationError("--model \(model): unknown model family (known: \(ModelCatalog.ids.joined(separator: ", ")))")
        }
        for folder in styles {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--styles: no folder at \(folder)")
            }
        }
    }

    /// The current folder (as bytes: a folder named in other bytes stays exact).
    var currentFolder: URL { URL(fileURLWithPath: PathBytes.currentDirectory(), isDirectory: true) }

    /// The workstation's launch with these options on `photo` (or the current folder): the
    /// bundled styles, the home's and `--styles` folders, the bundled themes.
    func launch(photo: URL? = nil, resume: Bool = false) -> WorkstationLaunch {
        let root = BundledFiles.root, home = ModelStore.defaultHome
        let styleFolders = [root.appendingPathComponent("Styles"), home.appendingPathComponent("styles")]
            + styles.map { URL(fileURLWithPath: $0, relativeTo: currentFolder).standardizedFileURL }
        return WorkstationLaunch(folder: currentFolder, photo: photo, resume: resume,
                                 graphics: graphics.flatMap(PreviewAdapterKind.init(option:)),
                                 styleFolders: styleFolders, themeFolders: [root.appendingPathComponent("Themes")],
                                 theme: theme, home: home, modelFamily: model)
    }

    /// Runs the workstation until it quits; its errors become the CLI's one-line failures.
    static func run(_ launch: WorkstationLaunch) throws {
        do {
            try WorkstationTerminal.run(launch)
        } catch let error as WorkstationError {
            throw CLIFailure.usage(error.description)
        } catch {
            throw CLIFailure.runtime("\(error)")
        }
    }
}
