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

    @OptionGroup var options: WorkstationOptions

    mutating func run() throws {
        let live = LiveSource(source, loops: loop)
        let probe: VideoProbe
        do { probe = try live.probe() } catch { throw CLIFailure.runtime("\(error)") }
        var launch = options.launch()
        launch.live = (live, probe)
        try WorkstationOptions.run(launch)
    }
}
