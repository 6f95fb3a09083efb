import CKernels
import Foundation

/// MobileNetV2's inverted-residual block: 1x1 expansion + ReLU6 (optional), depthwise 3x3 +
/// ReLU6 on the expanded map zero-padded TF "SAME" (stride 2 pads only what the size needs,
/// bottom/right first), 1x1 linear projection, plus the input when `residual`.
///
/// On AVX2/FMA the whole block runs as one pass over bands of output rows (one pool dispatch,
/// the expanded map stays in the cache, no padded copy); elsewhere layer by layer.
public struct InvertedResidualBlock: Sendable {
    /// The expansion, or nil (expansion factor 1).
    public let expand: GeneralConv?
    /// The depthwise 3x3 layer (stride 1 or 2).
    public let depthwise: GeneralConv
    /// The linear projection.
    public let project: GeneralConv
    /// Whether the input is added to the result (stride 1, same channels in and out).
    public let residual: Bool
    /// The projection's weights cut by hidden channel ranges (`fusedSplittingHidden`), packed
    /// on first use per number of parts.
    private let slices = ProjectionSlices()

    /// Output maps at most this wide run split by hidden channels rather than by rows.
    static let splitWidth = 16

    /// A block from its layers; the shapes must chain (1x1 expansion and projection, a 3x3
    /// depthwise layer in between, a residual only at stride 1 with equal channels).
    public init(expand: GeneralConv?, depthwise: GeneralConv, project: GeneralConv, residual: Bool) throws {
        let hidden = depthwise.inChannels
        if let expand, expand.kernelSize != 1 || expand.stride != 1 || expand.depthwise || expand.outChannels != hidden {
            throw ConvError.badChannelCount(outChannels: expand.outChannels, inChannels: expand.inChannels)
        }
        guard depthwise.depthwise, depthwise.stride == 1 || depthwise.stride == 2 else {
            throw ConvError.unsupportedKernelSize(depthwise.kernelSize)
        }
        guard project.kernelSize == 1, project.stride == 1, !project.depthwise, project.inChannels == hidden else {
            throw ConvError.badChannelCount(outChannels: project.outChannels, inChannels: project.inChannels)
        }
        let inChannels = expand?.inChannels ?? hidden
        guard !residual || (depthwise.stride == 1 && project.outChannels == inChannels) else {
            throw ConvError.badChannelCount(outChannels: project.outChannels, inChannels: inChannels)
        }
        self.expand = expand
        self.depthwise = depthwise
        self.project = project
        self.residual = residual
    }

    /// Input channels.
    public var inChannels: Int { expand?.inChannels ?? depthwise.inChannels }

    /// TF "SAME" zero padding of an h x w map for the depthwise layer: (top, left, bottom, right).
    public func samePadding(height: Int, width: Int) -> (top: Int, left: Int, bottom: Int, right: Int) {
        let s = depthwise.stride
        func split(_ n: Int) -> (Int, Int) {
            let total = max(((n + s - 1) / s - 1) * s + 3 - n, 0)
            return (total / 2, total - total / 2)
        }
        let (t, b) = split(height), (l, r) = split(width)
        return (t, l, b, r)
    }

    /// The block on `input` (inChannels x H x W).
    public func forward(_ input: Tensor, pool: WorkerPool = .shared) throws -> Tensor {
        guard input.channels == inChannels else { throw ConvError.inputChannels(expected: inChannels, actual: input.channels) }
        return try fused(input, pool: pool) ?? layerByLayer(input, pool: pool)
    }

    /// The same block one layer at a time (padded copy, a dispatch per layer): the fallback and
    /// the reference the fused pass is tested against.
    public func layerByLayer(_ input: Tensor, pool: WorkerPool = .shared) throws -> Tensor {
        var h = input
        if let expand { h = try expand.forward(h, activation: .relu6, pool: pool) }
        let pad = samePadding(height: h.height, width: h.width)
        h = try depthwise.forward(h.padded(top: pad.top, left: pad.left, bottom: pad.bottom, right: pad.right, mode: .zero, pool: pool),
                                  activation: .relu6, pool: pool)
        h = try project.forward(h, activation: .none, pool: pool)
        if residual { h.add(input, pool: pool) }
        return h
    }

    /// The one-pass block, or nil when the kernel declines (no AVX2/FMA).
    private func fused(_ input: Tensor, pool: WorkerPool) throws -> Tensor? {
        let (h, w, s) = (input.height, input.width, depthwise.stride)
        let pad = samePadding(height: h, width: w)
        let (ho, wo) = depthwise.outputSize(height: h + pad.top + pad.bottom, width: w + pad.left + pad.right)
        let hidden = depthwise.inChannels, cout = project.outChannels
        if expand != nil, wo <= Self.splitWidth, pool.threadCount > 1, hidden >= 16 * pool.threadCount {
            return fusedSplittingHidden(input, pad: pad, ho: ho, wo: wo, parts: pool.threadCount, pool: pool)
        }
        let scratchCount = Int(ak_inverted_residual_scratch(Int32(hidden), Int32(w), Int32(s), Int32(wo)))
        // Contiguous row ranges, one per thread (each range recomputes at most two expanded rows).
        let parts = max(1, min(pool.threadCount, ho))
        var declined = false
        let declinedLock = NSLock()
        var out = [Float](unsafeUninitializedCapacity: cout * ho * wo) { _, n in n = cout * ho * wo }
        input.data.withUnsafeBufferPointer { src in
            withLayer(expand) { ew, eb in
                depthwise.weightAndBias { dw, db in
                    project.weightAndBias { pw, pb in
                        out.withUnsafeMutableBufferPointer { dst in
                            let (sp, dp) = (src.baseAddress!, dst.baseAddress!)
                            pool.parallelFor(parts) { part in
                                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                                defer { scratch.deallocate() }
                                let y0 = part * ho / parts, y1 = (part + 1) * ho / parts
                                if ak_inverted_residual_rows(sp, Int32(input.channels), Int32(h), Int32(w), ew, eb, Int32(hidden),
                                                             dw, db, Int32(s), Int32(pad.top), Int32(pad.left), pw, pb,
                                                             Int32(cout), residual ? 1 : 0, dp, Int32(ho), Int32(wo),
                                                             Int32(y0), Int32(y1), scratch) == 0 {
                                    declinedLock.lock(); declined = true; declinedLock.unlock()
                                }
                            }
                        }
                    }
                }
            }
        }
        return declined ? nil : Tensor(channels: cout, height: ho, width: wo, data: out)
    }

