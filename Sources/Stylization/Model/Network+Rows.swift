import Foundation
import Runtime

/// A forward pass a few rows at a time through every layer at once.
///
/// Layer by layer, each full-size map (16 channels at 640x368 are 15 MB) is written out to
/// memory by one layer and read back by the next. Every layer here only needs the rows next to
/// the ones it makes (a 3x3 convolution one row above and below, a pool two, an upsample one
/// half), so the pass instead advances the first layer a few rows, then each later layer as far
/// as its input allows, and again: the rows a layer reads were written a moment ago and are
/// still in cache. Each layer's rows are computed by the same kernels as the whole-map ops,
/// whose results never depend on how rows are split into bands (Winograd bands start on a
/// multiple of 4 rows, as the whole-map split's do), so the output has the same bits.
extension Network {
    /// Rows the first layer advances by per step (a multiple of `Conv2D.rowGranularity`, even).
    static let rowStep = 8
    /// Largest input (pixels a channel) run in rows: every layer's output is kept until the
    /// pass ends (the layer-by-layer pass reuses them), about 70 MB at 640x368 for UST-16x.
    static let largestRowPass = 1280 * 720

    /// Whether `forward` runs `input` in rows on `pool`: a one-thread pool (a clip's frames in
    /// flight each have one) and a map of at most `largestRowPass` pixels whose layers chain.
    func runsInRows(_ input: Tensor, pool: WorkerPool) -> Bool {
        pool.threadCount == 1 && input.planeSize <= Self.largestRowPass && stages(for: input) != nil
    }

    /// One layer's geometry in a row pass.
    private struct Stage {
        let layer: Layer
        let channels: Int, height: Int, width: Int             // output
        let inChannels: Int, inHeight: Int, inWidth: Int       // input

        /// Output rows that `available` input rows (of `inHeight`) allow, rounded down to what
        /// the kernel may start a band on (unless every row is possible).
        func reachable(from available: Int) -> Int {
            var rows: Int
            switch layer {
            case .conv(_, let conv, _):
                rows = conv.kernelSize == 1 || available == inHeight ? available : available - 1
                if rows < height { rows -= rows % Conv2D.rowGranularity }
            case .maxPool: rows = available == inHeight ? height : available / 2
            case .upsample: rows = 2 * available
            }
            return max(0, min(rows, height))
        }
    }

    /// The stages for `input`, or nil when a layer does not fit (the layer-by-layer pass then
    /// reports the problem).
    private func stages(for input: Tensor) -> [Stage]? {
        var (c, h, w) = (input.channels, input.height, input.width)
        var stages: [Stage] = []
        for layer in layers {
            let (inC, inH, inW) = (c, h, w)
            switch layer {
            case .conv(_, let conv, _):
                guard conv.inChannels == c, conv.kernelSize == 1 || (h >= 2 && w >= 2) else { return nil }
                c = conv.outChannels
            case .maxPool:
                (h, w) = (h / 2, w / 2)
                guard h >= 1, w >= 1 else { return nil }
            case .upsample:
                (h, w) = (2 * h, 2 * w)
            }
            stages.append(Stage(layer: layer, channels: c, height: h, width: w, inChannels: inC, inHeight: inH, inWidth: inW))
        }
        return stages.isEmpty ? nil : stages
    }

