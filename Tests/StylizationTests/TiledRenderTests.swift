import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// Tiled renders against the untiled `Stylizer` on real photos: every mode, tiles of 256 and of
/// 200 pixels (200 is not a multiple of the pooling grid), within the golden tolerances.
final class TiledRenderTests: XCTestCase {
    func testFastAdaINTiles256At1024x768() throws {
        try compare(TiledFixtures.photo(1024, 768), settings: StylizeSettings(transform: .adain, quality: .fast), tile: 256)
    }

    func testFastWCTWithMasksAndColourMatchTiles200At1024x768() throws {
        var settings = StylizeSettings(transform: .wct, quality: .fast, color: .match,
                                       styles: [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 0.5)])
        settings.regions = TiledFixtures.regions(width: 1024, height: 768)
        try compare(TiledFixtures.photo(1024, 768), settings: settings, tile: 200)
    }

    func testFullAdaINWithLuminanceTiles256At1024x768() throws {
        let settings = StylizeSettings(transform: .adain, quality: .full, alpha: 0.8, color: .luminance)
        try compare(TiledFixtures.photo(1024, 768), settings: settings, tile: 256)
    }

    func testFullWCTWithMasksAndColourMatchTiles200At1024x768() throws {
        var settings = StylizeSettings(transform: .wct, quality: .full, color: .match)
        settings.regions = TiledFixtures.regions(width: 1024, height: 768)
        try compare(TiledFixtures.photo(1024, 768), settings: settings, tile: 200)
    }

    func testFastAdaINWithMasksAndLuminanceTiles200() throws {
        var settings = StylizeSettings(transform: .adain, quality: .fast, alpha: 0.6, color: .luminance)
        settings.regions = TiledFixtures.regions(width: 500, height: 333)
        try compare(TiledFixtures.photo(500, 333), settings: settings, tile: 200)
    }

    func testFastWCTWithLuminanceTiles256() throws {
        try compare(TiledFixtures.photo(520, 390), settings: StylizeSettings(transform: .wct, quality: .fast, color: .luminance),
                    tile: 256)
    }

    func testFullAdaINWithMasksAndColourMatchTiles200() throws {
        var settings = StylizeSettings(transform: .adain, quality: .full, color: .match,
                                       styles: [WeightedStyle(index: 1, weight: 1)])
        settings.regions = TiledFixtures.regions(width: 450, height: 300)
        try compare(TiledFixtures.photo(450, 300), settings: settings, tile: 200)
    }

    func testFullWCTWithLuminanceTiles256() throws {
        try compare(TiledFixtures.photo(400, 530), settings: StylizeSettings(transform: .wct, quality: .full, alpha: 0.7,
                                                                            color: .luminance), tile: 256)
    }

    /// Styles larger than a tile are encoded tile by tile too; tiny tiles stress the halos.
    func testSmallTilesAndATiledStyleMatchTheUntiledRender() throws {
        var settings = StylizeSettings(transform: .wct, quality: .full)
        settings.regions = TiledFixtures.regions(width: 300, height: 200)
        try compare(TiledFixtures.photo(300, 200), settings: settings, tile: 48, styleSide: 400)
    }

    /// An image smaller than a tile is one tile and no halo: the untiled computation.
    func testOneTileIsTheUntiledRender() throws {
        try compare(TiledFixtures.photo(320, 240), settings: StylizeSettings(transform: .wct, quality: .full), tile: 512)
    }

    private func compare(_ photo: RGBImage, settings: StylizeSettings, tile: Int, styleSide: Int = 256,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try TestModel.shared()
        let content = SourceImage(image: photo, identity: "photo")
        let styles = try TiledFixtures.styles(longerSide: styleSide)
        let untiled = try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings)
        let stylizer = TiledStylizer(model: model, options: TilingOptions(tile: tile, memory: 8 << 30))
        let tiled = try stylizer.stylize(content: content, styles: styles, settings: settings)
        let plan = try UST16xTiledStylizer(model: model, options: stylizer.options)
            .plan(width: photo.width, height: photo.height, styleSizes: styles.map { ($0.image.width, $0.image.height) },
                  regionCount: settings.regions.count, quality: settings.quality)
        XCTAssertEqual(tiled.width, untiled.width, file: file, line: line)
        XCTAssertEqual(tiled.height, untiled.height, file: file, line: line)
        let (mean, worst) = TiledFixtures.difference(tiled, untiled)
        let fast = settings.quality == .fast
        print("tiled \(photo.width)x\(photo.height) \(settings.quality) \(settings.transform) \(settings.color) tile \(tile): "
              + "\(plan.levels.map(\.tileCount)) tiles, mean abs \(mean), max abs \(worst)")
        XCTAssertLessThanOrEqual(mean, fast ? 5e-4 : 1e-3, "mean abs difference", file: file, line: line)
        XCTAssertLessThanOrEqual(worst, fast ? 2e-2 : 4e-2, "max abs difference", file: file, line: line)
        // The same computation, tile by tile: only float rounding may differ (the convolution
        // may round differently at other offsets; a halo one cell short costs 2e-2 to 0.5 here).
        XCTAssertLessThanOrEqual(worst, fast ? 2e-3 : 1e-2, "tiling changed the computation", file: file, line: line)
        if photo.width > tile || photo.height > tile {
            XCTAssertGreaterThan(plan.levels[0].tileCount, 1, "the render was not tiled", file: file, line: line)
        }
    }
}

