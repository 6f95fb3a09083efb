import Foundation
import Imaging
import Stylization
import XCTest
@testable import Engine

/// The engine with the real model and real photos: caching across slider moves, exports.
final class RealModelTests: XCTestCase {
    override func setUpWithError() throws {
        try RealModel.require()
    }

    private func session() -> Session {
        Session(contentPath: RealModel.image("content/chicago.png"),
                styles: [StyleChoice(path: RealModel.image("style/picasso.jpg")),
                         StyleChoice(path: RealModel.image("style/whorls.jpg"), weight: 0.5)],
                alpha: 0.8)
    }

    private func renderFull(_ preview: PreviewPipeline, _ log: EventLog, _ session: Session, pane: Int = 192,
                            quick: Bool = true) -> PreviewFrame? {
        let generation = preview.submit(session, box: PreviewBox(size: PreviewSize(width: pane, height: pane), quickPasses: quick))
        _ = log.wait(timeout: 300) { events in
            events.contains {
                switch $0 {
                case .preview(let frame): return frame.generation == generation && frame.kind == .full
                case .previewFailed(let g, _): return g == generation
                default: return false
                }
            }
        }
        for event in log.events {
            if case .previewFailed(_, let message) = event { XCTFail(message) }
        }
        return log.frames.last { $0.generation == generation && $0.kind == .full }
    }

    func testASliderMoveReusesTheEncodedFeatures() throws {
        let cache = LRUFeatureCache(capacityBytes: 512 << 20)
        let renderer = StylizerRenderer(cache: cache, load: { try RealModel.load() })
        let log = EventLog()
        let preview = PreviewPipeline(renderer: renderer, sources: SourceLibrary(),
                                      events: EventQueue(onPost: { log.record($0) }), quickLongerSide: 96, styleSide: 256)
        defer { preview.shutdown() }
        var session = session()
        let first = try XCTUnwrap(renderFull(preview, log, session))
        XCTAssertEqual(first.image.width, 192)
        XCTAssertEqual(first.image.height, 128)
        XCTAssertEqual(log.frames.filter { $0.generation == 1 }.map(\.kind), [.quick, .full])
        let missesAfterFirst = cache.misses
        let hitsAfterFirst = cache.hits
        XCTAssertGreaterThan(missesAfterFirst, 0)
        XCTAssertGreaterThan(cache.usedBytes, 0)

        try session.apply(.setAlpha(0.3))
        let second = try XCTUnwrap(renderFull(preview, log, session))
        XCTAssertEqual(cache.misses, missesAfterFirst, "an alpha change encodes nothing again")
        XCTAssertGreaterThan(cache.hits, hitsAfterFirst)
        XCTAssertNotEqual(second.image, first.image)

        try session.apply(.setWeight(index: 1, weight: 2))
        try session.apply(.setTransform(.wct))
        _ = try XCTUnwrap(renderFull(preview, log, session))
        XCTAssertEqual(cache.misses, missesAfterFirst, "weights and transform changes encode nothing again")
        print("[engine] preview 192 px: quick+full first \(String(format: "%.3f", first.seconds)) s,"
              + " after alpha change \(String(format: "%.3f", second.seconds)) s; cache \(cache.usedBytes >> 20) MB,"
              + " hits \(cache.hits), misses \(cache.misses)")
    }

    /// What a slider move shows (features from the cache) is the picture a fresh render of the
    /// same session gives: the preview after a change is the preview after a restart.
    func testASliderMoveShowsWhatAFreshRenderShows() throws {
        func pipeline() -> (PreviewPipeline, EventLog) {
            let renderer = StylizerRenderer(cache: LRUFeatureCache(capacityBytes: 512 << 20), load: { try RealModel.load() })
            let log = EventLog()
            return (PreviewPipeline(renderer: renderer, sources: SourceLibrary(), events: EventQueue(onPost: { log.record($0) }),
                                    quickLongerSide: 96, styleSide: 256), log)
        }
        // A photo smaller than the pane too (a video frame in the workstation).
        let small = try makeScratchFolder(self).appendingPathComponent("small.png")
        try ImageFile.writePNG(try ImageFile.read(URL(fileURLWithPath: RealModel.image("content/chicago.png"))).resized(longerSide: 160), to: small)
        for (photo, pane, quick) in [(RealModel.image("content/chicago.png"), 192, true), (small.path, 384, true), (small.path, 256, false)] {
            var session = session()
            session.contentPath = photo
            session.alpha = 1
            let (moved, movedLog) = pipeline()
            defer { moved.shutdown() }
            _ = try XCTUnwrap(renderFull(moved, movedLog, session, pane: pane, quick: quick))
            for alpha: Float in [0.75, 0.3] {
                try session.apply(.setAlpha(alpha))
                let afterMove = try XCTUnwrap(renderFull(moved, movedLog, session, pane: pane, quick: quick))
                let (fresh, freshLog) = pipeline()
                defer { fresh.shutdown() }
                let afresh = try XCTUnwrap(renderFull(fresh, freshLog, session, pane: pane, quick: quick))
                XCTAssertEqual(afterMove.image, afresh.image, "alpha \(alpha), pane \(pane), quick passes \(quick)")
            }
        }
    }

