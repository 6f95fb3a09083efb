import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// The content statistics a clip's frames share (`StylizeSettings.clip`): a moving average
/// that the first frame and a scene cut start afresh, used by UST-16x's transforms and by the
/// instance norms of CIN-26 and Magenta on real photos and the real models.
final class ClipStatisticsTests: XCTestCase {
    func testAMovingAverageThatACutStartsAfresh() {
        let clip = ClipStatistics(momentum: 0.75)
        XCTAssertEqual(clip.smoothed([4, 8], key: "a"), [4, 8], "the first frame keeps its own")
        XCTAssertEqual(clip.smoothed([0, 0], key: "a"), [3, 6])
        XCTAssertEqual(clip.smoothed([1], key: "b"), [1], "keys are apart")
        XCTAssertEqual(clip.smoothed([7, 6, 5], key: "a"), [7, 6, 5], "another length starts again")
        clip.sceneCut()
        XCTAssertEqual(clip.smoothed([1, 1, 1], key: "a"), [1, 1, 1], "a cut starts afresh")
        var made = 0
        for _ in 0..<3 { XCTAssertEqual(clip.style("s") { made += 1; return 5 }, 5) }
        XCTAssertEqual(made, 1, "style-side values are made once")
    }

    /// Frames in flight at once, each with its view and finished in any order, get exactly
    /// the averages the clip gives its frames one at a time: with cuts, keys a frame skips and
    /// frames that take longer or shorter; style-side values are still made once.
    func testFramesInFlightSeeTheAveragesOfFramesInOrder() {
        let frames = 14, cuts: Set<Int> = [5, 6, 10]
        func keys(_ frame: Int) -> [String] { frame % 3 == 1 ? ["a", "c"] : ["a", "b", "c"] }
        func fresh(_ frame: Int, _ key: Int) -> [Double] { [Double(frame * 7 % 5 + key), Double(frame) * 0.5 - Double(key)] }
        let inOrder = ClipStatistics(momentum: 0.75)
        var expected: [[[Double]]] = []
        for frame in 0..<frames {
            if cuts.contains(frame) { inOrder.sceneCut() }
            expected.append(keys(frame).enumerated().map { inOrder.smoothed(fresh(frame, $0), key: $1) })
        }
        for round in 0..<10 {
            let clip = ClipStatistics(momentum: 0.75)
            let views = (0..<frames).map { clip.frame($0, sceneCut: cuts.contains($0)) }
            let lock = NSLock()
            var got = [[[Double]]](repeating: [], count: frames), next = 0, made = 0
            DispatchQueue.concurrentPerform(iterations: 3) { worker in
                while true {
                    let frame = lock.withLock { () -> Int in
                        defer { next += 1 }
                        return next
                    }
                    guard frame < frames else { return }
                    XCTAssertEqual(views[frame].style("s") { lock.withLock { made += 1 }; usleep(2000); return 5 }, 5)
                    var row: [[Double]] = []
                    for (k, key) in keys(frame).enumerated() {
                        usleep(UInt32((frame * 31 + k * 17 + worker * 13 + round * 7) % 5) * 300)
                        row.append(views[frame].smoothed(fresh(frame, k), key: key))
                    }
                    views[frame].finished()
                    lock.withLock { got[frame] = row }
                }
            }
            XCTAssertEqual(got, expected, "round \(round)")
            XCTAssertEqual(made, 1, "style-side values are made once")
        }
    }

    func testUSTAdaINAndWCTFramesUseTheSmoothedStatistics() throws {
        let model = try TestModel.shared()
        let styles = try TiledFixtures.styles(longerSide: 128)
        for transform in FeatureTransform.allCases {
            try check(transform.rawValue) { photo, clip in
                var settings = StylizeSettings(transform: transform)
                settings.clip = clip
                return try Stylizer(model: model).stylize(content: SourceImage(image: photo, identity: "frame \(photo.pixels.reduce(0, +))"),
                                                          styles: styles, settings: settings)
            }
        }
    }

    func testCIN26AndMagentaFramesUseTheSmoothedStatistics() throws {
        let cin26 = try TestMagentaModels.cin26(), magenta = try TestMagentaModels.arbitrary()
        var weights = [Float](repeating: 0, count: CIN26Model.styleCount)
        weights[19] = 1
        try check("cin26") { photo, clip in try cin26.stylize(content: photo, weights: weights, clip: clip) }
        let vector = try magenta.styleVector(for: try TiledFixtures.styles(longerSide: 256)[0].image)
        try check("magenta") { photo, clip in try magenta.stylize(content: photo, vector: vector, clip: clip) }
    }

    /// A dark frame, then a bright one: with no memory (momentum 0) or after a cut the bright
    /// frame renders as it does alone, bit for bit, and so does the first frame; with the
    /// dark frame's statistics carried over (momentum 1) it renders otherwise.
    private func check(_ name: String, render: (RGBImage, ClipStatistics?) throws -> RGBImage) throws {
        let photo = try TiledFixtures.photo(160, 96)
        let dark = RGBImage(width: 160, height: 96, pixels: photo.pixels.map { $0 * 0.5 })
        let alone = try render(photo, nil)
        let kept = ClipStatistics(momentum: 1), forgetting = ClipStatistics(momentum: 0), cut = ClipStatistics(momentum: 1)
        for clip in [kept, forgetting, cut] {
            XCTAssertEqual(try render(dark, clip).pixels, try render(dark, nil).pixels, "\(name): a first frame is its own")
        }
        cut.sceneCut()
        XCTAssertEqual(try render(photo, forgetting).pixels, alone.pixels, "\(name): momentum 0")
        XCTAssertEqual(try render(photo, cut).pixels, alone.pixels, "\(name): after a cut")
        let carried = TiledFixtures.difference(try render(photo, kept), alone)
        print("clip statistics \(name): the dark frame's statistics change the bright frame by mean \(carried.mean)")
        XCTAssertGreaterThan(carried.mean, 0.02, "\(name): the carried statistics are used")
    }
}
