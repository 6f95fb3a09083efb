import Imaging
import Runtime

/// Puts a level's decoded tiles where they belong: straight into the image buffer when no later
/// tile reads those pixels, else into a band (a row of tiles) that is handed on as final rows or
/// written to the buffer once no later tile reads its rows (when the buffer is also the level's
/// input and the features are encoded again from it).
struct LevelWriter {
    private let output: LevelOutput
    private let tiling: LevelTiling
    private let banded: Bool
    private var band: Tensor?
    private var bandTop = 0
    private var pending: [(tensor: Tensor, top: Int)] = []

    init(output: LevelOutput, tiling: LevelTiling, inPlace: Bool) {
        self.output = output
        self.tiling = tiling
        if case .rows = output {
            banded = true
        } else {
            banded = inPlace && tiling.features == .recompute
        }
    }

    /// Starts a band of tiles (all of them share their rows).
    mutating func startBand(_ tiles: [CellRect]) {
        guard banded, let first = tiles.first else { return }
        let f = tiling.cellSize
        bandTop = first.y0 * f
        band = Tensor(channels: 3, height: first.height * f, width: tiling.cellsWide * f)
    }

    /// Stores the `owned` pixels of a tile decoded over `window` (both in padded-image pixels).
    mutating func put(_ decoded: Tensor, owned: CellRect, window: CellRect) {
        let part = owned.relative(to: window)
        if banded {
            band?.place(decoded, part: part, y: owned.y0 - bandTop, x: owned.x0)
        } else if case .buffer(let buffer) = output {
            buffer.write(decoded, part: part, y: owned.y0, x: owned.x0)
        }
    }

    /// Ends the band; `next` is the first image row the next band reads (nil after the last).
    mutating func finishBand(next: Int?) throws {
        guard banded, let finished = band else { return }
        band = nil
        switch output {
        case .rows(let rows):
            try rows.deliver(finished, top: bandTop)
        case .buffer(let buffer):
            pending.append((finished, bandTop))
            flush(upTo: next ?? Int.max, into: buffer)
        }
    }

    /// Writes pending rows above `limit` (no later tile reads them); keeps the rest.
    private mutating func flush(upTo limit: Int, into buffer: PlaneBuffer) {
        var kept: [(tensor: Tensor, top: Int)] = []
        for chunk in pending {
            let (h, w) = (chunk.tensor.height, chunk.tensor.width)
            let end = min(h, limit - chunk.top)
            if end <= 0 {
                kept.append(chunk)
                continue
            }
            buffer.write(chunk.tensor, part: CellRect(y0: 0, y1: end, x0: 0, x1: w), y: chunk.top, x: 0)
            if end < h { kept.append((chunk.tensor.window(CellRect(y0: end, y1: h, x0: 0, x1: w)), chunk.top + end)) }
        }
        pending = kept
    }
}

/// The last level's rows on their way out: cropped to the photo, clamped to [0, 1], given the
/// photo's chroma in luminance mode, and handed to the caller in strips, top to bottom.
final class FinalRows {
    private let photo: PaddedPhoto
    private let color: ColorPreservation
    private let sink: (RGBImage, Int) throws -> Void
    /// Rows per strip handed to the sink.
    static let stripRows = 128

    init(photo: PaddedPhoto, color: ColorPreservation, sink: @escaping (RGBImage, Int) throws -> Void) {
        self.photo = photo
        self.color = color
        self.sink = sink
    }

    /// Delivers the rows of `band` (padded-image rows from `top`) that lie inside the photo.
    func deliver(_ band: Tensor, top: Int) throws {
        let (height, width) = (photo.image.height, photo.image.width)
        let rows = min(band.height, height - top)
        for start in stride(from: 0, to: max(rows, 0), by: Self.stripRows) {
            let end = min(rows, start + Self.stripRows)
            var strip = RGBImage(clamping: band.window(CellRect(y0: start, y1: end, x0: 0, x1: width)))
            if color == .luminance {
                let content = photo.read(CellRect(y0: top + start, y1: top + end, x0: 0, x1: width))
                strip = ColorPreservation.keepLuminance(
                    stylized: strip, content: RGBImage(width: width, height: end - start, pixels: content.data))
            }
            try sink(strip, top + start)
        }
    }
}
