import ArgumentParser
import Engine
import Foundation
import Imaging
import Runtime
import Stylization
import Terminal
import Workstation

/// The `atelier` command: the workstation, plus sub-commands for scripts.
struct Atelier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atelier",
        abstract: "A terminal workstation for neural style transfer.",
        version: AtelierVersion.programName,
        subcommands: [RenderCommand.self, SheetCommand.self, ModelsCommand.self, StylesCommand.self, BenchCommand.self, PolishBenchCommand.self, LiveCommand.self, OpenCommand.self],
        defaultSubcommand: OpenCommand.self)
}

/// `atelier [PHOTO] [--demo] [--resume] ...`: the workstation. It is the default subcommand
/// rather than options of the root command because swift-argument-parser gives a root command's
/// positional argument (PHOTO) every word, subcommand names included.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the workstation (the default: `atelier`, `atelier PHOTO`, `atelier --demo`).")

    @Argument(help: ArgumentHelp("A photo (PNG or JPEG) or a video clip to open; without one the workstation opens on the current folder.",
                                 valueName: "PHOTO"))
    var photo: String?

    @Flag(name: .long, help: "Open the workstation on the bundled demo photo.")
    var demo = false

    @Flag(name: .long, help: "Restore the autosaved session (saved automatically while you work).")
    var resume = false

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

    @Flag(name: .customLong("keymap-markdown"), help: .hidden)
    var keymapMarkdown = false

    func validate() throws {
        if let graphics, PreviewAdapterKind(option: graphics) == nil {
            throw ValidationError("--graphics: '\(graphics)' is not one of sixel, kitty, symbols, halfblock, ascii")
        }
        if demo && photo != nil { throw ValidationError("give either --demo or a photo, not both") }
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

    mutating func run() throws {
        if keymapMarkdown {
            print(KeyMap.standard.markdown, terminator: "")
            return
        }
        let root = BundledFiles.root
        let cwd = URL(fileURLWithPath: PathBytes.currentDirectory(), isDirectory: true)  // a folder named in other bytes stays exact
        let photoURL = demo ? root.appendingPathComponent("Resources/demo-coffee.png")
            : photo.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        let home = ModelStore.defaultHome
        let styleFolders = [root.appendingPathComponent("Styles"), home.appendingPathComponent("styles")]
            + styles.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        let launch = WorkstationLaunch(folder: cwd, photo: photoURL, resume: resume,
                                       graphics: graphics.flatMap(PreviewAdapterKind.init(option:)),
                                       styleFolders: styleFolders, themeFolders: [root.appendingPathComponent("Themes")],
                                       theme: theme, home: home, modelFamily: model)
        do {
            try WorkstationTerminal.run(launch)
        } catch let error as WorkstationError {
            throw CLIFailure.usage(error.description)
        } catch {
            throw CLIFailure.runtime("\(error)")
        }
    }
}

/// Entry point: runs the command and turns every error into one line on stderr and an exit
/// code: 2 for usage errors, 1 for failures at run time, 0 for help and version requests.
@main
enum AtelierMain {
    static func main() {
        AllocatorTuning.keepFreedBuffers()
        do {
            // Arguments as bytes (file names that are not UTF-8 are kept exactly, see PathBytes).
            var command = try Atelier.parseAsRoot(Array(PathBytes.arguments().dropFirst()))
            try command.run()
        } catch let failure as CLIFailure {
            FileHandle.standardError.write(Data("atelier: \(PathBytes.shown(failure.message))\n".utf8))
            exit(failure.exitCode)
        } catch {
            let code = Atelier.exitCode(for: error)
            if code == .success {
                print(Atelier.fullMessage(for: error))
                exit(0)
            }
            if error is ExitCode { exit(code.rawValue) }
            let message = Atelier.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let classified = CLIFailure(classifying: error, fallback: message)
            FileHandle.standardError.write(Data("atelier: \(PathBytes.shown(classified.message))\n".utf8))
            exit(classified.exitCode)
        }
    }
}
