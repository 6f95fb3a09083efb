import Foundation
import XCTest
@testable import Imaging

/// Colours are converted to sRGB from what the file says (ICC, PNG cICP/sRGB/gAMA), exports say
/// they are sRGB, and a Display P3 photo comes out as an independent colour-managed decoder sees it.
final class ColourManagementTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryFolder(self)
    }

    func testPNGcICPIsReadLikeTheEquivalentProfile() throws {
        // p3.png carries a Display P3 ICC profile; the same pixels with cICP (P3-D65 primaries,
        // sRGB transfer, full-range RGB) instead must decode alike, and differently from no tag.
        let tagged = try PNGChunks(contentsOf: FormatFixtures.url("p3.png"))
        let cicp = tagged.removing("iCCP").inserting("cICP", [12, 13, 0, 1])
        let untagged = tagged.removing("iCCP")
        let byProfile = try ImageFile.read(FormatFixtures.url("p3.png")).rgb8Interleaved()
        let byCICP = try read(cicp, "cicp.png")
        XCTAssertLessThanOrEqual(largestDifference(byProfile, byCICP), 1)
        XCTAssertGreaterThan(largestDifference(byProfile, try read(untagged, "untagged.png")), 8)
    }

    func testPNGGammaWithoutAProfile() throws {
        let plain = try PNGChunks(contentsOf: FormatFixtures.url("srgb.png")).removing("gAMA").removing("cHRM")
        let stored = try read(plain, "plain.png")
        // gAMA 1/1.8: linear light is the stored value to the power 1.8, then sRGB-encoded.
        let gamma18 = try read(plain.inserting("gAMA", bigEndian(55_556)), "gamma18.png")
        let expected = stored.map { UInt8((srgbEncode(pow(Double($0) / 255, 1.8)) * 255).rounded()) }
        XCTAssertLessThanOrEqual(largestDifference(gamma18, expected), 1)
        XCTAssertGreaterThan(largestDifference(gamma18, stored), 8)
        // gAMA 1/2.2 with sRGB's chromaticities is how ImageMagick says sRGB: nothing changes.
        XCTAssertEqual(try ImageFile.read(FormatFixtures.url("srgb.png")).rgb8Interleaved(), stored)
        // The sRGB chunk wins over gAMA.
        let both = plain.inserting("gAMA", bigEndian(55_556)).inserting("sRGB", [0])
        XCTAssertEqual(try read(both, "srgb-chunk.png"), stored)
    }

    func testExportedPNGsSayTheyAreSRGB() throws {
        let url = folder.appendingPathComponent("out.png")
        try ImageFile.writePNG(RGBImage(width: 4, height: 3, pixels: [Float](repeating: 0.5, count: 36)), to: url)
        let chunks = try PNGChunks(contentsOf: url)
        XCTAssertEqual(chunks.chunks.first { $0.type == "sRGB" }?.data, [0])
    }

    func testDeltaE2000FormulaOnSharmasPairs() {
        // Sharma, Wu, Dalal (2005), table 1, pairs 1, 7 and 17.
        XCTAssertEqual(ColourDifference.deltaE2000((50, 2.6772, -79.7751), (50, 0, -82.7485)), 2.0425, accuracy: 1e-4)
        XCTAssertEqual(ColourDifference.deltaE2000((50, 0, 0), (50, -1, 2)), 2.3669, accuracy: 1e-4)
        XCTAssertEqual(ColourDifference.deltaE2000((50, 2.5, 0), (56, -27, -3)), 31.9030, accuracy: 1e-4)
    }

    func testADisplayP3PhotoMatchesAnIndependentColourManagedDecode() throws {
        // face.jpg (saturated yellows and reds) in Display P3, as HEIC and JPEG; then the muted
        // blossom photo in the other formats.
        for name in ["photo-p3.heic", "photo-p3.jpg", "p3.avif", "p3.webp"] {
            let url = try FormatFixtures.url(name)
            let reference = try FormatFixtures.magick(url).rgb
            let managed = try ImageFile.read(url).rgb8Interleaved()
            let bytes = [UInt8](try Data(contentsOf: url))
            let raw = try DecodedRaster(bytes: bytes, format: ImageFormat.detect(bytes)!, path: name,
                                        maxPixels: ImageFile.defaultMaxPixels, toSRGB: false)
            let ignored = RGBImage(width: raw.width, height: raw.height, pixels: raw.rgbPlanes()).rgb8Interleaved()
            let withProfile = ColourDifference.meanDeltaE2000(managed, reference)
            let withoutProfile = ColourDifference.meanDeltaE2000(ignored, reference)
            print(String(format: "%@: mean CIEDE2000 %.3f colour-managed, %.3f with the profile ignored",
                         name, withProfile, withoutProfile))
            XCTAssertLessThanOrEqual(withProfile, 1.5, name)
            XCTAssertGreaterThan(withoutProfile, withProfile + 0.5, name)
            if name.hasPrefix("photo") { XCTAssertGreaterThan(withoutProfile, 2, name) }
        }
    }

    // MARK: helpers

    private func read(_ png: PNGChunks, _ name: String) throws -> [UInt8] {
        let url = folder.appendingPathComponent(name)
        try Data(png.bytes).write(to: url)
        return try ImageFile.read(url).rgb8Interleaved()
    }

    private func largestDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    private func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)]
    }

    private func srgbEncode(_ linear: Double) -> Double {
        linear <= 0.0031308 ? 12.92 * linear : 1.055 * pow(linear, 1 / 2.4) - 0.055
    }
}

/// A PNG as its list of chunks, to remove and insert ancillary chunks.
struct PNGChunks {
    var chunks: [(type: String, data: [UInt8])]

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        var at = 8
        chunks = []
        while at + 12 <= bytes.count {
            let length = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            let type = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
            chunks.append((type, Array(bytes[(at + 8)..<(at + 8 + length)])))
            at += 12 + length
        }
    }

    /// Without any chunk of `type`.
    func removing(_ type: String) -> PNGChunks {
        var copy = self
        copy.chunks.removeAll { $0.type == type }
        return copy
    }

    /// With a chunk of `type` right after IHDR.
    func inserting(_ type: String, _ data: [UInt8]) -> PNGChunks {
        var copy = self
        copy.chunks.insert((type, data), at: 1)
        return copy
    }

    /// The file's bytes, with fresh CRCs.
    var bytes: [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for chunk in chunks {
            let n = UInt32(chunk.data.count)
            out += [UInt8(n >> 24), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)]
            let body = Array(chunk.type.utf8) + chunk.data
            out += body
            let crc = crc32(body)
            out += [UInt8(crc >> 24), UInt8(crc >> 16 & 255), UInt8(crc >> 8 & 255), UInt8(crc & 255)]
        }
        return out
    }
}
