import Foundation
import Runtime
import Stylization

extension BenchCommand {
    /// Times an upscaler on noise images of each size: the whole image reflect-padded by 10 px,
    /// network, crop (ort_models_peer.py's measure for ncnn), median of `runs` after a warm-up.
    func benchUpscaler(_ option: String, sizes: [Int]) throws {
        guard let model = UpscalerModel.named(option) else { throw CLIFailure.usage("--upscaler must be x4plus or fast (got \(option))") }
        let store = UpscalerStore(home: home.map { URL(fileURLWithPath: $0) } ?? ModelStore.defaultHome)
        let network: UpscalerNetwork
        do { network = try store.load(model) } catch { throw CLIFailure.runtime("\(error)") }
        let upscaler = PhotoUpscaler(network: network)
        let pool = WorkerPool(threads: threads)
        for size in sizes {
            let image = Self.noise(size: size, seed: 1)
            let input = Tensor(channels: 3, height: size, width: size, data: image.pixels)
            let ms = try Self.medianMilliseconds(runs: runs) { _ = try upscaler.upscale(input, tile: 0, pool: pool) }
            print("{\"peer\": \"atelier\", \"model\": \"\(model.name)\", \"size\": \(size), \"output\": \(size * network.scale), "
                  + "\"threads\": \(threads), \"isa\": \"\(InstructionSet.name)\", \"total_ms\": \(String(format: "%.1f", ms))}")
            fflush(stdout)
        }
    }
}