    func testExportWritesThePNGAndARecipeThatDescribesIt() throws {
        let folder = try makeScratchFolder(self)
        let output = folder.appendingPathComponent("export.png")
        var session = session()
        try session.apply(.setMask(.preset(PresetMask(shape: .leftRight, split: 0.4, feather: 0.1))))
        try session.apply(.setRegionBlend(.inside, [WeightedStyle(index: 1, weight: 1)]))
        try session.apply(.setRegionBlend(.outside, [WeightedStyle(index: 0, weight: 1)]))
        let cache = LRUFeatureCache(capacityBytes: 256 << 20)
        let events = EventQueue()
        let job = ExportJob.start(session: session, to: output, longerSide: 160, model: { try RealModel.load() },
                                  cache: cache, events: events)
        guard case .finished(let result) = job.wait() else { return XCTFail("export failed: \(job.state)") }
        XCTAssertEqual(job.progress, 1)
        XCTAssertEqual(result.imageURL.path, output.path)
        XCTAssertEqual(result.width, 160)
        XCTAssertEqual(result.height, 107)
        let png = try ImageFile.read(output)
        XCTAssertEqual(png.width, 160)
        let recipe = try RenderRecipe.load(from: result.recipeURL)
        XCTAssertEqual(result.recipeURL.lastPathComponent, "export.png.json")
        XCTAssertEqual(recipe.content.path, RealModel.image("content/chicago.png"))
        XCTAssertEqual(recipe.content.sha256, try SHA256.hex(ofFile: URL(fileURLWithPath: RealModel.image("content/chicago.png"))))
        XCTAssertEqual(recipe.styles.map(\.path), [RealModel.image("style/picasso.jpg"), RealModel.image("style/whorls.jpg")])
        XCTAssertEqual(recipe.blend, [RenderRecipe.BlendEntry(style: 0, weight: 1)])
        XCTAssertEqual(recipe.regions.count, 1)
        XCTAssertEqual(recipe.regions[0].blend, [RenderRecipe.BlendEntry(style: 1, weight: 1)])
        XCTAssertEqual(recipe.regions[0].mask.path, job.maskURL.path)
        XCTAssertEqual(recipe.alpha, 0.8)
        XCTAssertEqual(recipe.size, 160)
        XCTAssertEqual(recipe.modelFiles.count, 10)
        XCTAssertEqual(recipe.outputSHA256, try SHA256.hex(ofFile: output))
        let mask = try ImageFile.readMask(job.maskURL)
        XCTAssertEqual(mask.width, 160)
        XCTAssertEqual(mask[0, 50], 1)
        XCTAssertEqual(mask[159, 50], 0)
        guard case .exportFinished(let posted)? = events.poll().first else { return XCTFail("no event") }
        XCTAssertEqual(posted, result)

        // The same export again is refused without overwrite, and leaves the files alone.
        let before = try Data(contentsOf: output)
        let again = ExportJob.start(session: session, to: output, longerSide: 160, model: { try RealModel.load() })
        guard case .failed(let message) = again.wait() else { return XCTFail("expected a refusal") }
        XCTAssertEqual(message, "\(output.path) already exists (use --force to replace it)")
        XCTAssertEqual(try Data(contentsOf: output), before)

        // With overwrite it replaces them.
        try session.apply(.setAlpha(0.2))
        let replaced = ExportJob.start(session: session, to: output, longerSide: 160, overwrite: true,
                                       model: { try RealModel.load() }, cache: cache)
        guard case .finished = replaced.wait() else { return XCTFail("overwrite failed: \(replaced.state)") }
        XCTAssertNotEqual(try Data(contentsOf: output), before)
        XCTAssertEqual(try RenderRecipe.load(from: result.recipeURL).alpha, 0.2)
    }

