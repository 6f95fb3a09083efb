import Foundation
import Imaging
import Runtime

/// A whole render of a CIN network under a memory budget: the plan, the layer-by-layer strip
/// run (`CINNetwork.runInStrips`), and the result read back as clamped strips of the photo's
/// own rows, as often as the family's colour step needs (CIN-26's colour matching reads it
/// twice: statistics, then pixels).
final class CINStripRender {
    /// The plan followed.
    let plan: CINStripPlan
    /// Where the maps went: counts of maps held in memory and spilled.
    let budget: StripBudget
    private let photo: RGBImage
    private let result: StripMap
    private let pool: WorkerPool

    /// Runs `network` on `photo` (reflect-padded to a multiple of 4 on the fly) with
    /// `conditioning` built for that padded grid.
    init(network: CINNetwork, photo: RGBImage, conditioning: CINConditioning, regionCount: Int,
         options: TilingOptions, control: RenderControl?, pool: WorkerPool) throws {
        plan = try CINStripPlan.make(network: network, width: photo.width, height: photo.height,
                                     regionCount: regionCount, options: options, threads: pool.threadCount)
        budget = StripBudget(available: plan.mapBytes, spillDirectory: options.spillDirectory)
        let progress = TileProgress(total: plan.shapes.reduce(0) { $0 + $1.cost }, control: control)
        let input = PaddedPhoto(photo, multiple: CINStripPlan.multiple)
        result = try network.runInStrips(input, conditioning: conditioning, plan: plan, budget: budget, pool: pool,
                                         progress: progress)
        self.photo = photo
        self.pool = pool
    }

    /// Hands the network's output, cropped to the photo and clamped to [0, 1], to `body` in
    /// strips of whole rows top to bottom, each with the photo's rows it covers.
    func forEachStrip(_ body: (_ stylized: RGBImage, _ photo: RGBImage, _ top: Int) throws -> Void) throws {
        let rows = plan.rows
        for y0 in stride(from: 0, to: photo.height, by: rows) {
            let y1 = min(photo.height, y0 + rows)
            let y = try result.read(rows: y0..<y1, pool: pool)
            try body(RGBImage(clamping: y, height: y1 - y0, width: photo.width), photo.rows(y0..<y1), y0)
        }
    }
}

extension RGBImage {
    /// Rows `rows` as an image of their own.
    func rows(_ rows: Range<Int>) -> RGBImage {
        RGBImage(width: width, height: rows.count,
                 pixels: Tensor(channels: 3, height: height, width: width, data: pixels).rows(rows).data)
    }
}
