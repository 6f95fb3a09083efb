import Foundation
import Stylization
import XCTest
@testable import Engine

/// How much a running export slows the preview (and the other way round). A measurement, not a
/// check: it runs only with ATELIER_ENGINE_MEASURE=1 and prints its numbers.
final class InterleavingMeasurement: XCTestCase {
    func testPreviewLatencyWhileExporting() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["ATELIER_ENGINE_MEASURE"] == "1",
                          "set ATELIER_ENGINE_MEASURE=1 to measure")
        try RealModel.require()
        let folder = try makeScratchFolder(self)
        let model = try RealModel.load()
        let cache = LRUFeatureCache(capacityBytes: 512 << 20)
        let log = EventLog()
        let yields = ProcessInfo.processInfo.environment["ATELIER_ENGINE_PRIORITY"] != "0"
        let priority = RenderPriority()
        let preview = PreviewPipeline(renderer: StylizerRenderer(cache: cache, load: { model }), sources: SourceLibrary(),
                                      events: EventQueue(onPost: { log.record($0) }), priority: priority)
        defer { preview.shutdown() }
        let quality = Quality(rawValue: ProcessInfo.processInfo.environment["ATELIER_ENGINE_QUALITY"] ?? "full") ?? .full
        var session = Session(contentPath: RealModel.image("content/face.jpg"),
                              styles: [StyleChoice(path: RealModel.image("style/picasso.jpg"))],
                              quality: quality)

        func fullPasses(_ count: Int) throws -> [Double] {
            var seconds: [Double] = []
            for step in 0..<count {
                try session.apply(.setAlpha(0.9 - Float(step) * 0.1))
                let generation = preview.submit(session, box: PreviewBox(size: PreviewSize(width: 384, height: 384)))
                let start = Date()
                _ = log.wait(timeout: 600) { _ in log.frames.contains { $0.generation == generation && $0.kind == .full } }
                seconds.append(Date().timeIntervalSince(start))
            }
            return seconds
        }
        func line(_ values: [Double]) -> String { values.map { String(format: "%.2f", $0) }.joined(separator: " ") }

        _ = try fullPasses(1)  // warm the caches
        let alone = try fullPasses(4)
        let exportStart = Date()
        let export = ExportJob.start(session: session, to: folder.appendingPathComponent("face.png"),
                                     model: { model }, cache: cache, priority: yields ? priority : nil)
        let during = try fullPasses(4)
        let exportState = export.wait()
        let exportSeconds = Date().timeIntervalSince(exportStart)
        let soloStart = Date()
        let solo = ExportJob.start(session: session, to: folder.appendingPathComponent("face-solo.png"),
                                   model: { model }, cache: cache)
        _ = solo.wait()
        let soloSeconds = Date().timeIntervalSince(soloStart)
        print("[measure] export yields to previews: \(yields) (paused \(String(format: "%.2f", priority.secondsPaused)) s)")
        print("[measure] \(quality) 384 px preview, submit to full picture (s): alone \(line(alone)); during a 1024 px export \(line(during))")
        print("[measure] 1024 px export: \(String(format: "%.2f", exportSeconds)) s with 4 previews beside it, \(String(format: "%.2f", soloSeconds)) s alone; \(exportState)")
    }
}