    /// `forward` in rows (call when `runsInRows`), on the calling thread. `beforeLayer(i)` is
    /// called before layer i's first rows, in layer order.
    func forwardInRows(_ input: Tensor, beforeLayer: (Int) throws -> Void) throws -> Tensor {
        guard let stages = stages(for: input) else { preconditionFailure("forwardInRows on layers that do not chain") }
        let storage = RowPassStorage.current
        var maps = stages.map { stage in
            let count = stage.channels * stage.height * stage.width
            guard let data = storage.take(count: count) else {
                return Tensor(uninitializedChannels: stage.channels, height: stage.height, width: stage.width)
            }
            return Tensor(channels: stage.channels, height: stage.height, width: stage.width, data: data)
        }
        let bandRows = 2 * Self.rowStep + Conv2D.rowGranularity  // what one step can hand a stage
        let scratch: [UnsafeMutablePointer<Float>?] = stages.map { stage in
            guard case .conv(_, let conv, _) = stage.layer else { return nil }
            return .allocate(capacity: conv.scratchFloats(height: stage.inHeight, width: stage.inWidth, rows: bandRows))
        }
        defer { scratch.forEach { $0?.deallocate() } }
        var done = [Int](repeating: 0, count: stages.count)
        var started = [Bool](repeating: false, count: stages.count)
        while done[stages.count - 1] < stages[stages.count - 1].height {
            for (i, stage) in stages.enumerated() {
                // The input is whole: the first layer takes the next `rowStep` rows (a multiple
                // of the granularity, and even); the others what their input's rows allow.
                let target = i == 0 ? min(done[0] + Self.rowStep, stage.height) : stage.reachable(from: done[i - 1])
                guard target > done[i] else { continue }
                if !started[i] {
                    try beforeLayer(i)
                    started[i] = true
                }
                var y = done[i]
                while y < target {  // bands of at most `bandRows`, each starting on the granularity
                    let end = min(target, y + bandRows - bandRows % Conv2D.rowGranularity)
                    run(stage, rows: y..<end, input: i == 0 ? input : maps[i - 1], into: &maps[i], scratch: scratch[i])
                    y = end
                }
                done[i] = target
            }
        }
        let output = maps.removeLast()
        storage.keep(maps.map(\.data))
        return output
    }

    private func run(_ stage: Stage, rows: Range<Int>, input: Tensor, into output: inout Tensor,
                     scratch: UnsafeMutablePointer<Float>?) {
        input.data.withUnsafeBufferPointer { source in
            output.data.withUnsafeMutableBufferPointer { destination in
                let (s, d) = (source.baseAddress!, destination.baseAddress!)
                switch stage.layer {
                case .conv(_, let conv, let relu):
                    conv.forwardRows(s, height: stage.inHeight, width: stage.inWidth, rows: rows, relu: relu,
                                     into: d, scratch: scratch!)
                case .maxPool:
                    RowRangeOps.maxPool(s, channels: stage.inChannels, height: stage.inHeight, width: stage.inWidth,
                                        rows: rows, into: d)
                case .upsample:
                    RowRangeOps.upsample(s, channels: stage.inChannels, height: stage.inHeight, width: stage.inWidth,
                                         rows: rows, into: d)
                }
            }
        }
    }
}

/// The maps a thread's last row passes used, kept for its next ones: a clip's stylizer thread
/// runs the same shapes every frame (and a decoder's maps fit its encoder's), while fresh maps
/// of tens of megabytes cost page faults and zeroing (glibc gives a thread's freed heap back).
/// At most `limitFloats` are kept a thread, until the thread ends.
final class RowPassStorage {
    /// The most floats kept a thread (96 MB; UST-16x at 640x368 uses about 70 MB a pass).
    static let limitFloats = 24 << 20
    private var spare: [[Float]] = []

    /// The calling thread's storage.
    static var current: RowPassStorage {
        let key = "atelier.network.row-pass-storage"
        let dictionary = Thread.current.threadDictionary
        if let storage = dictionary[key] as? RowPassStorage { return storage }
        let storage = RowPassStorage()
        dictionary[key] = storage
        return storage
    }

    /// A kept array of `count` floats (its values are left over), or nil.
    func take(count: Int) -> [Float]? {
        guard let i = spare.firstIndex(where: { $0.count == count }) else { return nil }
        return spare.remove(at: i)
    }

    /// Keeps `arrays` (after any still kept), dropping the oldest beyond `limitFloats`.
    func keep(_ arrays: [[Float]]) {
        spare += arrays
        var total = spare.reduce(0) { $0 + $1.count }
        while total > Self.limitFloats, !spare.isEmpty { total -= spare.removeFirst().count }
    }
}
