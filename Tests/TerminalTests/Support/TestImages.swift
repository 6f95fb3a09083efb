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

    /// A real photo from shared/images/content, decoded and shrunk to at most `maxSide` pixels by
    /// Python/Pillow (Imaging's decoder is not on this branch yet). Skips when either is missing.
    static func photo(_ name: String, maxSide: Int) throws -> RGBImage {
        let path = shared.appendingPathComponent("images/content/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no \(path)") }
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("atelier-terminal-\(UUID().uuidString).rgb")
        defer { try? FileManager.default.removeItem(at: output) }
        let script = """
        import sys
        from PIL import Image
        im = Image.open(sys.argv[1]).convert("RGB")
        im.thumbnail((int(sys.argv[3]), int(sys.argv[3])))
        open(sys.argv[2], "wb").write(b"%d %d\\n" % im.size + im.tobytes())
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, output.path, String(maxSide)]
        do { try process.run() } catch { throw XCTSkip("python3 not available") }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: output),
              let newline = data.firstIndex(of: 10) else { throw XCTSkip("python3 with Pillow not available") }
        let header = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        let bytes = [UInt8](data[(newline + 1)...])
        guard header.count == 2, bytes.count == 3 * header[0] * header[1] else {
            throw XCTSkip("unexpected output from the photo converter")
        }
        return RGBImage(width: header[0], height: header[1], rgb8: bytes)
    }
}
