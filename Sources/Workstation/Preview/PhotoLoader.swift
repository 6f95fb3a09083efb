import Engine
import Foundation
import Imaging

/// Loads the photo itself (no style) at the preview's size on a background queue, for the
/// before/after view and for showing the photo before any style is chosen. Asking never blocks:
/// `image(path:box:)` answers nil until the picture is ready.
final class PhotoLoader: @unchecked Sendable {
    private struct Key: Equatable {
        var path: String
        var box: PreviewSize
    }

    private let sources: SourceLibrary
    private let queue = DispatchQueue(label: "atelier.photo", qos: .userInitiated)
    private let lock = NSLock()
    private var loaded: (key: Key, image: RGBImage?)?
    private var requested: Key?

    init(sources: SourceLibrary) {
        self.sources = sources
    }

    /// The photo at `path` fitted into `box`, or nil while it loads (or when it cannot be read:
    /// the render reports that error).
    func image(path: String, box: PreviewSize) -> RGBImage? {
        let key = Key(path: path, box: box)
        let (ready, start): (RGBImage?, Bool) = lock.withLock {
            if let loaded, loaded.key == key { return (loaded.image, false) }
            guard requested != key else { return (nil, false) }
            requested = key
            return (nil, true)
        }
        if start {
            queue.async { [self] in
                let image = try? sources.image(atPath: path, fit: .box(width: box.width, height: box.height)).image
                lock.withLock {
                    loaded = (key, image)
                    if requested == key { requested = nil }
                }
            }
        }
        return ready
    }
}
