import Foundation
import Imaging
import Stylization
import XCTest

/// `atelier render CLIP.mp4 -o OUT.mp4` through the real binary and the real ffmpeg: what the
/// output keeps (frames, rate, duration, audio, rotation, as ffprobe reads it), masks as videos,
/// folders with videos, one-line errors for bad clips, and nothing left behind by a signal.
final class VideoRenderTests: CLITestCase {
    /// Runs ffmpeg in the test's folder; fails the test when it fails.
    func ffmpeg(_ arguments: [String]) throws {
        let result = try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y"] + arguments, in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// A test clip made by ffmpeg's own sources: `seconds` of a moving pattern at `rate` with a tone.
    func makeClip(_ name: String, size: String = "160x90", rate: String = "30000/1001", seconds: Double = 1,
                  audio: Bool = true, extra: [String] = []) throws {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate):duration=\(seconds)"]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)", "-c:a", "aac"] }
        try ffmpeg(arguments + ["-c:v", "libx264", "-pix_fmt", "yuv420p"] + extra + [name])
    }

    /// ffprobe's JSON for `name`'s streams.
    func streams(_ name: String) throws -> [[String: Any]] {
        let result = try Tool.run("/usr/bin/ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", "-count_frames", name],
                                  in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let root = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return root?["streams"] as? [[String: Any]] ?? []
    }

    func video(_ streams: [[String: Any]]) -> [String: Any] {
        streams.first { $0["codec_type"] as? String == "video" } ?? [:]
    }

    func testClipKeepsFramesRateDurationAndAudio() throws {
        try makeClip("clip.mp4")
        let result = try render(["clip.mp4", "-s", picasso, "--size", "128", "-o", "out.mp4"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("30 frames, 128x72 at 30000/1001 fps"), result.stdout)
        let input = try streams("clip.mp4"), output = try streams("out.mp4")
        let (a, b) = (video(input), video(output))
        XCTAssertEqual(b["codec_name"] as? String, "h264")
        XCTAssertEqual(b["pix_fmt"] as? String, "yuv420p")
        XCTAssertEqual(b["width"] as? Int, 128)
        XCTAssertEqual(b["height"] as? Int, 72)
        XCTAssertEqual(b["nb_read_frames"] as? String, a["nb_read_frames"] as? String)
        XCTAssertEqual(b["r_frame_rate"] as? String, "30000/1001")
        let duration = { (s: [String: Any]) in Double(s["duration"] as? String ?? "") ?? -1 }
        XCTAssertEqual(duration(b), duration(a), accuracy: 0.034)
        let audioIn = input.first { $0["codec_type"] as? String == "audio" }, audioOut = output.first { $0["codec_type"] as? String == "audio" }
        XCTAssertEqual(audioOut?["codec_name"] as? String, "aac")
        XCTAssertEqual(audioOut?["nb_read_frames"] as? String, audioIn?["nb_read_frames"] as? String, "audio copied whole")
        XCTAssertEqual(try files(), ["clip.mp4", "out.mp4", "out.mp4.json"])
    }

    func testAVideoRecipeReplaysTheClipBitForBit() throws {
        try makeClip("clip.mp4", seconds: 0.4)
        let first = try render(["clip.mp4", "--model", "cin26", "--builtin", "5", "--size", "96", "--stability", "0.5", "-o", "out.mp4"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("wrote \(folder.path)/out.mp4 and out.mp4.json"), first.stdout)
        let recipe = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("out.mp4.json"))) as? [String: Any])
        XCTAssertEqual(recipe["stability"] as? Double, 0.5)
        XCTAssertEqual(recipe["model"] as? String, "cin26")
        let content = try XCTUnwrap(recipe["content"] as? [String: Any])
        XCTAssertEqual(content["sha256"] as? String, try SHA256.hex(ofFile: folder.appendingPathComponent("clip.mp4")))
        XCTAssertEqual(recipe["outputSHA256"] as? String, try SHA256.hex(ofFile: folder.appendingPathComponent("out.mp4")))
        XCTAssertFalse((recipe["modelFiles"] as? [String: String] ?? [:]).isEmpty)

        let again = try render(["--recipe", "out.mp4.json", "-o", "again.mp4"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent("again.mp4")),
                       try Data(contentsOf: folder.appendingPathComponent("out.mp4")), "the replay is the same video, byte for byte")

        let usage = try render(["--recipe", "out.mp4.json", "--stability", "0", "-o", "other.mp4"])
        XCTAssertEqual(usage.status, 2, usage.stderr)
        XCTAssertTrue(usage.stderr.contains("--recipe replays the recipe's own stability"), usage.stderr)
        try makeClip("clip.mp4", seconds: 0.5)
        let changed = try render(["--recipe", "out.mp4.json", "-o", "third.mp4"])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("clip.mp4 has changed since the recipe was written"), changed.stderr)
        XCTAssertEqual(try files(), ["again.mp4", "again.mp4.json", "clip.mp4", "out.mp4", "out.mp4.json"])
    }

    func testRotatedClipIsWrittenUpright() throws {
        try makeClip("plain.mp4", seconds: 0.4, audio: false)
        try ffmpeg(["-i", "plain.mp4", "-c", "copy", "-metadata:s:v:0", "rotate=90", "turned.mp4"])
        let result = try render(["turned.mp4", "--model", "cin26", "--builtin", "3", "-o", "out.mp4"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let out = video(try streams("out.mp4"))
        XCTAssertEqual(out["width"] as? Int, 90)
        XCTAssertEqual(out["height"] as? Int, 160)
        XCTAssertNil(out["side_data_list"], "the rotation is applied to the pixels, not carried as metadata")
        XCTAssertNil(try streams("out.mp4").first { $0["codec_type"] as? String == "audio" }, "no audio in, no audio out")
    }

    func testMaskVideoOfTheSameLengthAndFamilies() throws {
        try makeClip("clip.mp4", seconds: 0.5)
        try ffmpeg(["-f", "lavfi", "-i", "color=white:size=160x90:rate=30000/1001:duration=0.5", "-vf", "drawbox=x=0:y=0:w=80:h=90:color=black:t=fill",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "mask.mp4"])
        try ffmpeg(["-f", "lavfi", "-i", "color=white:size=160x90:rate=30000/1001:duration=0.2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "short.mp4"])
        let cin = try render(["clip.mp4", "--model", "cin26", "--builtin", "3", "--region", "mask.mp4=19", "--alpha", "0.8",
                              "--preserve-color", "luminance", "-o", "cin.mp4"])
        XCTAssertEqual(cin.status, 0, cin.stderr)
        let magenta = try render(["clip.mp4", "--model", "magenta", "-s", "\(picasso):1", "-s", "\(whorls):1", "--stability", "0", "-o", "magenta.mkv"])
        XCTAssertEqual(magenta.status, 0, magenta.stderr)
        XCTAssertEqual(video(try streams("magenta.mkv"))["nb_read_frames"] as? String, "15")
        let short = try render(["clip.mp4", "--model", "cin26", "--builtin", "3", "--region", "short.mp4=19", "-o", "bad.mp4"])
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.stderr.contains("short.mp4: the mask video has 6 frames, the clip 15"), short.stderr)
        XCTAssertFalse(try files().contains { $0.hasPrefix("bad.mp4") || $0.hasPrefix(".bad.mp4") })
    }

    func testBadClipsAreOneLineNamingTheFile() throws {
        try makeClip("whole.mp4", seconds: 3, audio: false, extra: ["-movflags", "+faststart"])
        let whole = try Data(contentsOf: folder.appendingPathComponent("whole.mp4"))
        try whole.prefix(whole.count / 2).write(to: folder.appendingPathComponent("cut.mp4"))
        try Data("not a video\n".utf8).write(to: folder.appendingPathComponent("text.mp4"))
        try ffmpeg(["-f", "lavfi", "-i", "sine=duration=0.5", "-c:a", "aac", "sound.mp4"])
        let cases = [("cut.mp4", "cut.mp4: the clip is damaged or truncated"), ("text.mp4", "text.mp4: ffmpeg cannot read it as a video"),
                     ("sound.mp4", "sound.mp4: has no video stream")]
        for (clip, message) in cases {
            let result = try render([clip, "--model", "cin26", "--builtin", "1", "-o", "out.mp4"])
            XCTAssertEqual(result.status, 1, clip)
            XCTAssertTrue(result.stderr.hasPrefix("atelier: ") && result.stderr.contains(message), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
        let missing = try AtelierBinary.run(["render", "whole.mp4", "--model", "cin26", "--builtin", "1", "-o", "out.mp4"], in: folder,
                                            home: home, environment: ["PATH": "/nonexistent"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("whole.mp4: ffprobe is not installed or not on PATH (Debian package ffmpeg)"), missing.stderr)
        let photoOut = try render(["whole.mp4", "--model", "cin26", "--builtin", "1", "-o", "out.png"])
        XCTAssertEqual(photoOut.status, 1)
        XCTAssertTrue(photoOut.stderr.contains("out.png: a video renders to .mp4"), photoOut.stderr)
        XCTAssertEqual(try files(), ["cut.mp4", "sound.mp4", "text.mp4", "whole.mp4"])
    }

    func testSignalsLeaveNoFileAndNoFFmpeg() throws {
        try makeClip("long.mp4", size: "320x180", seconds: 20)
        for (signal, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let process = try AtelierBinary.start(["render", "long.mp4", "-s", picasso, "-o", "out.mp4"], in: folder, home: home)
            let deadline = Date().addingTimeInterval(300)
            var temporary: String?
            while temporary == nil, process.isRunning, Date() < deadline {
                usleep(50_000)
                // Wait until ffmpeg has written into the temporary (frames are flowing).
                temporary = try files().first { name in
                    guard name.hasPrefix(".out.mp4.") && name.hasSuffix(".tmp") else { return false }
                    let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size] as? Int) ?? 0
                    return size > 0
                }
            }
            XCTAssertNotNil(temporary, "no temporary video appeared")
            let children = Self.ffmpegProcesses(mentioning: folder.path)
            XCTAssertGreaterThanOrEqual(children.count, 2, "decoder and encoder run as processes")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "signal \(signal)")
            XCTAssertEqual(process.terminationStatus, code, "signal \(signal)")
            usleep(200_000)
            XCTAssertEqual(Self.ffmpegProcesses(mentioning: folder.path).filter(children.contains), [], "ffmpeg outlived atelier (signal \(signal))")
            XCTAssertEqual(try files(), ["long.mp4"], "signal \(signal) left files behind")
        }
    }

    func testFolderRunsRenderVideosToo() throws {
        try makeClip("clip.mp4", seconds: 0.3, audio: false)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("in"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: folder.appendingPathComponent("clip.mp4"), to: folder.appendingPathComponent("in/clip.mp4"))
        try FileManager.default.copyItem(atPath: bridge, toPath: folder.appendingPathComponent("in/bridge.jpg").path)
        let result = try render(["in", "--model", "cin26", "--builtin", "2", "--size", "64", "-o", "out", "--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let outputs = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path).sorted()
        XCTAssertEqual(outputs, ["bridge.png", "bridge.png.json", "clip.mp4", "clip.mp4.json"])
        XCTAssertTrue(result.stdout.contains("\"frames\":9"), result.stdout)
        let again = try render(["in", "--model", "cin26", "--builtin", "2", "--size", "64", "-o", "out"])
        XCTAssertTrue(again.stdout.contains("2 skipped"), again.stdout)
    }

    /// Process ids of running ffmpeg processes whose command line mentions `text`.
    static func ffmpegProcesses(mentioning text: String) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains("ffmpeg") && line.contains(text)
        }
    }
}

/// Runs a helper tool (ffmpeg, ffprobe) and collects its output.
enum Tool {
    static func run(_ path: String, _ arguments: [String], in directory: URL) throws -> AtelierBinary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        return try AtelierBinary.Result.collect(process)
    }
}
