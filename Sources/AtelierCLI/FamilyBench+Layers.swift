import Foundation
import Runtime
import Stylization

extension FamilyBench {
    /// `atelier bench --layers`: the transform of magenta (style vector computed once) or cin26
    /// (built-in 0) run `runs` times after a warm-up; per stage (each convolution with its
    /// padding or upsampling, each instance norm, each residual add) the median wall time, the
    /// median CPU time of all threads (what counts on a loaded machine) and, for convolutions,
    /// GFLOP/s per CPU second; then the stages' sums and the whole render's median. For magenta
    /// the style predictor's stages (on a 256x256 style) come first, the same way.
    func runLayers(sizes: [Int]) throws {
        let pool = WorkerPool(threads: threads, spinNanoseconds: spinNanoseconds)
        printDispatchCost(pool)
        if let magenta = model as? ArbitraryStyleModel {
            let style = PredictorInput.tensor(for: BenchCommand.noise(size: 256, seed: 2))
            try printStages("\(peerName) style predictor 256x256") { _ = try magenta.predictor.styleVector(style, pool: pool, timing: $0) }
        }
        for size in sizes {
            let content = BenchCommand.noise(size: size, seed: 1)
            let render: (((StageTime) -> Void)?) throws -> Void
            if let magenta = model as? ArbitraryStyleModel {
                let vector = try magenta.styleVector(for: BenchCommand.noise(size: 256, seed: 2), pool: pool)
                render = { _ = try magenta.stylize(content: content, vector: vector, pool: pool, timing: $0) }
            } else if let cin26 = model as? CIN26Model {
                var weights = [Float](repeating: 0, count: CIN26Model.styleCount)
                weights[0] = 1
                render = { _ = try cin26.stylize(content: content, weights: weights, pool: pool, timing: $0) }
            } else {
                throw CLIFailure.runtime("--layers: \(family.id) is not a CIN network")
            }
            try printStages("\(peerName) \(size)x\(size)", render: render)
        }
    }

    /// Runs `render` once, then `runs` times hearing its stages; prints the per-stage medians:
    /// wall and CPU time, then where the pool's threads spent the wall time (running on the
    /// calling thread, running on workers, waiting for a core, and idle: threads x wall minus
    /// those), which tells a stage held up by imbalance or wake-ups from one held up by load.
    private func printStages(_ title: String, render: (((StageTime) -> Void)?) throws -> Void) throws {
        try render(nil)
        var stages: [[StageTime]] = []
        var schedules: [[(main: Double, workers: Double, queued: Double)]] = []
        var totals: [Double] = []
        let me = ThreadSchedule.currentThreadID
        for _ in 0..<runs {
            var run: [StageTime] = []
            var split: [(main: Double, workers: Double, queued: Double)] = []
            var last = ThreadSchedule.now()
            let start = DispatchTime.now().uptimeNanoseconds
            try render {
                run.append($0)
                let now = ThreadSchedule.now()
                split.append(now.since(last, mainThread: me))
                last = now
            }
            totals.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            stages.append(run)
            schedules.append(split)
        }
        print("\(title), \(threads) threads, medians of \(runs) runs")
        print("stage                                   wall ms   cpu ms  main ms  wkrs ms queue ms  idle ms  GFLOP/s per cpu s")
        var sum = 0.0, cpuSum = 0.0, mainSum = 0.0, workerSum = 0.0, queueSum = 0.0, idleSum = 0.0
        for (i, stage) in stages[0].enumerated() {
            let ms = median(stages.map { $0[i].seconds * 1e3 }), cpu = median(stages.map { $0[i].cpuSeconds * 1e3 })
            let main = median(schedules.map { $0[i].main }), workers = median(schedules.map { $0[i].workers })
            let queued = median(schedules.map { $0[i].queued })
            let idle = median(zip(stages, schedules).map { Double(threads) * $0[i].seconds * 1e3 - $1[i].main - $1[i].workers - $1[i].queued })
            sum += ms
            cpuSum += cpu
            mainSum += main
            workerSum += workers
            queueSum += queued
            idleSum += idle
            let rate = stage.flops > 0 ? String(format: "%9.1f", stage.flops / (cpu * 1e6)) : ""
            print(stage.stage.padding(toLength: 38, withPad: " ", startingAt: 0)
                  + String(format: "%9.2f %8.2f %8.2f %8.2f %8.2f %8.2f", ms, cpu, main, workers, queued, idle) + rate)
        }
        print(String(format: "stages %40.1f %8.1f %8.1f %8.1f %8.1f %8.1f\nwhole run %36.1f",
                     sum, cpuSum, mainSum, workerSum, queueSum, idleSum, median(totals)))
        fflush(stdout)
    }

    /// The pool's cost per loop: an empty loop of one iteration per thread, 2,000 times, and how
    /// many of those loops a worker thread joined (the rest ran on the caller alone).
    private func printDispatchCost(_ pool: WorkerPool) {
        let loops = 2000, joinedBefore = pool.loopsJoinedByWorkers
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<loops { pool.parallelFor(pool.threadCount) { _ in } }
        let us = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(loops)
        let joined = pool.loopsJoinedByWorkers - joinedBefore
        print(String(format: "worker pool, %d threads: %.1f us per empty loop, worker threads joined %d of %d loops",
                     threads, us, joined, loops))
    }

    private func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
