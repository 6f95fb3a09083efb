import Foundation
import Runtime

/// Where a level's output goes.
enum LevelOutput {
    /// Into the image buffer between levels (which may also be the level's input).
    case buffer(PlaneBuffer)
    /// To the final rows (cropped, clamped, colour-kept, handed to the caller).
    case rows(FinalRows)
}

/// One level of a tiled render: statistics over the whole image tile by tile, the transform
/// maps built from them, then transform and decode tile by tile.
struct TiledLevel {
    let tiling: LevelTiling
    let encoder: Network
    let decoder: Network
    let settings: StylizeSettings
    let pool: WorkerPool
    let progress: TileProgress

    /// Encoder features of exactly `cells` (of `geometry`'s grid), from an encoder pass over
    /// those cells plus the encoder halo, read from `input`.
    func encode(_ input: PlaneSource, cells: CellRect, geometry: LevelTiling) throws -> Tensor {
        let pixels = geometry.encoderWindow(cells)
        let x = input.read(pixels)
        let features = try progress.pass(costs: encoder.layerCosts(height: pixels.height, width: pixels.width)) {
            try encoder.forward(x, pool: pool, beforeLayer: $0)
        }
        let f = geometry.cellSize
        let windowCells = CellRect(y0: pixels.y0 / f, y1: pixels.y1 / f, x0: pixels.x0 / f, x1: pixels.x1 / f)
        return features.window(cells.relative(to: windowCells))
    }

    /// Runs the level from `input` to `output`. `styles` holds the statistics of every style the
    /// blends use; `regions` the region weights (nil: one region of ones with `settings.styles`).
    func run(input: PlaneSource, output: LevelOutput, styles: [Int: FeatureStatistics],
             regions: TiledRegionWeights?, spillDirectory: URL) throws {
        let f = tiling.cellSize
        let store: PlaneBuffer? = try {
            switch tiling.features {
            case .recompute: return nil
            case .memory: return PlaneBuffer(channels: tiling.channels, height: tiling.cellsHigh, width: tiling.cellsWide)
            case .spill: return try PlaneBuffer(spilledTo: spillDirectory, channels: tiling.channels,
                                                height: tiling.cellsHigh, width: tiling.cellsWide)
            }
        }()
        let blends = regions?.blends ?? [settings.styles]
        var moments = blends.map { _ in FeatureMoments(channels: tiling.channels, transform: settings.transform) }
        for band in tiling.bands {
            for owned in band {
                try progress.checkCancelled()
                let features = try encode(input, cells: owned, geometry: tiling)
                store?.write(features, part: CellRect(y0: 0, y1: owned.height, x0: 0, x1: owned.width), y: owned.y0, x: owned.x0)
                for r in blends.indices {
                    moments[r].add(features, mask: regions?.cells(owned, cellSize: f, channel: r), pool: pool)
                }
            }
        }
        let maps = try blends.indices.map { r -> ChannelAffineMap? in
            guard let content = moments[r].statistics else { return nil }
            let total = blends[r].reduce(0.0) { $0 + Double($1.weight) }
            var blend = ChannelAffineMap.zero(channels: tiling.channels)
            for style in blends[r] where style.weight > 0 {
                guard let statistics = styles[style.index] else { continue }
                blend.add(try settings.transform.map(content: content, style: statistics), weight: Double(style.weight) / total)
            }
            return blend
        }
        var writer = LevelWriter(output: output, tiling: tiling, inPlace: (input as AnyObject) === outputBuffer(output))
        for (b, band) in tiling.bands.enumerated() {
            writer.startBand(band)
            for owned in band {
                try progress.checkCancelled()
                let window = tiling.decoderWindow(owned)
                let fc = try store?.read(window) ?? encode(input, cells: window, geometry: tiling)
                var out: Tensor?
                for (r, map) in maps.enumerated() {
                    guard let map else { continue }
                    let transformed = map.apply(to: fc, pool: pool)
                    guard let regions else {
                        out = transformed   // one region covering everything, as in `UST16xStylizer`
                        continue
                    }
                    if out == nil { out = Tensor(channels: fc.channels, height: fc.height, width: fc.width) }
                    out!.accumulate(transformed, mask: regions.cells(window, cellSize: f, channel: r), pool: pool)
                }
                let stylized = out ?? Tensor(channels: fc.channels, height: fc.height, width: fc.width)
                let target = settings.alpha == 1 ? stylized : stylized.mixed(with: fc, alpha: settings.alpha)
                let decoded = try progress.pass(costs: decoder.layerCosts(height: window.height, width: window.width)) {
                    try decoder.forward(target, pool: pool, beforeLayer: $0)
                }
                writer.put(decoded, owned: owned.scaled(by: f), window: window.scaled(by: f))
            }
            try writer.finishBand(next: b + 1 < tiling.bands.count ? tiling.firstInputRow(ofBand: b + 1) : nil)
        }
    }

    private func outputBuffer(_ output: LevelOutput) -> AnyObject? {
        if case .buffer(let buffer) = output { return buffer }
        return nil
    }

    /// Progress units (flops) the level will run: its statistics and decoding passes.
    static func cost(of tiling: LevelTiling, encoder: Network, decoder: Network) -> Double {
        var total = 0.0
        for owned in tiling.bands.joined() {
            let pixels = tiling.encoderWindow(owned)
            total += encoder.layerCosts(height: pixels.height, width: pixels.width).reduce(0, +)
            let window = tiling.decoderWindow(owned)
            if tiling.features == .recompute {
                let again = tiling.encoderWindow(window)
                total += encoder.layerCosts(height: again.height, width: again.width).reduce(0, +)
            }
            total += decoder.layerCosts(height: window.height, width: window.width).reduce(0, +)
        }
        return total
    }
}
