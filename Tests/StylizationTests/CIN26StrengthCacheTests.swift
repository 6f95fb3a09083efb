import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// CIN-26's strength is a pixel blend applied last, so with a cache a strength change reuses the
/// picture at strength 1: the same bits as a render without the cache, and no network run.
final class CIN26StrengthCacheTests: XCTestCase {
    func testAStrengthChangeReusesTheCachedPictureBitForBit() throws {
        let model = try TestMagentaModels.cin26()
        let photo = SourceImage(image: try TiledFixtures.photo(97, 61), identity: "strength-cache-photo")
        let cache = LRUFeatureCache(capacityBytes: 64 << 20)
        var settings = StylizeSettings(color: .match, styles: [WeightedStyle(index: 7, weight: 1), WeightedStyle(index: 2, weight: 0.5)])
        for alpha: Float in [1, 0.35, 0.8] {
            settings.alpha = alpha
            let uncached = try model.stylize(content: photo, styles: [], settings: settings, cache: nil, control: nil, pool: .shared)
            let cached = try model.stylize(content: photo, styles: [], settings: settings, cache: cache, control: nil, pool: .shared)
            XCTAssertEqual(cached.pixels, uncached.pixels, "alpha \(alpha)")
        }
        XCTAssertEqual(cache.count, 1, "one picture at strength 1 for the three strengths")
        XCTAssertEqual(cache.hits, 2)

        // A later strength change never runs the network: a cancelled control would stop it.
        let control = RenderControl()
        control.cancel()
        settings.alpha = 0.5
        XCTAssertNoThrow(try model.stylize(content: photo, styles: [], settings: settings, cache: cache, control: control, pool: .shared))

        // Other weights, another colour mode or regions are other pictures.
        settings.styles = [WeightedStyle(index: 7, weight: 1)]
        _ = try model.stylize(content: photo, styles: [], settings: settings, cache: cache, control: nil, pool: .shared)
        settings.color = .off
        _ = try model.stylize(content: photo, styles: [], settings: settings, cache: cache, control: nil, pool: .shared)
        XCTAssertEqual(cache.count, 3)
        settings.regions = TiledFixtures.regions(width: 97, height: 61)
        let regional = try model.stylize(content: photo, styles: [], settings: settings, cache: cache, control: nil, pool: .shared)
        XCTAssertEqual(cache.count, 3, "renders with regions are not cached")
        XCTAssertEqual(regional.pixels,
                       try model.stylize(content: photo, styles: [], settings: settings, cache: nil, control: nil, pool: .shared).pixels)
    }
}
