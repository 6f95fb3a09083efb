import XCTest
import Runtime
import Stylization
@testable import Engine

/// A clip render or a live feed keeps the styles' features and never a frame's own.
final class ExcludingFeatureCacheTests: XCTestCase {
    func testKeepsTheStylesFeaturesAndDropsEveryFramesOwn() {
        let kept = LRUFeatureCache(capacityBytes: 1 << 20)
        let cache = ExcludingFeatureCache(kept, excluding: "/clips/a.mp4@640x360#")
        let features = Tensor(channels: 2, height: 3, width: 4)
        let style = FeatureKey(identity: "/styles/picasso.jpg", level: 4)
        let frame = FeatureKey(identity: "/clips/a.mp4@640x360#12", level: 4)
        let recoloured = FeatureKey(identity: "/styles/picasso.jpg|colors-of:/clips/a.mp4@640x360#12", level: 4)
        let vector = FeatureKey(identity: "/clips/a.mp4@640x360#3|magenta-vector", level: 0)
        for key in [style, frame, recoloured, vector] { cache.store(features, for: key) }
        XCTAssertEqual(kept.count, 1, "only the style's features are held")
        XCTAssertEqual(cache.features(for: style)?.data, features.data)
        for key in [frame, recoloured, vector] { XCTAssertNil(cache.features(for: key), key.identity) }
        // Another clip's (or a photo's) keys are not frames of this clip.
        let other = FeatureKey(identity: "/clips/a.mp4@320x180#12", level: 4)
        cache.store(features, for: other)
        XCTAssertNotNil(cache.features(for: other))
    }
}
