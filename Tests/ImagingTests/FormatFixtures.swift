import CLittleCMS
import Foundation
import XCTest
@testable import Imaging

/// Fixtures in every decodable format, made once per test run by `Fixtures/make_format_fixtures.sh`
/// with the formats' own encoders (ImageMagick, cwebp, heif-enc, tiffcp), from a shared photo
/// turned into Display P3; and ImageMagick as the independent decoder to compare against.
enum FormatFixtures {
    /// The folder holding the fixtures (made on first use; removed when the process ends is not
    /// needed: it lives in the temporary folder and is a few hundred KB).
    static func folder() throws -> URL {
        try made.get()
    }

    /// The fixture `name` (e.g. "p3.heic").
    static func url(_ name: String) throws -> URL {
        try folder().appendingPathComponent(name)
    }

    /// ImageMagick's sRGB profile target (Debian's colord-data): not made by the code under test.
    static let srgbProfile = "/usr/share/color/icc/colord/sRGB.icc"
    /// The real ImageMagick (Debian's package; a `convert` earlier on PATH may be a stand-in).
    static let convert = "/usr/bin/convert"

    /// Where the fixtures are made: one folder per test process, removed when it exits.
    static let folderPath = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-formats-\(getpid())").path

    private static let made: Result<URL, Error> = Result {
        let folder = URL(fileURLWithPath: folderPath)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let p3 = folder.appendingPathComponent("display-p3.icc"), big = folder.appendingPathComponent("display-p3-big.icc")
        try displayP3Profile().write(to: p3)
        try displayP3Profile(padding: 80_000).write(to: big)
        atexit { try? FileManager.default.removeItem(atPath: FormatFixtures.folderPath) }
        let script = TestPaths.repoRoot.appendingPathComponent("Tests/ImagingTests/Fixtures/make_format_fixtures.sh")
        try run(script.path, [TestPaths.image("content/blossom.jpg").path, p3.path, big.path, srgbProfile,
                              TestPaths.fixture("orientation6.jpg").path, TestPaths.image("content/face.jpg").path,
                              folder.path])
        return folder
    }

    /// A Display P3 profile (P3 primaries, D65, the sRGB curve) made with Little CMS. With
    /// `padding` > 0 it also carries a private tag of that many bytes (ignored by readers), which
    /// makes a profile larger than one JPEG segment holds.
    static func displayP3Profile(padding: Int = 0) throws -> Data {
        var white = cmsCIExyY(x: 0.3127, y: 0.3290, Y: 1)
        var primaries = cmsCIExyYTRIPLE(Red: cmsCIExyY(x: 0.680, y: 0.320, Y: 1), Green: cmsCIExyY(x: 0.265, y: 0.690, Y: 1),
                                        Blue: cmsCIExyY(x: 0.150, y: 0.060, Y: 1))
        var parameters: [Double] = [2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045]
        guard let curve = cmsBuildParametricToneCurve(nil, 4, &parameters) else { throw FixtureError("lcms: no curve") }
        defer { cmsFreeToneCurve(curve) }
        var curves: [OpaquePointer?] = [curve, curve, curve]
        guard let profile = cmsCreateRGBProfile(&white, &primaries, &curves) else { throw FixtureError("lcms: no profile") }
        defer { cmsCloseProfile(profile) }
        if padding > 0 {
            var bytes = Array("atelier test padding ".utf8)
            bytes += [UInt8](repeating: 0x2E, count: max(padding - bytes.count, 0))
            let privateTag = cmsTagSignature(rawValue: 0x6174_6C72) // 'atlr'
            guard cmsWriteRawTag(profile, privateTag, &bytes, UInt32(bytes.count)) != 0 else {
                throw FixtureError("lcms: cannot add the padding tag")
            }
        }
        var size: UInt32 = 0
        guard cmsSaveProfileToMem(profile, nil, &size) != 0 else { throw FixtureError("lcms: cannot size the profile") }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        guard cmsSaveProfileToMem(profile, &bytes, &size) != 0 else { throw FixtureError("lcms: cannot save the profile") }
        return Data(bytes)
    }

    /// ImageMagick's reading of `url`: upright, converted to sRGB from its profile when
    /// `colourManaged` (else the samples as stored), alpha on white, 8-bit RGB bytes.
    static func magick(_ url: URL, colourManaged: Bool = true, extra: [String] = []) throws
        -> (width: Int, height: Int, rgb: [UInt8]) {
        var url = url
        if ["heic", "avif"].contains(url.pathExtension) {
            // ImageMagick 6.9.11 drops HEIF's alpha and ICC profile: libheif's own converter
            // writes them into a PNG, which ImageMagick then colour-manages and composites.
            let png = url.deletingPathExtension().appendingPathExtension(url.pathExtension + ".png")
            try run("heif-convert", [url.path, png.path])
            url = png
        }
        var arguments = [url.path, "-auto-orient"] + extra
        if colourManaged { arguments += ["-profile", srgbProfile] } else { arguments += ["+profile", "*"] }
        arguments += ["-background", "white", "-alpha", "remove", "-alpha", "off", "-colorspace", "sRGB", "-depth", "8"]
        let size = try run(convert, [url.path, "-auto-orient"] + extra + ["-format", "%w %h", "info:"])
        let parts = size.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard parts.count == 2 else { throw FixtureError("ImageMagick gave no size for \(url.lastPathComponent): \(size)") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-magick-\(UUID().uuidString).rgb")
        defer { try? FileManager.default.removeItem(at: out) }
        try run(convert, arguments + ["rgb:\(out.path)"])
        let rgb = [UInt8](try Data(contentsOf: out))
        guard rgb.count == parts[0] * parts[1] * 3 else { throw FixtureError("ImageMagick wrote \(rgb.count) bytes") }
        return (parts[0], parts[1], rgb)
    }

    /// Runs a tool to completion; throws with its stderr when it fails or is missing.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError("\(tool) failed (\(process.terminationStatus)): \(String(decoding: problem, as: UTF8.self)) "
                               + "(Scripts/install-deps.sh --test installs the tools)")
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// A fixture could not be made.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
