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

    @OptionGroup var options: WorkstationOptions

    @Flag(name: .customLong("keymap-markdown"), help: .hidden)
    var keymapMarkdown = false

    func validate() throws {
        if demo && photo != nil { throw ValidationError("give either --demo or a photo, not both") }
    }

    mutating func run() throws {
        if keymapMarkdown {
            print(KeyMap.standard.markdown, terminator: "")
            return
        }
        let root = BundledFiles.root
        let photoURL = demo ? root.appendingPathComponent("Resources/demo-coffee.png")
            : photo.map { URL(fileURLWithPath: $0, relativeTo: options.currentFolder).standardizedFileURL }
        try WorkstationOptions.run(options.launch(photo: photoURL, resume: resume))
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
