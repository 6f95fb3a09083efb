import ArgumentParser
import Engine
import Foundation
import Imaging
import Stylization
import Terminal
import Workstation

/// `atelier live SOURCE`: the workstation on a live source (a camera, a stream, or a file read
/// at real-time rate), stylizing the newest frame over and over, dropping the frames that
/// arrive meanwhile; `e` saves the current frame and its stylized export with a recipe.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Stylize a live source in the workstation: a camera (/dev/video0), a stream URL, or a video file at real-time rate.")

    @Argument(help: ArgumentHelp("A camera device (/dev/video0), a stream URL (rtsp://, http://, udp://...) or a video file.",
                                 valueName: "SOURCE"))
    var source: String

    @Flag(name: .long, help: "Start a file again at its end (a file is otherwise shown once, at its own rate).")
    var loop = false

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
    }

    mutating func run() throws {
        let live = LiveSource(source, loops: loop)
        let probe: VideoProbe
        do { probe = try live.probe() } catch { throw CLIFailure.runtime("\(error)") }
        let root = BundledFiles.root
        let cwd = URL(fileURLWithPath: PathBytes.currentDirectory(), isDirectory: true)
        let home = ModelStore.defaultHome
        let styleFolders = [root.appendingPathComponent("Styles"), home.appendingPathComponent("styles")]
            + styles.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        var launch = WorkstationLaunch(folder: cwd, graphics: graphics.flatMap(PreviewAdapterKind.init(option:)),
                                       styleFolders: styleFolders, themeFolders: [root.appendingPathComponent("Themes")],
                                       theme: theme, home: home, modelFamily: model)
        launch.live = (live, probe)
        do {
            try WorkstationTerminal.run(launch)
        } catch let error as WorkstationError {
            throw CLIFailure.usage(error.description)
        } catch {
            throw CLIFailure.runtime("\(error)")
        }
    }
}
