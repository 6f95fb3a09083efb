import Foundation

/// The filter taps along one axis: for each output position, a run of consecutive input
/// positions and their weights (summing to 1). Stored with a fixed stride so the passes can
/// walk flat buffers.
struct ResampleWeights {
    /// Output positions.
    let outputSize: Int
    /// First input index of each output position.
    let starts: [Int]
    /// Number of taps used by each output position (the rest of its stride is zero).
    let counts: [Int]
    /// `outputSize * stride` weights.
    let weights: [Float]
    /// Weight slots per output position.
    let stride: Int

    /// Area (box) filter for shrinking: output pixel i covers input [i*in/out, (i+1)*in/out)
    /// and each input pixel weighs by the exact length it shares with that span.
    static func area(from input: Int, to output: Int) -> ResampleWeights {
        // In units of 1/output input pixels, output i spans [i*input, (i+1)*input) and input
        // pixel j spans [j*output, (j+1)*output): integer overlaps, exact for any ratio.
        var taps: [[(Int, Double)]] = []
        taps.reserveCapacity(output)
        for i in 0..<output {
            let lo = i * input, hi = (i + 1) * input
            var run: [(Int, Double)] = []
            for j in (lo / output)...min((hi - 1) / output, input - 1) {
                let overlap = min(hi, (j + 1) * output) - max(lo, j * output)
                if overlap > 0 { run.append((j, Double(overlap) / Double(input))) }
            }
            taps.append(run)
        }
        return ResampleWeights(output: output, taps: taps)
    }

    /// Lanczos-3 for enlarging: output i samples input position (i + 0.5) * in/out - 0.5 with
    /// the windowed sinc over the six nearest pixels; positions beyond the edge reuse the edge.
    static func lanczos3(from input: Int, to output: Int) -> ResampleWeights {
        let scale = Double(input) / Double(output)
        var taps: [[(Int, Double)]] = []
        taps.reserveCapacity(output)
        for i in 0..<output {
            let center = (Double(i) + 0.5) * scale - 0.5
            let first = Int(center.rounded(.down)) - 2
            var byIndex: [Int: Double] = [:]
            for j in first...(first + 5) {
                let w = lanczos3(center - Double(j))
                byIndex[min(max(j, 0), input - 1), default: 0] += w
            }
            let run = byIndex.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            taps.append(run)
        }
        return ResampleWeights(output: output, taps: taps)
    }

    /// The filter for `input -> output`: area when shrinking, Lanczos-3 when enlarging, nil
    /// when the size does not change.
    static func choose(from input: Int, to output: Int) -> ResampleWeights? {
        if output == input { return nil }
        return output < input ? area(from: input, to: output) : lanczos3(from: input, to: output)
    }

    /// sinc(x) * sinc(x / 3) on |x| < 3.
    static func lanczos3(_ x: Double) -> Double {
        if x == 0 { return 1 }
        if abs(x) >= 3 { return 0 }
        let px = Double.pi * x
        return 3 * sin(px) * sin(px / 3) / (px * px)
    }

    /// Packs runs (consecutive input indices, ascending) into the fixed-stride layout,
    /// normalising each run to sum to 1.
    private init(output: Int, taps: [[(Int, Double)]]) {
        let stride = max(taps.map(\.count).max() ?? 1, 1)
        var starts = [Int](repeating: 0, count: output)
        var counts = [Int](repeating: 0, count: output)
        var weights = [Float](repeating: 0, count: output * stride)
        for (i, run) in taps.enumerated() {
            let total = run.reduce(0) { $0 + $1.1 }
            starts[i] = run.first?.0 ?? 0
            counts[i] = run.count
            for (k, tap) in run.enumerated() {
                weights[i * stride + k] = Float(total != 0 ? tap.1 / total : 0)
            }
        }
        self.outputSize = output
        self.starts = starts
        self.counts = counts
        self.weights = weights
        self.stride = stride
    }
}
