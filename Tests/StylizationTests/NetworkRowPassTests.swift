import Runtime
@testable import Stylization
import XCTest

/// The row-by-row pass (one-thread pools: a clip's frames in flight) against the layer-by-layer
/// pass (pools of 2 and 3 threads) on networks shaped like UST-16x's encoder and decoder:
/// 1x1 and 3x3 convolutions, direct (3 channels) and Winograd (16+ channels, 28+ wide), pools
/// and upsamples, at sizes that are and are not multiples of 4, 8 and 16. The kernels never
/// depend on how rows are split, so the outputs must have the same bits.
final class NetworkRowPassTests: XCTestCase {
    private var seed: UInt64 = 7

    private func values(_ count: Int, scale: Float) -> [Float] {
        (0..<count).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return (Float(Int(seed >> 40) % 2001) / 1000 - 1) * scale
        }
    }

    private func conv(_ name: String, _ cin: Int, _ cout: Int, _ k: Int, relu: Bool = true) throws -> Layer {
        let conv = try Conv2D(weight: values(cout * cin * k * k, scale: 1 / Float(cin * k * k).squareRoot()),
                              bias: values(cout, scale: 0.1), outChannels: cout, inChannels: cin, kernelSize: k)
        return .conv(name: name, conv, relu: relu)
    }

    private func encoder() throws -> Network {
        Network(layers: [try conv("conv0", 3, 3, 1, relu: false), try conv("conv11", 3, 16, 3), try conv("conv12", 16, 16, 3),
                         .maxPool, try conv("conv21", 16, 32, 3), try conv("conv22", 32, 32, 3), .maxPool,
                         try conv("conv31", 32, 24, 3)])
    }

    private func decoder() throws -> Network {
        Network(layers: [try conv("conv31", 24, 32, 3), .upsample, try conv("conv22", 32, 32, 3), try conv("conv21", 32, 16, 3),
                         .upsample, try conv("conv12", 16, 16, 3), try conv("conv11", 16, 3, 3)])
    }

    func testTheRowPassHasTheLayerPassBits() throws {
        let networks = [("encoder", try encoder(), 3), ("decoder", try decoder(), 24)]
        let one = WorkerPool(threads: 1)
        for (name, network, channels) in networks {
            let sizes = name == "encoder" ? [(64, 120), (70, 118), (37, 61), (16, 16), (8, 30)] : [(17, 30), (23, 15), (4, 9), (12, 32)]
            for (h, w) in sizes {
                let input = Tensor(channels: channels, height: h, width: w, data: values(channels * h * w, scale: 1))
                XCTAssertTrue(network.runsInRows(input, pool: one), "\(name) \(h)x\(w)")
                var layersSeen: [Int] = []
                let rows = try network.forward(input, pool: one) { layersSeen.append($0) }
                XCTAssertEqual(layersSeen, Array(network.layers.indices), "every layer announced once, in order")
                // A second pass on this thread writes over the maps the first one left (every value).
                XCTAssertEqual(try network.forward(input, pool: one).data, rows.data, "\(name) \(h)x\(w) again")
                for threads in 2...3 {
                    let pool = WorkerPool(threads: threads)
                    XCTAssertFalse(network.runsInRows(input, pool: pool))
                    let layers = try network.forward(input, pool: pool)
                    XCTAssertEqual([rows.channels, rows.height, rows.width], [layers.channels, layers.height, layers.width])
                    XCTAssertEqual(rows.data, layers.data, "\(name) \(h)x\(w), layers on \(threads) threads")
                }
            }
        }
    }

    func testAThrowingLayerCheckStopsTheRowPass() throws {
        struct Stop: Error {}
        let network = try encoder()
        let input = Tensor(channels: 3, height: 32, width: 40, data: values(3 * 32 * 40, scale: 1))
        var seen: [Int] = []
        XCTAssertThrowsError(try network.forward(input, pool: WorkerPool(threads: 1)) { index in
            seen.append(index)
            if index == 2 { throw Stop() }
        })
        XCTAssertEqual(seen, [0, 1, 2])
    }

    func testLayersThatDoNotChainGoTheLayerWayAndReportTheProblem() throws {
        let network = try encoder()
        let wrong = Tensor(channels: 4, height: 16, width: 16)
        XCTAssertFalse(network.runsInRows(wrong, pool: WorkerPool(threads: 1)))
        XCTAssertThrowsError(try network.forward(wrong, pool: WorkerPool(threads: 1)))
    }
}
