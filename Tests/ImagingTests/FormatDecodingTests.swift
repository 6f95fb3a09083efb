import Foundation
import XCTest
@testable import Imaging

/// Every decodable format reads a real file made by the format's own encoder, and matches an
/// independent decoder (ImageMagick) within one level after colour conversion.
final class FormatDecodingTests: XCTestCase {
    /// Fixture, format detected, colour-managed by ImageMagick too (false: no profile to honour).
    static let fixtures: [(name: String, format: ImageFormat, tagged: Bool)] = [
        ("p3.png", .png, true), ("p3.jpg", .jpeg, true), ("p3-multi.jpg", .jpeg, true),
        ("p3.webp", .webp, true), ("p3.heic", .heic, true), ("p3.avif", .avif, true),
        ("p3-16.tif", .tiff, true), ("p3-16-tiled.tif", .tiff, true),
        ("rgba.png", .png, false), ("rgba-lossless.webp", .webp, false), ("rgba.heic", .heic, false),
        ("rgba.tif", .tiff, false), ("gray16.tif", .tiff, false), ("palette.tif", .tiff, false),
        ("oriented.tif", .tiff, false), ("oriented.webp", .webp, false),
    ]

    func testEveryFixtureMatchesImageMagickWithinOneLevel() throws {
        for fixture in Self.fixtures {
            let url = try FormatFixtures.url(fixture.name)
            let image = try ImageFile.read(url)
            // ImageMagick 6 ignores WebP's EXIF orientation: turn its reading by hand.
            let extra = fixture.name == "oriented.webp" ? ["-rotate", "90"] : []
            let reference = try FormatFixtures.magick(url, colourManaged: fixture.tagged, extra: extra)
            XCTAssertEqual(image.width, reference.width, fixture.name)
            XCTAssertEqual(image.height, reference.height, fixture.name)
            guard image.width == reference.width, image.height == reference.height else { continue }
            let ours = image.rgb8Interleaved()
            let worst = zip(ours, reference.rgb).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1, "\(fixture.name): largest difference \(worst) levels")
        }
    }

    func testFormatsAreRecognisedByContent() throws {
        for fixture in Self.fixtures {
            let bytes = [UInt8](try Data(contentsOf: FormatFixtures.url(fixture.name)))
            XCTAssertEqual(ImageFormat.detect(bytes), fixture.format, fixture.name)
        }
    }

    func testProfilesAreHonoured() throws {
        // Read as stored (the mask path does no conversion), the P3 files are far from ImageMagick's
        // sRGB: the tests above would fail if the profile were ignored.
        for name in ["p3.png", "p3.jpg", "p3-multi.jpg", "p3.webp", "p3.heic", "p3.avif", "p3-16.tif"] {
            let url = try FormatFixtures.url(name)
            let managed = try ImageFile.read(url).rgb8Interleaved()
            let bytes = [UInt8](try Data(contentsOf: url))
            let raw = try DecodedRaster(bytes: bytes, format: ImageFormat.detect(bytes)!, path: name,
                                        maxPixels: ImageFile.defaultMaxPixels, toSRGB: false)
            let stored = RGBImage(width: raw.width, height: raw.height, pixels: raw.rgbPlanes()).rgb8Interleaved()
            let worst = zip(managed, stored).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertGreaterThan(worst, 8, "\(name): the profile changed nothing")
        }
    }

    func testOrientationIsApplied() throws {
        // Both files say "rotate 90° clockwise" (6): stored 160x120 (TIFF) and 32x16 (WebP, from the
        // orientation fixtures' JPEG), shown upright.
        let tiff = try ImageFile.read(FormatFixtures.url("oriented.tif"))
        XCTAssertEqual([tiff.width, tiff.height], [120, 160])
        let webp = try ImageFile.read(FormatFixtures.url("oriented.webp"))
        let jpeg = try ImageFile.read(TestPaths.fixture("orientation6.jpg"))
        XCTAssertEqual([webp.width, webp.height], [jpeg.width, jpeg.height])
        XCTAssertEqual([webp.width, webp.height], [16, 32])
    }

    func testMasksReadEveryFormat() throws {
        for name in ["rgba-lossless.webp", "rgba.heic", "rgba.tif", "gray16.tif", "p3.avif"] {
            let mask = try ImageFile.readMask(FormatFixtures.url(name))
            XCTAssertEqual([mask.width, mask.height], [160, 120], name)
        }
        // The alpha ramp of the rgba fixtures runs from opaque (top) to transparent (bottom).
        let mask = try ImageFile.readMask(FormatFixtures.url("rgba-lossless.webp"))
        XCTAssertLessThan(mask[80, 119], 0.05)
    }

    func testSixteenBitSamplesKeepTheirPrecision() throws {
        // The grey TIFF holds 16-bit samples: more distinct values than 8 bits could give.
        let image = try ImageFile.read(FormatFixtures.url("gray16.tif"))
        let levels = Set(image.pixels.prefix(image.width * image.height).map { ($0 * 65535).rounded() })
        XCTAssertGreaterThan(levels.count, 256)
    }

    func testTheSizeIsCheckedBeforeDecoding() throws {
        for fixture in Self.fixtures where !fixture.name.hasPrefix("oriented") {
            let url = try FormatFixtures.url(fixture.name)
            assertImageError(try ImageFile.read(url, maxPixels: 160 * 120 - 1), naming: url.path) {
                $0 == .tooLarge(path: url.path, width: 160, height: 120, limit: 160 * 120 - 1)
            }
        }
    }

    func testTruncatedFilesFailClearly() throws {
        let folder = try makeTemporaryFolder(self)
        for fixture in Self.fixtures {
            let bytes = [UInt8](try Data(contentsOf: FormatFixtures.url(fixture.name)))
            let cut = folder.appendingPathComponent("cut-" + fixture.name)
            try Data(bytes.prefix(bytes.count * 2 / 3)).write(to: cut)
            assertImageError(try ImageFile.read(cut), naming: cut.path) {
                switch $0 {
                case .truncated, .corrupt: return true
                default: return false
                }
            }
        }
    }
}
