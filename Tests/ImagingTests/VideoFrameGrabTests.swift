import Foundation
import XCTest
@testable import Imaging

/// `VideoFrameGrab` lands on exactly the frame asked for: each grabbed PNG decodes to the same
/// pixels as that frame picked out of a full decode (`select=eq(n,N)`), at 30000/1001 fps where
/// a seek to the frame's own time could round onto a neighbour.
final class VideoFrameGrabTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-grab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    func ffmpeg(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-v", "error", "-y"] + arguments
        process.currentDirectoryURL = folder
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "ffmpeg \(arguments)")
        return data
    }

    func testEveryGrabbedFrameIsTheFrameAskedFor() throws {
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=30000/1001:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "clip.mp4"])
        let clip = folder.appendingPathComponent("clip.mp4").path
        let probe = try VideoProbe.probe(clip, shown: "clip.mp4")
        XCTAssertEqual(probe.frameCount, 30)
        var seen = Set<Data>()
        for index in [0, 1, 7, 15, 28, 29] {
            let png = folder.appendingPathComponent("frame-\(index).png")
            try VideoFrameGrab.write(clip: clip, shown: "clip.mp4", frame: index, rate: probe.framesPerSecond, to: png)
            let grabbed = try ffmpeg(["-i", png.path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
            let expected = try ffmpeg(["-i", clip, "-vf", "select=eq(n\\,\(index))", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
            XCTAssertEqual(grabbed.count, 96 * 64 * 3)
            XCTAssertEqual(grabbed, expected, "frame \(index)")
            seen.insert(grabbed)
        }
        XCTAssertEqual(seen.count, 6, "six different frames")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(left, [], "no temporary left")
    }

    func testAFileThatIsNotAVideoIsOneLine() throws {
        let bad = folder.appendingPathComponent("bad.mp4")
        try Data("not a video".utf8).write(to: bad)
        XCTAssertThrowsError(try VideoFrameGrab.write(clip: bad.path, shown: "bad.mp4", frame: 0, rate: 25,
                                                      to: folder.appendingPathComponent("f.png"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("bad.mp4: ffmpeg cannot read it as a video"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["bad.mp4"])
    }
}
