import Imaging
import Runtime

/// The regions' weights on the padded image grid, kept in one plane buffer (a channel per
/// region, plus one for the default blend's share), built one mask at a time so no more than
/// one full-size mask is ever held besides it. The values are exactly those `RegionMasks.plan`
/// computes; `cells(_:cellSize:)` averages them over feature cells as `RegionMasks.average` does.
final class TiledRegionWeights {
    /// One blend per channel that is in use (the default blend's channel only when some pixel
    /// is left over by the masks).
    let blends: [[WeightedStyle]]
    private let planes: PlaneBuffer

    /// Builds the weights of `settings.regions` for a `width` x `height` photo padded to
    /// `paddedWidth` x `paddedHeight`, in a buffer placed as `storage` says.
    init(settings: StylizeSettings, width: Int, height: Int, paddedWidth: Int, paddedHeight: Int,
         storage: BufferStorage, control: RenderControl?) throws {
        let count = settings.regions.count
        planes = try PlaneBuffer(storage, channels: count + 1, height: paddedHeight, width: paddedWidth)
        for (i, region) in settings.regions.enumerated() {
            try control?.checkCancelled()
            let m = region.mask
            let sized = (m.width == width && m.height == height) ? m : m.resized(width: width, height: height)
            let clamped = Tensor(channels: 1, height: height, width: width, data: sized.pixels.map { min(max($0, 0), 1) })
            planes.write(clamped, part: CellRect(y0: 0, y1: height, x0: 0, x1: width), y: 0, x: 0, firstChannel: i)
        }
        var leftOver = false
        let strip = 256
        for y0 in stride(from: 0, to: height, by: strip) {
            let rows = CellRect(y0: y0, y1: min(height, y0 + strip), x0: 0, x1: width)
            var masks = planes.read(rows, channels: 0..<count)
            let n = rows.area
            var rest = [Float](repeating: 1, count: n)
            masks.data.withUnsafeMutableBufferPointer { m in
                for i in 0..<n {
                    var sum: Float = 0
                    for k in 0..<count { sum += m[k * n + i] }
                    if sum > 1 {
                        for k in 0..<count { m[k * n + i] /= sum }
                        sum = 1
                    }
                    rest[i] = 1 - sum
                    if rest[i] > 0 { leftOver = true }
                }
            }
            planes.write(masks, part: CellRect(y0: 0, y1: rows.height, x0: 0, x1: width), y: y0, x: 0)
            planes.write(Tensor(channels: 1, height: rows.height, width: width, data: rest),
                         part: CellRect(y0: 0, y1: rows.height, x0: 0, x1: width), y: y0, x: 0, firstChannel: count)
        }
        try control?.checkCancelled()
        try Self.reflectPad(planes, width: width, height: height, strip: strip)
        blends = settings.regions.map(\.styles) + (leftOver ? [settings.styles] : [])
    }

    /// Fills the padding (rows from `height`, columns from `width`) by reflection, as
    /// `Tensor.reflectPadded` does.
    private static func reflectPad(_ planes: PlaneBuffer, width: Int, height: Int, strip: Int) throws {
        let (hp, wp) = (planes.height, planes.width)
        guard hp > height || wp > width else { return }
        for y0 in stride(from: 0, to: hp, by: strip) {
            let y1 = min(hp, y0 + strip)
            var out = Tensor(channels: planes.channels, height: y1 - y0, width: wp)
            for y in y0..<y1 {
                let source = reflectIndex(y, height)
                let row = planes.read(CellRect(y0: source, y1: source + 1, x0: 0, x1: width))
                for c in 0..<planes.channels {
                    for x in 0..<wp {
                        out[c, y - y0, x] = row.data[c * width + reflectIndex(x, width)]
                    }
                }
            }
            planes.write(out, part: CellRect(y0: 0, y1: y1 - y0, x0: 0, x1: wp), y: y0, x: 0)
        }
    }

    /// The weights of channel `channel` averaged over the feature cells `cells` (each
    /// `cellSize` pixels square), row by row.
    func cells(_ cells: CellRect, cellSize f: Int, channel: Int) -> [Float] {
        let pixels = planes.read(cells.scaled(by: f), channels: channel..<(channel + 1))
        return RegionMasks.average(pixels.data, width: pixels.width, height: pixels.height,
                                   featureWidth: cells.width, featureHeight: cells.height)
    }
}
