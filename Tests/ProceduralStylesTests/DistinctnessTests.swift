import XCTest
import Imaging
@testable import ProceduralStyles

/// The paintings must differ in what style transfer picks up: colours and texture statistics.
final class DistinctnessTests: XCTestCase {
    /// How far apart two paintings must be in at least one statistic.
    struct Margins {
        static let meanColour = 0.12
        static let colourSpread = 0.06
        static let orientation = 0.35
        static let edgeDensity = 0.12
    }

    func testEveryPairDiffersClearlyInColourOrTexture() {
        // Measured on the images as shipped (default size and seed).
        let statistics = StyleCatalog.all.map { painting in
            (painting.name, ImageStatistics(DefaultGallery.images[painting.name]!))
        }
        for (name, stats) in statistics { print("\(name): \(stats.summary)") }
        for i in 0..<statistics.count {
            for j in (i + 1)..<statistics.count {
                let (nameA, a) = statistics[i], (nameB, b) = statistics[j]
                let colour = a.meanDistance(to: b)
                let spread = abs(a.colourSpread - b.colourSpread)
                let orientation = a.orientationDistance(to: b)
                let edges = abs(a.edgeDensity - b.edgeDensity)
                let distinct = colour > Margins.meanColour || spread > Margins.colourSpread
                    || orientation > Margins.orientation || edges > Margins.edgeDensity
                XCTAssertTrue(distinct, """
                    \(nameA) and \(nameB) are too alike: mean colour \(colour), spread \(spread), \
                    orientation \(orientation), edge density \(edges)
                    """)
            }
        }
    }

    func testStatisticsSeparateKnownTextures() {
        // The statistics themselves must see orientation and edges: vertical stripes have all
        // their gradient energy in the horizontal bin, a flat image has none.
        let stripes = RGBImage(width: 64, height: 64, pixels: (0..<(3 * 64 * 64)).map { i in
            Float((i % 64) / 4 % 2)
        })
        let flat = RGBImage(width: 64, height: 64, red: 0.5, green: 0.5, blue: 0.5)
        let s = ImageStatistics(stripes), f = ImageStatistics(flat)
        XCTAssertGreaterThan(s.orientations[0] + s.orientations[7], 0.99)
        XCTAssertEqual(f.edgeDensity, 0)
        XCTAssertGreaterThan(s.edgeDensity, 0.4)
        XCTAssertEqual(s.colourSpread, 0.5, accuracy: 1e-6)
        XCTAssertEqual(f.colourSpread, 0, accuracy: 1e-6)
    }
}