/// Photos, styles and masks for the tiled tests, from ../shared/images.
enum TiledFixtures {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var photos: [String: RGBImage] = [:]

    static func image(_ relative: String) throws -> RGBImage {
        try lock.withLock {
            if let image = photos[relative] { return image }
            let image = try ImageFile.read(SharedMaterial.images.appendingPathComponent(relative))
            photos[relative] = image
            return image
        }
    }

    /// The bridge photo resized to `width` x `height`.
    static func photo(_ width: Int, _ height: Int) throws -> RGBImage {
        try image("content/bridge.jpg").resized(width: width, height: height)
    }

    /// Two styles with their longer side `longerSide`.
    static func styles(longerSide: Int) throws -> [SourceImage] {
        try ["style/picasso.jpg", "style/whorls.jpg"].map {
            SourceImage(image: try image($0).resized(longerSide: longerSide), identity: "\($0)@\(longerSide)")
        }
    }

    /// A soft left-hand region with style 1 and a disc with an even blend; the rest of the
    /// photo keeps the default blend.
    static func regions(width: Int, height: Int) -> [Region] {
        var left = [Float](repeating: 0, count: width * height)
        var disc = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                left[y * width + x] = min(max(Float(width / 3 - x) / Float(width / 10) + 0.5, 0), 1)
                let dx = Float(x - 2 * width / 3), dy = Float(y - height / 2)
                disc[y * width + x] = (dx * dx + dy * dy).squareRoot() < Float(height) / 4 ? 0.8 : 0
            }
        }
        return [Region(mask: GrayImage(width: width, height: height, pixels: left), styles: [WeightedStyle(index: 1, weight: 1)]),
                Region(mask: GrayImage(width: width / 2, height: height / 2,
                                       pixels: GrayImage(width: width, height: height, pixels: disc)
                                        .resized(width: width / 2, height: height / 2).pixels),
                       styles: [WeightedStyle(index: 0, weight: 1), WeightedStyle(index: 1, weight: 1)])]
    }

    /// Mean and largest absolute difference of two images' values.
    static func difference(_ a: RGBImage, _ b: RGBImage) -> (mean: Double, max: Double) {
        var sum = 0.0, worst: Float = 0
        for (x, y) in zip(a.pixels, b.pixels) {
            let d = abs(x - y)
            sum += Double(d)
            worst = max(worst, d)
        }
        return (sum / Double(max(a.pixels.count, 1)), Double(worst))
    }
}
