import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Video in the workstation and `atelier live`, through the real binary in tmux with the real
/// ffmpeg: a clip made at test time from a shared photo (a window panning across it, so every
/// frame differs) opens like a photo, steps and jumps frame by frame, exports whole in the
/// background; a live source (the clip read at real-time rate) is stylized frame after frame,
/// `e` saves a frame whose recipe replays, and a bad source is one line and exit 1.
final class VideoWorkstationTests: TmuxTestCase {
    /// Runs a tool (ffmpeg, ffprobe, atelier) in the test's folder.
    func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// `frames` frames at `rate` fps of 160x120, a window panning across bridge.jpg.
    func makeClip(_ name: String, frames: Int = 16, rate: Int = 8) throws {
        let photo = AtelierInstall.shared.appendingPathComponent("images/content/bridge.jpg").path
        let result = try run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-loop", "1", "-framerate", "\(rate)", "-i", photo,
                                                 "-frames:v", "\(frames)", "-vf", "scale=320:240,crop=160:120:x='n*8':y=40",
                                                 "-c:v", "libx264", "-pix_fmt", "yuv420p", name])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// The preview pane's rows (right of the side panes) as text.
    func previewText(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).prefix(18)
            .map { String($0.dropFirst(31)) }.joined(separator: "\n")
    }

    /// ffprobe's counted frames and rate of `name`'s video.
    func probe(_ name: String) throws -> (frames: String?, rate: String?) {
        let result = try run("/usr/bin/ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-print_format", "json",
                                                  "-show_streams", name])
        XCTAssertEqual(result.status, 0, result.stderr)
        let root = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let stream = (root?["streams"] as? [[String: Any]])?.first
        return (stream?["nb_read_frames"] as? String, stream?["r_frame_rate"] as? String)
    }

    /// This process's hidden frames folders in the temporary directory.
    func framesFolders(of pid: pid_t) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []
        return names.filter { $0.hasPrefix(".atelier-frames.\(pid)-") }
    }

    func testClipOpensStepsJumpsAndExportsWhole() throws {
        try makeClip("clip.mp4")
        let tmux = try launch(["clip.mp4"])
        var screen = tmux.waitFor("frame 1/16 · 0:00.00", "render #")
        XCTAssertTrue(screen.contains("● clip.mp4"), "the Photos pane lists the clip as open:\n\(screen)")
        screen = tmux.waitFor("the first frame rendered") { self.renderNumber($0) > 0 && !$0.contains("rendering…") }
        let first = previewText(screen)
        let pid = try programID(tmux)
        XCTAssertEqual(framesFolders(of: pid).count, 1)

        tmux.send(".")
        tmux.waitFor("frame 2/16")
        screen = tmux.waitFor("the second frame's picture") { self.previewText($0) != first && !$0.contains("rendering…") }
        let second = previewText(screen)
        tmux.send("}")
        tmux.waitFor("frame 16/16")
        tmux.waitFor("the last frame's picture") { self.previewText($0) != second && self.previewText($0) != first && !$0.contains("rendering…") }
        tmux.send("<")
        tmux.waitFor("frame 8/16")
        tmux.send("[")
        tmux.waitFor("frame 7/16")
        tmux.send(",")
        tmux.waitFor("frame 6/16")
        tmux.send("{")
        tmux.waitFor("frame 1/16 · 0:00.00")
        tmux.waitFor("the first frame's picture again") { self.previewText($0) == first && !$0.contains("rendering…") }

        tmux.send("e")
        tmux.waitFor("Export the whole clip clip.mp4 (16 frames)")
        tmux.send("Enter")
        screen = tmux.waitFor("exported clip-atelier.mp4 + recipe (160x120", timeout: 120)
        let (frames, rate) = try probe("clip-atelier.mp4")
        XCTAssertEqual(frames, "16")
        XCTAssertEqual(rate, "8/1")
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("clip-atelier.mp4.json"))) as? [String: Any]
        XCTAssertEqual((recipe?["content"] as? [String: Any])?["path"] as? String, folder.appendingPathComponent("clip.mp4").standardizedFileURL.path)

        // The recipe replays the clip with the CLI, frame for frame.
        let again = try run(AtelierInstall.binary.path, ["render", "--recipe", "clip-atelier.mp4.json", "-o", "again.mp4"],
                            environment: ["ATELIER_HOME": try AtelierInstall.home().path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try probe("again.mp4").frames, "16")

        tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), 0)
        XCTAssertEqual(framesFolders(of: pid), [], "the grabbed frames are removed on quit")
    }

    /// A session showing a clip's frame autosaves the clip and the frame, not the temporary grab
    /// (before: `--resume` named a file removed on quit and showed no picture).
    func testResumingAClipSessionGrabsItsFrameAgain() throws {
        try makeClip("clip.mp4")
        var tmux = try launch(["clip.mp4"])
        tmux.waitFor("frame 1/16 · 0:00.00", "render #")
        tmux.send(".", ".")
        tmux.send("BTab", "H")  // Photos -> Controls (wrapping back), alpha down a large step
        let autosave = try AtelierInstall.home().appendingPathComponent("sessions/autosave.json")
        let clip = folder.appendingPathComponent("clip.mp4").standardizedFileURL.path
        tmux.waitFor("the autosave naming frame 3 of the clip at alpha 0.75") { _ in
            let data = (try? Data(contentsOf: autosave)) ?? Data()
            let session = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["session"] as? [String: Any]
            let frame = session?["frame"] as? [String: Any]
            return frame?["clip"] as? String == clip && frame?["index"] as? Int == 2 && session?["alpha"] as? Double == 0.75
        }
        // The session is settled: render it once more and keep what it shows.
        let rendered = renderNumber(tmux.waitFor("no render running") { !$0.contains("rendering…") })
        tmux.send("r")
        var screen = tmux.waitFor("the third frame at alpha 0.75") { self.renderNumber($0) > rendered && !$0.contains("rendering…") }
        XCTAssertTrue(screen.contains("frame 3/16"), screen)
        let third = previewText(screen)
        tmux.send("q")
        tmux.waitFor("Quit? y/n")
        tmux.send("y")
        XCTAssertEqual(tmux.waitForExit(), 0)

        tmux = try launch(["--resume"])
        screen = tmux.waitFor("frame 3/16")
        XCTAssertTrue(screen.contains("● clip.mp4"), "the clip is open again:\n\(screen)")
        tmux.waitFor("the same picture as before the quit") { self.previewText($0) == third && !$0.contains("rendering…") }
        XCTAssertEqual(alpha(tmux.screen()), "0.75")
        tmux.send(".")
        tmux.waitFor("frame 4/16")
        tmux.send("q")
        tmux.waitFor("Quit? y/n")
        tmux.send("y")
        XCTAssertEqual(tmux.waitForExit(), 0)
    }

    func testQuittingDuringAClipExportAsksAndAKillLeavesNothing() throws {
        try makeClip("long.mp4", frames: 160, rate: 8)
        for way in ["q", "TERM"] {
            let tmux = try launch(["long.mp4"])
            tmux.waitFor("frame 1/160", "render #")
            let pid = try programID(tmux)
            tmux.send("e")
            tmux.waitFor("Export the whole clip long.mp4")
            tmux.send("Enter")
            tmux.waitFor("exporting long-atelier.mp4")
            tmux.waitFor("the export under way") { $0.range(of: #"export [1-9][0-9]?%"#, options: .regularExpression) != nil }
            if way == "q" {
                tmux.send("q")
                tmux.waitFor("Export running (")
                tmux.send("y")
                XCTAssertEqual(tmux.waitForExit(), 0)
            } else {
                kill(pid, SIGTERM)
                XCTAssertEqual(tmux.waitForExit(), 143)
                XCTAssertEqual(tmux.format("#{alternate_on}"), "0", "the terminal is restored")
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            XCTAssertEqual(left, ["long.mp4"], "\(way): no half-written video, recipe or temporary")
            XCTAssertEqual(framesFolders(of: pid), [], "\(way): the grabbed frames are removed")
            tmux.close()
        }
    }

    func testLiveSourceIsStylizedFrameAfterFrameAndSavesAReplayableFrame() throws {
        try makeClip("clip.mp4", frames: 48, rate: 12)
        let tmux = try launch(["live", "--loop", "clip.mp4"])
        var screen = tmux.waitFor("a live picture") { $0.contains("Preview · live") }
        var pictures = Set([previewText(screen)])
        let deadline = Date().addingTimeInterval(30)
        while pictures.count < 3 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            screen = tmux.screen()
            pictures.insert(previewText(screen))
        }
        XCTAssertGreaterThanOrEqual(pictures.count, 3, "the picture follows the source:\n\(screen)")
        screen = tmux.waitFor("a displayed frame rate above 0") {
            guard let range = $0.range(of: #"live [0-9]+\.[0-9] fps"#, options: .regularExpression) else { return false }
            return (Double($0[range].split(separator: " ")[1]) ?? 0) > 0
        }
        XCTAssertNotNil(screen.range(of: #"[0-9]+ dropped"#, options: .regularExpression), screen)

        // A control acts on the next frames: alpha down.
        tmux.send("Tab", "Tab")
        tmux.waitFor("Alpha")
        tmux.send("H")
        tmux.waitFor("alpha lowered") { self.alpha($0) == "0.75" }

        // Keys that need a still picture say so (before: c and z did nothing, p said "wait").
        for (key, what) in [("c", "compare"), ("z", "the 1:1 view"), ("p", "polish")] {
            tmux.send(key)
            tmux.waitFor("live: \(what) works on a photo or a clip's frame")
        }

        tmux.send("e")
        screen = tmux.waitFor("exported live-", timeout: 60)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let exported = try XCTUnwrap(names.first { $0.hasSuffix("-atelier.png") }, "\(names)")
        let input = String(exported.dropLast("-atelier.png".count)) + ".png"
        XCTAssertTrue(names.contains(input), "the input frame is saved beside it: \(names)")
        XCTAssertTrue(names.contains(exported + ".json"), "\(names)")
        let again = try run(AtelierInstall.binary.path, ["render", "--recipe", exported + ".json", "-o", "again.png"],
                            environment: ["ATELIER_HOME": try AtelierInstall.home().path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("again.png")),
                       try Data(contentsOf: folder.appendingPathComponent(exported)), "the recipe replays the frame exactly")

        tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), 0)
        XCTAssertEqual(tmux.format("#{alternate_on}"), "0")
    }

    func testBadLiveSourcesAreOneLineAndExitOne() throws {
        try Data("not a video".utf8).write(to: folder.appendingPathComponent("bad.mp4"))
        for (source, expected) in [("/dev/video-none", "/dev/video-none: ffmpeg cannot read it as a video (no such file or device)"),
                                   ("bad.mp4", "bad.mp4: ffmpeg cannot read it as a video"),
                                   ("missing.mp4", "missing.mp4: ffmpeg cannot read it as a video (no such file or device)")] {
            let tmux = try launch(["live", source], columns: 160)
            XCTAssertEqual(tmux.waitForExit(), 1, source)
            let screen = tmux.screen()
            let lines = screen.split(separator: "\n").filter { $0.hasPrefix("atelier:") }
            XCTAssertEqual(lines.count, 1, screen)
            XCTAssertTrue(lines.first?.contains(expected) == true, screen)
            XCTAssertEqual(tmux.format("#{alternate_on}"), "0", "the terminal is not left in the program's screen")
            tmux.close()
        }
    }
}
