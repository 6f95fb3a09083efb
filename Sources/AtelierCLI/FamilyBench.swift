import Engine
import Foundation
import Imaging
import Runtime
import Stylization

/// `atelier bench --model FAMILY` for families other than UST-16x: cold renders of random
/// square photos through the family interface, in the JSON shape of
/// `../shared/peers/ort_models_peer.py` (`model`, `size`, `threads`, `total_ms`).
struct FamilyBench {
    /// The family measured.
    var family: ModelFamily
    /// The loaded model.
    var model: any StyleModel
    /// Worker threads.
    var threads: Int
    /// Timed runs per cell.
    var runs: Int
    /// One JSON object per line instead of a table.
    var json: Bool
    /// How long the pool's idle threads spin before they sleep (`--pool-spin-us`).
    var spinNanoseconds: UInt64 = 0

    /// The name the peer script prints for this family.
    var peerName: String { family.id == "magenta" ? "magenta-arbitrary" : family.id }

    /// Times every size: `total_ms` is a cold render (for image styles: the style vector of a
    /// 256x256 style image and the transform), `cached_ms` the same render with everything
    /// derived from the images already in the cache (one slider step). For magenta also
    /// `predict_ms`, the style predictor alone on a prepared 256x256 input (what the peer's
    /// `predict_ms` times), and `prepare_ms`, making that input from the style image (8-bit
    /// crop + Pillow Lanczos; part of `total_ms`, not of the peer's figure).
    func run(sizes: [Int]) throws {
        let pool = WorkerPool(threads: threads, spinNanoseconds: spinNanoseconds)
        let stylizer = Stylizer(model: model, pool: pool)
        if !json { print("kernels: \(InstructionSet.name)\nmodel              size threads   total_ms  cached_ms") }
        for size in sizes {
            let content = SourceImage(image: BenchCommand.noise(size: size, seed: 1), identity: "bench-content-\(size)")
            let styles = family.usesBuiltinStyles
                ? [] : [SourceImage(image: BenchCommand.noise(size: 256, seed: 2), identity: "bench-style-256")]
            let settings = StylizeSettings()
            let total = try BenchCommand.medianMilliseconds(runs: runs) {
                _ = try stylizer.stylize(content: content, styles: styles, settings: settings)
            }
            let cache = LRUFeatureCache(capacityBytes: 256 << 20)
            let cached = try BenchCommand.medianMilliseconds(runs: runs) {
                _ = try stylizer.stylize(content: content, styles: styles, settings: settings, cache: cache)
            }
            let predictor = try predictorTimes(style: styles.first?.image, pool: pool)
            if json {
                let extra = predictor.map { String(format: ", \"predict_ms\": %.2f, \"prepare_ms\": %.2f", $0.predict, $0.prepare) } ?? ""
                print("{\"peer\": \"\(AtelierVersion.programName)\", \"model\": \"\(peerName)\", \"size\": \(size), "
                      + "\"threads\": \(threads), \"isa\": \"\(InstructionSet.name)\", \"total_ms\": \(String(format: "%.1f", total)), "
                      + "\"cached_ms\": \(String(format: "%.1f", cached))\(extra)}")
            } else {
                print(peerName.padding(toLength: 18, withPad: " ", startingAt: 0)
                      + String(format: "%5d %7d %10.1f %10.1f", size, threads, total, cached))
            }
            fflush(stdout)
        }
    }

    /// Median milliseconds of the predictor network alone and of preparing its input, or nil
    /// for families without an image predictor.
    private func predictorTimes(style: RGBImage?, pool: WorkerPool) throws -> (predict: Double, prepare: Double)? {
        guard let magenta = model as? ArbitraryStyleModel, let style else { return nil }
        var input = PredictorInput.tensor(for: style)
        let prepare = try BenchCommand.medianMilliseconds(runs: runs) { input = PredictorInput.tensor(for: style) }
        let predict = try BenchCommand.medianMilliseconds(runs: runs) { _ = try magenta.predictor.styleVector(input, pool: pool) }
        return (predict, prepare)
    }
}
