import Foundation
import Imaging
import Runtime
import Stylization
import XCTest

/// The flicker measurement of docs/video.md on a clip made here from the shared photos: a still
/// photo background, a cut-out of another photo moving across it, and fresh sensor noise on
/// every frame. Flicker is the mean absolute change (0-255) between consecutive output frames
/// over the pixels the cut-out does not reach in either frame (with a margin for the network's
/// receptive field); style strength is the Gram distance of the output's UST-16x level-3
/// features to the painting's. The issue's target, asserted here: at the default stability a
/// flicker of at most a third of the independent frames' with the style strength within 10% of
/// theirs. `ATELIER_FLICKER_FRAMES=N` measures a longer clip (default 24 frames);
/// `ATELIER_FLICKER_SWEEP=0,0.3,...` prints the figures of more stabilities (docs/video.md).
final class VideoFlickerTests: CLITestCase {
    static let width = 320, height = 180, side = 72, step = 4, noise: Float = 4, margin = 24

    var frameCount: Int { Int(ProcessInfo.processInfo.environment["ATELIER_FLICKER_FRAMES"] ?? "") ?? 24 }
    var sweep: [Float] {
        (ProcessInfo.processInfo.environment["ATELIER_FLICKER_SWEEP"] ?? "").split(separator: ",").compactMap { Float($0) }
    }

    /// Where the cut-out's top-left corner is in frame `t`.
    func cutout(_ t: Int) -> (x: Int, y: Int) { (8 + Self.step * t % (Self.width - Self.side - 16), 60) }

    func testDefaultStabilityCutsFlickerToAThirdAndKeepsTheStyle() throws {
        try makeClip(frames: frameCount)
        var figures: [String: (flicker: Double, gram: Double)] = [:]
        for stability in ["0", "default"] + sweep.map({ "\($0)" }) where figures[stability] == nil {
            let name = "out-\(stability).mp4"
            let start = Date()
            let option = stability == "default" ? [] : ["--stability", stability]   // default: no option given
            let result = try render(["clip.mkv", "-s", picasso] + option + ["-o", name])
            XCTAssertEqual(result.status, 0, result.stderr)
            let frames = try decode(name)
            XCTAssertEqual(frames.count, frameCount)
            figures[stability] = (flicker(frames), try gramDistance(frames))
            print("flicker: stability \(stability): \(frameCount) frames, flicker \(figures[stability]!.flicker), "
                  + "Gram distance \(figures[stability]!.gram), \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        }
        let independent = figures["0"]!, stable = figures["default"]!
        XCTAssertGreaterThan(independent.flicker, 0.5, "the measurement sees the independent frames' flicker")
        XCTAssertLessThanOrEqual(stable.flicker, independent.flicker / 3, "flicker \(stable.flicker) vs \(independent.flicker)")
        XCTAssertEqual(stable.gram, independent.gram, accuracy: 0.1 * independent.gram, "style strength kept")
    }

    /// Writes `clip.mkv` (FFV1, lossless, so the noise reaches the decoder as made).
    func makeClip(frames: Int) throws {
        let background = try ImageFile.read(URL(fileURLWithPath: bridge)).resized(width: Self.width, height: Self.height)
        let patch = try ImageFile.read(URL(fileURLWithPath: images.appendingPathComponent("content/face.jpg").path))
            .resized(width: Self.side, height: Self.side)
        var raw = [UInt8]()
        var seed: UInt64 = 0x5EED
        func uniform() -> Float {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(seed >> 40) / Float(1 << 24) - 0.5
        }
        for t in 0..<frames {
            var frame = background
            let (ox, oy) = cutout(t)
            for c in 0..<3 {
                for y in 0..<Self.side { for x in 0..<Self.side { frame[c, ox + x, oy + y] = patch[c, x, y] } }
            }
            for i in frame.pixels.indices {
                let n = (uniform() + uniform() + uniform()) * 2 * Self.noise / 255  // about N(0, noise/255)
                frame.pixels[i] = min(max(frame.pixels[i] + n, 0), 1)
            }
            raw += frame.rgb8Interleaved()
        }
        try Data(raw).write(to: folder.appendingPathComponent("clip.rgb"))
        let result = try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
                                                      "-s", "\(Self.width)x\(Self.height)", "-framerate", "25", "-i", "clip.rgb",
                                                      "-c:v", "ffv1", "clip.mkv"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// The frames of a video, decoded by ffmpeg.
    func decode(_ name: String) throws -> [RGBImage] {
        let result = try Tool.run("/usr/bin/ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", name, "-f", "rawvideo", "-pix_fmt", "rgb24",
                                                      "\(name).rgb"], in: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("\(name).rgb")))
        let size = 3 * Self.width * Self.height
        return stride(from: 0, to: bytes.count - size + 1, by: size).map {
            RGBImage(width: Self.width, height: Self.height, rgb8: Array(bytes[$0..<($0 + size)]))
        }
    }

    /// Mean absolute change (0-255) between consecutive frames where the input stays still.
    func flicker(_ frames: [RGBImage]) -> Double {
        var sum = 0.0, count = 0
        for t in 1..<frames.count {
            let a = cutout(t - 1), b = cutout(t)
            for y in 0..<Self.height {
                for x in 0..<Self.width {
                    let moving = [a, b].contains { x >= $0.x - Self.margin && x < $0.x + Self.side + Self.margin
                                                      && y >= $0.y - Self.margin && y < $0.y + Self.side + Self.margin }
                    if moving { continue }
                    for c in 0..<3 { sum += Double(abs(frames[t][c, x, y] - frames[t - 1][c, x, y])) * 255 }
                    count += 3
                }
            }
        }
        return sum / Double(max(count, 1))
    }

    /// Mean over every fourth frame of ||G(frame) - G(painting)|| / ||G(painting)||, G the Gram
    /// matrix of UST-16x level-3 encoder features.
    func gramDistance(_ frames: [RGBImage]) throws -> Double {
        let model = try UST16xModel.load(from: ModelStore(home: home))
        func gram(_ image: RGBImage) throws -> [Double] {
            let f = try model.encode(Tensor(image).paddedToMultiple(), level: 3)
            let n = f.height * f.width, c = f.channels
            var g = [Double](repeating: 0, count: c * c)
            f.data.withUnsafeBufferPointer { p in
                for i in 0..<c { for j in i..<c {
                    var s: Float = 0
                    for k in 0..<n { s += p[i * n + k] * p[j * n + k] }
                    g[i * c + j] = Double(s) / Double(n)
                    g[j * c + i] = g[i * c + j]
                } }
            }
            return g
        }
        let style = try gram(try ImageFile.read(URL(fileURLWithPath: picasso)).resized(longerSide: 512))
        let norm = style.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var total = 0.0, count = 0
        for t in stride(from: 0, to: frames.count, by: 4) {
            let g = try gram(frames[t])
            total += zip(g, style).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() / norm
            count += 1
        }
        return total / Double(count)
    }
}