    func testACancelledExportWritesNothing() throws {
        let folder = try makeScratchFolder(self)
        let output = folder.appendingPathComponent("never.png")
        var session = session()
        try session.apply(.setQuality(.full))
        try session.apply(.setMaskShape(.centreEllipse))
        let job = ExportJob.start(session: session, to: output, model: { try RealModel.load() })
        job.cancel()
        XCTAssertEqual(job.wait(), .cancelled)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testALiveFramesOwnFeaturesAreNotKeptButTheStylesAre() throws {
        let cache = LRUFeatureCache(capacityBytes: 512 << 20)
        let renderer = StylizerRenderer(cache: cache, load: { try RealModel.load() })
        let sources = SourceLibrary()
        var request = try RenderRequest.make(for: session(), fit: .box(width: 160, height: 160), sources: sources, styleSide: 256)
        let kept = try renderer.render(request, control: RenderControl())
        let withPhoto = cache.count
        cache.removeAll()

        request.keepsContentFeatures = false
        let first = try renderer.render(request, control: RenderControl())
        XCTAssertEqual(first, kept, "leaving the frame's features out changes nothing in the picture")
        let stylesOnly = cache.count
        XCTAssertGreaterThan(stylesOnly, 0, "the styles' features are kept")
        XCTAssertLessThan(stylesOnly, withPhoto, "the frame's own features are not")
        let misses = cache.misses
        XCTAssertEqual(try renderer.render(request, control: RenderControl()), kept)
        XCTAssertEqual(cache.misses, misses, "the next frame finds every style feature")
        XCTAssertEqual(cache.count, stylesOnly)
    }

    func testPreviewKeepsWorkingWhileAnExportRuns() throws {
        let folder = try makeScratchFolder(self)
        let model = try RealModel.load()
        let cache = LRUFeatureCache(capacityBytes: 512 << 20)
        let renderer = StylizerRenderer(cache: cache, load: { model })
        let log = EventLog()
        let preview = PreviewPipeline(renderer: renderer, sources: SourceLibrary(),
                                      events: EventQueue(onPost: { log.record($0) }), quickLongerSide: 96, styleSide: 256)
        defer { preview.shutdown() }
        var session = session()
        try session.apply(.setQuality(.full))

        let alone = Date()
        let soloFrame = try XCTUnwrap(renderFull(preview, log, session, pane: 256))
        let soloSeconds = Date().timeIntervalSince(alone)

        let export = ExportJob.start(session: session, to: folder.appendingPathComponent("big.png"), longerSide: 384,
                                     model: { model }, cache: cache)
        try session.apply(.setAlpha(0.5))
        let during = Date()
        let frame = try XCTUnwrap(renderFull(preview, log, session, pane: 256))
        let duringSeconds = Date().timeIntervalSince(during)
        let exportState = export.wait()
        guard case .finished(let exported) = exportState else { return XCTFail("export failed: \(exportState)") }
        XCTAssertEqual(frame.image.width, 256)
        XCTAssertEqual(exported.width, 384)
        print("[engine] full-quality 256 px preview: first \(String(format: "%.2f", soloSeconds)) s (encodes),"
              + " \(String(format: "%.2f", soloFrame.seconds)) s full pass; during a 384 px export"
              + " \(String(format: "%.2f", duringSeconds)) s; export \(String(format: "%.2f", exported.seconds)) s")
    }
}

/// The studio as the workstation uses it, with the installed model.
final class RealStudioTests: XCTestCase {
    func testTheStudioRendersExportsAndReusesFeatures() throws {
        try RealModel.require()
        let folder = try makeScratchFolder(self)
        let log = EventLog()
        let session = Session(contentPath: RealModel.image("content/portrait.jpg"),
                              styles: [StyleChoice(path: RealModel.image("style/sketch.jpg"))])
        let studio = Studio(session: session, previewBox: PreviewBox(size: PreviewSize(width: 200, height: 200)), configuration: Studio.Configuration(autosaveURL: nil),
                            model: { try RealModel.load() }, onEvent: { log.record($0) })
        defer { studio.shutdown() }
        XCTAssertTrue(log.wait(timeout: 300) { _ in log.frames.contains { $0.generation == 1 && $0.kind == .full } })
        let misses = studio.cacheStatus.features.misses
        XCTAssertGreaterThan(misses, 0)
        for step in 1...5 { try studio.perform(.setAlpha(1 - Float(step) * 0.1)) }
        let last = studio.previewGeneration
        XCTAssertTrue(log.wait(timeout: 300) { _ in log.frames.contains { $0.generation == last && $0.kind == .full } })
        XCTAssertEqual(studio.cacheStatus.features.misses, misses, "alpha moves re-encode nothing")
        XCTAssertEqual(log.frames.last?.image.width, 200)

        let output = folder.appendingPathComponent("portrait-sketch.png")
        let job = studio.export(to: output)
        guard case .finished(let result) = job.wait() else { return XCTFail("export failed: \(job.state)") }
        XCTAssertEqual(result.width, 420, "full resolution by default")
        XCTAssertEqual(try ImageFile.read(output).height, 420)
        XCTAssertEqual(try RenderRecipe.load(from: result.recipeURL).alpha, 0.5, accuracy: 1e-6)
        XCTAssertTrue(log.wait { $0.contains { if case .exportFinished = $0 { return true } else { return false } } })
    }
}
