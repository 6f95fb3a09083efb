import ArgumentParser
import Engine
import Foundation
import Runtime

/// The `atelier` command: the workstation, plus sub-commands for scripts.
struct Atelier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atelier",
        abstract: "A terminal workstation for neural style transfer.",
        version: AtelierVersion.programName,
        subcommands: [RenderCommand.self, ModelsCommand.self, StylesCommand.self, BenchCommand.self])

    @Flag(name: .long, help: "Render the bundled demo photo with a bundled style and print where the PNG went.")
    var demo = false

    mutating func run() throws {
        guard demo else { throw CleanExit.helpRequest(self) }
        try DemoRender().run()
    }
}

/// Entry point: runs the command and turns every error into one line on stderr and an exit
/// code: 2 for usage errors, 1 for failures at run time, 0 for help and version requests.
@main
enum AtelierMain {
    static func main() {
        AllocatorTuning.keepFreedBuffers()
        do {
            var command = try Atelier.parseAsRoot()
            try command.run()
        } catch let failure as CLIFailure {
            FileHandle.standardError.write(Data("atelier: \(failure.message)\n".utf8))
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
            FileHandle.standardError.write(Data("atelier: \(classified.message)\n".utf8))
            exit(classified.exitCode)
        }
    }
}
