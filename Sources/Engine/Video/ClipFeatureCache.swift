import Runtime
import Stylization

/// The feature cache of one clip render: what the family derives from the style images (every
/// frame reads it) is kept; what it derives from one frame (encoder outputs of the frame, its
/// style vector, styles recoloured to it) is never stored, since no other frame asks for it.
/// A frame's keys are those naming its identity, `clip identity + "#" + frame index`.
final class ClipFeatureCache: FeatureCache, @unchecked Sendable {
    private let kept: LRUFeatureCache
    private let frameMark: String

    /// A cache of at most `capacityBytes` for the clip whose frames are named `identity#N`.
    init(clipIdentity identity: String, capacityBytes: Int) {
        kept = LRUFeatureCache(capacityBytes: capacityBytes)
        frameMark = identity + "#"
    }

    /// Entries held (style features only).
    var count: Int { kept.count }

    func features(for key: FeatureKey) -> Tensor? {
        isFrames(key) ? nil : kept.features(for: key)
    }

    func store(_ features: Tensor, for key: FeatureKey) {
        if !isFrames(key) { kept.store(features, for: key) }
    }

    private func isFrames(_ key: FeatureKey) -> Bool { key.identity.contains(frameMark) }
}
