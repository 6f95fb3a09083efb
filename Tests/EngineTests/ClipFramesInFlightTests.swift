import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

/// A clip render with two frames in flight (each on its own pool; `ClipStatistics` keeps
/// their moving averages in frame order, the stabilizer blends in order) writes the same
/// video as one frame at a time, byte for byte, through the real model and the real ffmpeg.
final class ClipFramesInFlightTests: XCTestCase {
    func testTwoFramesInFlightWriteTheSameVideoAsOneAtATime() throws {
        try RealModel.require()
        let folder = try makeScratchFolder(self)
        let clip = folder.appendingPathComponent("clip.mp4").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=128x72:rate=25:duration=0.4",
                            "-vf", "noise=alls=8:allf=t", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        XCTAssertEqual(ffmpeg.terminationStatus, 0, "ffmpeg made the test clip")
        let loaded = try RealModel.load()
        var videos: [Data] = []
        for inFlight in [1, 2] {
            // Full quality: five levels, so five smoothed statistics a frame for the frames to wait on.
            let recipe = RenderRecipe(content: .init(path: clip), styles: [.init(path: RealModel.image("style/picasso.jpg"))],
                                      blend: [.init(style: 0, weight: 1)], quality: .full, styleSize: 128,
                                      output: folder.appendingPathComponent("out-\(inFlight).mp4").path)
            var render = ClipRender(recipe: recipe, stability: 0.7)
            render.framesInFlight = inFlight
            let outcome = try render.run(model: loaded.model, modelFiles: loaded.fileDigests, overwrite: false,
                                         control: RenderControl()) { _ in }
            XCTAssertEqual(outcome.frames, 10)
            videos.append(try Data(contentsOf: outcome.output))
        }
        XCTAssertEqual(videos[0], videos[1], "two frames in flight write the bytes one at a time writes")
    }
}
