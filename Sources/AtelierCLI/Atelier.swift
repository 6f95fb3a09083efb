import ArgumentParser

/// The `atelier` command: the workstation, plus sub-commands for scripts.
@main
struct Atelier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atelier",
        abstract: "A terminal workstation for neural style transfer.")
}
