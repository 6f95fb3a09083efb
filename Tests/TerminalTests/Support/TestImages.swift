import Foundation
import XCTest
import Imaging

/// Images for the tests: synthetic ones made here, real photos from the shared material.
enum TestImages {
    /// The repository root, from this file's path (Tests/TerminalTests/Support/TestImages.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The shared material: $ATELIER_SHARED, else <repo root>/../shared.
    static var shared: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_SHARED"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// A smooth two-dimensional colour gradient: red grows left to right, green top to bottom,
    /// blue along the diagonal.
    static func gradient(width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) / Float(max(1, width - 1)), v = Float(y) / Float(max(1, height - 1))
                image[0, x, y] = u
                image[1, x, y] = v
                image[2, x, y] = 1 - (u + v) / 2
            }
        }
        return image
    }

    /// An image of flat colour blocks: `colors.count` vertical stripes.
    static func stripes(width: Int, height: Int, colors: [(UInt8, UInt8, UInt8)]) -> RGBImage {
        var bytes: [UInt8] = []
        for _ in 0..<height {
            for x in 0..<width {
                let c = colors[x * colors.count / width]
                bytes += [c.0, c.1, c.2]
            }
        }
        return RGBImage(width: width, height: height, rgb8: bytes)
    }

    /// A real photo from shared/images/content, read with Imaging and shrunk so its longer side
    /// is at most `maxSide` pixels. Skips when the shared material is not there.
    static func photo(_ name: String, maxSide: Int) throws -> RGBImage {
        let url = shared.appendingPathComponent("images/content/\(name)")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no \(url.path)") }
        let image = try ImageFile.read(url)
        return max(image.width, image.height) > maxSide ? image.resized(longerSide: maxSide) : image
    }
}
