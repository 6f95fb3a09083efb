import Foundation
import Imaging
@testable import ProceduralStyles

/// The catalog painted once per test run at the committed size and seed, shared by the tests
/// that check the committed files and the statistics of what ships.
enum DefaultGallery {
    /// Every painting at `StyleCatalog.defaultSize` and `defaultSeed`, by name.
    static let images: [String: RGBImage] = {
        var images: [String: RGBImage] = [:]
        for painting in StyleCatalog.all {
            images[painting.name] = painting.paint(width: StyleCatalog.defaultSize,
                                                   height: StyleCatalog.defaultSize,
                                                   seed: StyleCatalog.defaultSeed)
        }
        return images
    }()

    /// The repository root, found from this file's path (Tests/ProceduralStylesTests/...).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed gallery folder.
    static let stylesFolder = repositoryRoot.appendingPathComponent("Styles")
}
