import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// Spill files and cancellation: with a budget too small for the buffers, they go to
/// memory-mapped temporary files that exist while the render runs and are gone afterwards,
/// whether it finished, failed or was cancelled.
final class TiledSpillTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-spill-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The spill files of this test's folder currently mapped into the process.
    private func mappedSpillFiles() throws -> Set<String> {
        #if os(Linux)
        // Read as bytes: other tests may leave mappings whose names are not UTF-8.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return [] }
        defer { try? handle.close() }
        let maps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        return Set(maps.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: folder.path + "/" + SpillFile.prefix) else { return nil }
            return String(line[start.lowerBound...])
        })
        #else
        throw XCTSkip("needs /proc/self/maps")
        #endif
    }

    private func tightOptions(regionCount: Int) throws -> TilingOptions {
        let budget = try TilePlan.minimumBudget(model: try TestModel.shared(), quality: .full, tile: 64,
                                                regionCount: regionCount, threads: WorkerPool.shared.threadCount)
        return TilingOptions(tile: 64, memory: budget, spillDirectory: folder)
    }

    func testATinyBudgetSpillsToMappedFilesThatAreRemovedAfterwards() throws {
        let model = try TestModel.shared()
        let photo = try TiledFixtures.photo(320, 240)
        var settings = StylizeSettings(transform: .wct, quality: .full, alpha: 0.9)
        settings.regions = TiledFixtures.regions(width: 320, height: 240)
        let styles = try TiledFixtures.styles(longerSide: 128)
        let content = SourceImage(image: photo, identity: "photo")
        let stylizer = UST16xTiledStylizer(model: model, options: try tightOptions(regionCount: 2))

        final class Seen: @unchecked Sendable {
            var files = Set<String>()
            var mostAtOnce = 0
        }
        let seen = Seen()
        let observer = RenderControl(onProgress: { _ in
            guard let files = try? self.mappedSpillFiles() else { return }
            seen.files.formUnion(files)
            seen.mostAtOnce = max(seen.mostAtOnce, files.count)
        })
        let tiled = try stylizer.stylize(content: content, styles: styles, settings: settings, control: observer)
        let plan = try stylizer.plan(width: 320, height: 240, styleSizes: styles.map { ($0.image.width, $0.image.height) },
                                     regionCount: 2, quality: .full)
        XCTAssertTrue(plan.spills)
        XCTAssertEqual(plan.imageStorage?.isSpill, true)
        XCTAssertEqual(plan.maskStorage?.isSpill, true)
        XCTAssertTrue(plan.levels.contains { $0.features == .spill } && plan.levels.contains { $0.features == .recompute })
        // Region weights, the image between levels and the features of levels 5 and 4: four
        // files, three at a time (reading /proc/self/maps while other threads map memory can
        // miss a line now and then, hence the margins).
        XCTAssertGreaterThanOrEqual(seen.files.count, 3, "\(plan.summary): \(seen.files)")
        XCTAssertLessThanOrEqual(seen.files.count, 4, "\(plan.summary): \(seen.files)")
        XCTAssertGreaterThanOrEqual(seen.mostAtOnce, 2, "\(plan.summary): \(seen.files)")
        XCTAssertLessThanOrEqual(seen.mostAtOnce, 3, "\(plan.summary): \(seen.files)")
        XCTAssertTrue(seen.files.allSatisfy { $0.hasSuffix("(deleted)") }, "\(seen.files)")
        XCTAssertEqual(try mappedSpillFiles(), [], "spill files still mapped after the render")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])

        let untiled = try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings)
        let (mean, worst) = TiledFixtures.difference(tiled, untiled)
        XCTAssertLessThanOrEqual(mean, 1e-3)
        XCTAssertLessThanOrEqual(worst, 4e-2)
        XCTAssertLessThanOrEqual(worst, 1e-2, "spilling changed the computation")
    }

    /// Cancelling stops at the next layer, inside the tile being computed, and releases the
    /// spill files.
    func testCancellingStopsWithinATileAndReleasesSpillFiles() throws {
        let model = try TestModel.shared()
        let photo = try TiledFixtures.photo(320, 240)
        let content = SourceImage(image: photo, identity: "photo")
        let stylizer = UST16xTiledStylizer(model: model, options: try tightOptions(regionCount: 0))
        final class Log: @unchecked Sendable {
            var control: RenderControl?
            var fractions: [Double] = []
            var cancelledAt: Int?
            var filesWhenCancelled = 0
        }
        let log = Log()
        log.control = RenderControl(onProgress: { fraction in
            log.fractions.append(fraction)
            if log.cancelledAt == nil, fraction >= 0.5 {
                log.cancelledAt = log.fractions.count
                log.filesWhenCancelled = (try? self.mappedSpillFiles().count) ?? 0
                log.control?.cancel()
            }
        })
        XCTAssertThrowsError(try stylizer.stylize(content: content, styles: try TiledFixtures.styles(longerSide: 128),
                                                  settings: StylizeSettings(transform: .adain, quality: .full),
                                                  control: log.control)) { error in
            XCTAssertEqual(error as? StylizationError, .cancelled)
        }
        XCTAssertEqual(log.fractions.count, log.cancelledAt, "work went on after the cancel")
        XCTAssertLessThan(log.fractions.last ?? 1, 0.6)
        XCTAssertGreaterThan(log.filesWhenCancelled, 0, "the render was spilling when cancelled")
        XCTAssertEqual(try mappedSpillFiles(), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    /// Tiles report progress after every layer, evenly from 0 to 1.
    func testProgressRisesByTilesToOne() throws {
        let model = try TestModel.shared()
        final class Fractions: @unchecked Sendable { var values: [Double] = [] }
        let log = Fractions()
        let control = RenderControl(onProgress: { log.values.append($0) })
        let content = SourceImage(image: try TiledFixtures.photo(256, 192), identity: "photo")
        try UST16xTiledStylizer(model: model, options: TilingOptions(tile: 64, memory: 8 << 30))
            .stylize(content: content, styles: try TiledFixtures.styles(longerSide: 128),
                     settings: StylizeSettings(quality: .fast), control: control) { _, _ in }
        let fractions = log.values
        XCTAssertEqual(fractions.last, 1)
        XCTAssertEqual(fractions, fractions.sorted(), "progress went backwards")
        XCTAssertGreaterThan(fractions.count, 12 * 13, "one report per layer of every tile")
        let steps = zip(fractions.dropFirst(), fractions).map { $0 - $1 }
        XCTAssertLessThan(steps.max() ?? 1, 0.05, "no single step covers much of the render")
    }

    func testAMissingSpillFolderIsAClearError() throws {
        let model = try TestModel.shared()
        var options = try tightOptions(regionCount: 0)
        options.spillDirectory = folder.appendingPathComponent("no-such-folder")
        let content = SourceImage(image: try TiledFixtures.photo(320, 240), identity: "photo")
        XCTAssertThrowsError(try UST16xTiledStylizer(model: model, options: options)
            .stylize(content: content, styles: try TiledFixtures.styles(longerSide: 64),
                     settings: StylizeSettings(quality: .full))) { error in
            guard case TilingError.spillFailed(let directory, _)? = error as? TilingError else { return XCTFail("\(error)") }
            XCTAssertTrue(directory.hasSuffix("no-such-folder"))
            XCTAssertTrue("\(error)".contains("cannot create a spill file in"), "\(error)")
        }
    }
}