    /// The one-pass block on small maps, where row bands would recompute many shared expanded
    /// rows: each of `parts` threads runs every row for its own range of hidden channels
    /// (expansion, depthwise, its share of the projection), the first adding the bias and the
    /// residual; the shares are then summed in part order (deterministic, within float rounding
    /// of the row-band pass). Nil when the kernel declines.
    private func fusedSplittingHidden(_ input: Tensor, pad: (top: Int, left: Int, bottom: Int, right: Int),
                                      ho: Int, wo: Int, parts: Int, pool: WorkerPool) -> Tensor? {
        let (h, w, s, cin) = (input.height, input.width, depthwise.stride, input.channels)
        let hidden = depthwise.inChannels, cout = project.outChannels, n = cout * ho * wo
        let bounds = (0...parts).map { p in p == parts ? hidden : (p * hidden / parts) / 8 * 8 }
        let widest = (0..<parts).map { bounds[$0 + 1] - bounds[$0] }.max()!
        let scratchCount = Int(ak_inverted_residual_scratch(Int32(widest), Int32(w), Int32(s), Int32(wo)))
        let sliced = slices.weights(of: project, bounds: bounds)
        var declined = false
        let declinedLock = NSLock()
        // part 0 writes `out`, part p > 0 its share at (p - 1) n of `shares`
        var out = [Float](unsafeUninitializedCapacity: n) { _, c in c = n }
        var shares = [Float](unsafeUninitializedCapacity: (parts - 1) * n) { _, c in c = (parts - 1) * n }
        input.data.withUnsafeBufferPointer { src in
            withLayer(expand) { ew, eb in
                depthwise.weightAndBias { dw, db in
                    project.weightAndBias { _, pb in
                        out.withUnsafeMutableBufferPointer { dst in
                            shares.withUnsafeMutableBufferPointer { sh in
                                let (sp, dp, shp) = (src.baseAddress!, dst.baseAddress!, sh.baseAddress)
                                pool.parallelFor(parts) { part in
                                    let (h0, hh) = (bounds[part], bounds[part + 1] - bounds[part])
                                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                                    defer { scratch.deallocate() }
                                    let target = part == 0 ? dp : shp! + (part - 1) * n
                                    let ok = sliced[part].withUnsafeBufferPointer { pw in
                                        ak_inverted_residual_rows(sp, Int32(cin), Int32(h), Int32(w), ew! + h0 * cin, eb.map { $0 + h0 },
                                                                  Int32(hh), dw + 9 * h0, db.map { $0 + h0 }, Int32(s), Int32(pad.top),
                                                                  Int32(pad.left), pw.baseAddress!, part == 0 ? pb : nil, Int32(cout),
                                                                  part == 0 && residual ? 1 : 0, target, Int32(ho), Int32(wo),
                                                                  0, Int32(ho), scratch)
                                    }
                                    if ok == 0 { declinedLock.lock(); declined = true; declinedLock.unlock() }
                                }
                                for p in 1..<parts {
                                    let share = shp! + (p - 1) * n
                                    for i in 0..<n { dp[i] += share[i] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return declined ? nil : Tensor(channels: cout, height: ho, width: wo, data: out)
    }

    private func withLayer<R>(_ layer: GeneralConv?, _ body: (UnsafePointer<Float>?, UnsafePointer<Float>?) -> R) -> R {
        guard let layer else { return body(nil, nil) }
        return layer.weightAndBias { body($0, $1) }
    }
}

/// A projection's weights ([cout][hidden]) cut into [cout][range] blocks by hidden channel
/// ranges, packed once per set of ranges.
final class ProjectionSlices: @unchecked Sendable {
    private let lock = NSLock()
    private var packed: [[Int]: [[Float]]] = [:]

    func weights(of project: GeneralConv, bounds: [Int]) -> [[Float]] {
        lock.lock()
        defer { lock.unlock() }
        if let done = packed[bounds] { return done }
        let (cout, hidden) = (project.outChannels, project.inChannels)
        let slices = project.weightAndBias { w, _ in
            (0..<(bounds.count - 1)).map { p -> [Float] in
                let (h0, hh) = (bounds[p], bounds[p + 1] - bounds[p])
                var slice = [Float](repeating: 0, count: cout * hh)
                for o in 0..<cout { for i in 0..<hh { slice[o * hh + i] = w[o * hidden + h0 + i] } }
                return slice
            }
        }
        packed[bounds] = slices
        return slices
    }
}
