import Engine
import Foundation
import Imaging
import Runtime
import Stylization
import Terminal

/// Small pictures of a model family's built-in styles for the Styles pane (CIN-26's 26 styles
/// have numbers, not paintings): each built-in renders a fixed little scene once, in the
/// background, and the result is kept as a few cells of colour, two colours per cell (upper and
/// lower half). Keys never wait for it; rows show their swatch once it is there.
final class StyleSwatches {
    /// Cells per swatch.
    static let cells = 4
    /// A swatch: per cell, its upper and lower colour.
    typealias Swatch = [(upper: TrueColor, lower: TrueColor)]

    private var made: [String: [Swatch]] = [:]
    private var started: Set<String> = []
    private let work = BackgroundReads()

    /// The swatch of built-in `index` of `family`, once made.
    func swatch(family: String, index: Int) -> Swatch? {
        guard let swatches = made[family], swatches.indices.contains(index) else { return nil }
        return swatches[index]
    }

    /// Starts making `family`'s swatches (`count` built-ins) in the background, once per family;
    /// `load` gives the loaded model (off the interface's thread). A family that cannot be loaded
    /// simply shows no swatches.
    func request(family: String, count: Int, load: @escaping @Sendable () throws -> LoadedModel) {
        guard started.insert(family).inserted else { return }
        work.start({ try Self.make(count: count, model: load().model) }) { [weak self] result in
            if case .success(let swatches) = result { self?.made[family] = swatches }
        }
    }

    /// Hands finished swatches over (on the interface's thread); returns whether any arrived.
    func deliverFinished() -> Bool { work.deliverFinished() }

    /// The fixed scene every built-in paints: sky, sun, hills and a house, 64x32 pixels.
    static let scene: RGBImage = {
        let width = 64, height = 32, n = width * height
        var pixels = [Float](repeating: 0, count: 3 * n)
        for y in 0..<height {
            for x in 0..<width {
                let fx = Float(x) / Float(width), fy = Float(y) / Float(height)
                var c: (Float, Float, Float) = (0.45 + 0.3 * fy, 0.65 + 0.2 * fy, 0.95)            // sky
                if (fx - 0.75) * (fx - 0.75) * 4 + (fy - 0.3) * (fy - 0.3) < 0.02 { c = (1, 0.85, 0.3) }   // sun
                if fy > 0.6 + 0.12 * sin(fx * 7) { c = (0.25, 0.55 - 0.2 * fy, 0.2) }             // hills
                if fx > 0.2 && fx < 0.4 && fy > 0.45 && fy < 0.8 { c = (0.8, 0.3, 0.25) }         // house
                pixels[y * width + x] = c.0
                pixels[n + y * width + x] = c.1
                pixels[2 * n + y * width + x] = c.2
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }()

    /// Renders the scene in each built-in (one thread, so the preview keeps the others) and
    /// averages each rendering into `cells` x 2 blocks.
    static func make(count: Int, model: StyleModel) throws -> [Swatch] {
        let pool = WorkerPool(threads: 1)
        let content = SourceImage(image: scene, identity: "swatch-scene")
        return try (0..<count).map { index in
            let settings = StylizeSettings(styles: [WeightedStyle(index: index, weight: 1)])
            let picture = try model.stylize(content: content, styles: [], settings: settings, cache: nil, control: nil, pool: pool)
            return reduce(picture)
        }
    }

    /// The mean colour of each of `cells` x 2 blocks of `image`.
    static func reduce(_ image: RGBImage) -> Swatch {
        let w = image.width, h = image.height, n = w * h
        func mean(_ column: Int, _ half: Int) -> TrueColor {
            let x0 = column * w / cells, x1 = (column + 1) * w / cells, y0 = half * h / 2, y1 = (half + 1) * h / 2
            var sum: [Float] = [0, 0, 0]
            for y in y0..<y1 { for x in x0..<x1 { for c in 0..<3 { sum[c] += image.pixels[c * n + y * w + x] } } }
            let count = Float(max(1, (x1 - x0) * (y1 - y0)))
            func byte(_ v: Float) -> UInt8 { UInt8(max(0, min(255, (v / count * 255).rounded()))) }
            return TrueColor(red: byte(sum[0]), green: byte(sum[1]), blue: byte(sum[2]))
        }
        return (0..<cells).map { (upper: mean($0, 0), lower: mean($0, 1)) }
    }
}
