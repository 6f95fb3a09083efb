import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

/// A clip render with two frames in flight (each on its own pool; `ClipStatistics` keeps
/// their moving averages in frame order, the stabilizer blends in order) writes the same
/// video as one frame at a time, byte for byte, through the real models and the real ffmpeg.
final class ClipFramesInFlightTests: XCTestCase {
    func testTwoFramesInFlightWriteTheSameVideoAsOneAtATime() throws {
        try RealModel.require()
        let loaded = try RealModel.load()
        try assertInFlightWritesTheSameVideo(model: loaded.model, modelFiles: loaded.fileDigests) { clip, output in
            // Full quality: five levels, so five smoothed statistics a frame for the frames to wait on.
            RenderRecipe(content: .init(path: clip), styles: [.init(path: RealModel.image("style/picasso.jpg"))],
                         blend: [.init(style: 0, weight: 1)], quality: .full, styleSize: 128, output: output)
        }
    }

    /// CIN-26 smooths its instance norms' statistics over the clip (every conditional norm of
    /// the network, a blend of two built-ins): the same bytes with two frames in flight.
    func testTwoFramesInFlightWriteTheSameCIN26VideoAsOneAtATime() throws {
        let loaded = try RealModel.loadCIN26()
        // Larger frames than UST's: CIN-26's are so quick at 128x72 that they seldom overlap.
        try assertInFlightWritesTheSameVideo(model: loaded.model, modelFiles: loaded.fileDigests, size: "384x216") { clip, output in
            RenderRecipe(model: "cin26", content: .init(path: clip), styles: [],
                         blend: [.init(style: 19, weight: 1), .init(style: 3, weight: 0.5)], styleSize: nil, output: output)
        }
    }

    /// Renders a 10-frame noisy test clip of `size` with `recipe(clip, output)` one frame at a
    /// time and two at a time, and compares the videos' bytes.
    private func assertInFlightWritesTheSameVideo(model: any StyleModel, modelFiles: [String: String], size: String = "128x72",
                                                  recipe: (String, String) -> RenderRecipe) throws {
        let folder = try makeScratchFolder(self)
        let clip = folder.appendingPathComponent("clip.mp4").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=25:duration=0.4",
                            "-vf", "noise=alls=8:allf=t", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        XCTAssertEqual(ffmpeg.terminationStatus, 0, "ffmpeg made the test clip")
        var videos: [Data] = []
        for inFlight in [1, 2] {
            var render = ClipRender(recipe: recipe(clip, folder.appendingPathComponent("out-\(inFlight).mp4").path), stability: 0.7)
            render.framesInFlight = inFlight
            let outcome = try render.run(model: model, modelFiles: modelFiles, overwrite: false, control: RenderControl()) { _ in }
            XCTAssertEqual(outcome.frames, 10)
            videos.append(try Data(contentsOf: outcome.output))
        }
        XCTAssertEqual(videos[0], videos[1], "two frames in flight write the bytes one at a time writes")
    }
}
