import CKernels
@testable import Runtime
import XCTest

/// The upscaling networks' ops, each alone, against values worked out by hand.
final class UpscalingOpsTests: XCTestCase {
    private let pool = WorkerPool(threads: 2)

    private func tensor(_ channels: Int, _ height: Int, _ width: Int, _ values: [Float]) -> Tensor {
        Tensor(channels: channels, height: height, width: width, data: values)
    }

    func testConcatenationStacksChannelsInOrder() {
        let a = tensor(1, 1, 2, [1, 2]), b = tensor(2, 1, 2, [3, 4, 5, 6])
        let y = Tensor.concatenated([a, b, a])
        XCTAssertEqual([y.channels, y.height, y.width], [4, 1, 2])
        XCTAssertEqual(y.data, [1, 2, 3, 4, 5, 6, 1, 2])
    }

    func testNearestUpsamplingRepeatsPixelsByEachFactor() {
        let x = tensor(1, 2, 2, [1, 2, 3, 4])
        let y = x.upsampledNearest(vertical: 2, horizontal: 3, pool: pool)
        XCTAssertEqual([y.height, y.width], [4, 6])
        XCTAssertEqual(y.data, [1, 1, 1, 2, 2, 2,
                                1, 1, 1, 2, 2, 2,
                                3, 3, 3, 4, 4, 4,
                                3, 3, 3, 4, 4, 4])
    }

    func testPixelShuffleMovesChannelGroupsIntoBlocksInPyTorchOrder() {
        // 8 channels, r = 2 -> 2 channels; input channel c*4 + i*2 + j goes to (y*2+i, x*2+j).
        let x = tensor(8, 1, 2, [1, 2,  3, 4,  5, 6,  7, 8,
                                 10, 20, 30, 40, 50, 60, 70, 80])
        let y = x.pixelShuffled(factor: 2, pool: pool)
        XCTAssertEqual([y.channels, y.height, y.width], [2, 2, 4])
        XCTAssertEqual(y.data, [1, 3, 2, 4,
                                5, 7, 6, 8,
                                10, 30, 20, 40,
                                50, 70, 60, 80])
    }

    func testScaledAddIsPointTwoTimesTheBlockPlusTheSkip() {
        var block = tensor(2, 1, 2, [1, -2, 5, 0.5])
        let skip = tensor(2, 1, 2, [10, 10, -1, 3])
        block.scaledAdd(scale: 0.2, skip, otherScale: 1, pool: pool)
        let expected: [Float] = [10.2, 9.6, 0, 3.1]
        for (a, b) in zip(block.data, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testZeroPaddingSurroundsTheMapWithZeros() {
        let x = tensor(1, 1, 2, [7, 8])
        let y = x.zeroPadded(top: 1, left: 2, bottom: 0, right: 1, pool: pool)
        XCTAssertEqual([y.height, y.width], [2, 5])
        XCTAssertEqual(y.data, [0, 0, 0, 0, 0,
                                0, 0, 7, 8, 0])
    }

    /// 3x3 conv of ones over a 3x3 map of ones with zero padding: each output counts the
    /// neighbours inside the map (4 in the corners, 6 on the edges, 9 in the centre), minus 5
    /// for the bias; LeakyReLU 0.2 then gives 0.2 * (4 - 5) in the corners.
    func testZeroPaddedConvWithFusedLeakyReLU() throws {
        let conv = try Conv2D(weight: [Float](repeating: 1, count: 9), bias: [-5], outChannels: 1, inChannels: 1,
                              kernelSize: 3, padding: .zero, activation: .leakyReLU(slope: 0.2))
        let y = try conv.forward(tensor(1, 3, 3, [Float](repeating: 1, count: 9)), pool: pool)
        let expected: [Float] = [-0.2, 1, -0.2,
                                 1, 4, 1,
                                 -0.2, 1, -0.2]
        for (a, b) in zip(y.data, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    /// PReLU slopes are per output channel: channel 0 slope 0.5, channel 1 slope -1.
    func testConvWithFusedPReLUUsesEachChannelsSlope() throws {
        // 1x1 conv, 1 input channel -> 2 outputs: weights 1 and 2, biases 0 and 0.
        let conv = try Conv2D(weight: [1, 2], bias: [0, 0], outChannels: 2, inChannels: 1,
                              kernelSize: 1, padding: .zero, activation: .prelu(slopes: [0.5, -1]))
        let y = try conv.forward(tensor(1, 1, 3, [-2, 0, 3]), pool: pool)
        XCTAssertEqual(y.data, [-1, 0, 3,
                                4, 0, 6])
    }

    /// The fused activation and zero padding agree across every kernel family this CPU runs
    /// (wide maps and 16+ channels, where the fast kernels and Winograd would take over).
    func testZeroPaddedLeakyConvAgreesAcrossKernelFamilies() throws {
        var rng = SystemRandomNumberGenerator()
        let (cin, cout, h, w) = (20, 19, 9, 45)
        let weight = (0..<(cout * cin * 9)).map { _ in Float.random(in: -0.3...0.3, using: &rng) }
        let bias = (0..<cout).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        let input = tensor(cin, h, w, (0..<(cin * h * w)).map { _ in Float.random(in: -1...1, using: &rng) })
        let expected = naiveSameConvolution(input, weight: weight, bias: bias, outChannels: cout, kernelSize: 3, reflect: false)
            .map { Float($0 > 0 ? $0 : 0.2 * $0) }
        let conv = try Conv2D(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 3,
                              padding: .zero, activation: .leakyReLU(slope: 0.2))
        for family in Conv2D.kernelFamilies where conv.useKernelFamily(family) {
            let y = try conv.forward(input, relu: false, pool: pool, bandRows: 4)
            let worst = zip(y.data, expected).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-4, "kernel family \(family)")
        }
    }

    /// Zero-padded and sloped layers on the AVX-512 family run its Winograd, which gives the
    /// AVX2 Winograd's bits (not the direct AVX-512 kernel's, ~1.4x slower on Real-ESRGAN's layers).
    func testSlopedOrZeroPaddedLayersOnAVX512GiveTheAVX2WinogradsBits() throws {
        guard ak_isa_cpu() >= AK_ISA_AVX512 else { throw XCTSkip("this CPU has no AVX-512") }
        let previous = ak_isa_cap(Int32(AK_ISA_AVX512))  // ATELIER_ISA=avx2 or scalar would refuse family 3
        defer { _ = ak_isa_cap(previous) }
        var rng = SystemRandomNumberGenerator()
        let (cin, cout, h, w) = (24, 32, 13, 70)
        let weight = (0..<(cout * cin * 9)).map { _ in Float.random(in: -0.3...0.3, using: &rng) }
        let bias = (0..<cout).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        let input = tensor(cin, h, w, (0..<(cin * h * w)).map { _ in Float.random(in: -1...1, using: &rng) })
        let layers: [(ConvPadding, ConvActivation)] = [
            (.zero, .leakyReLU(slope: 0.2)), (.reflect, .prelu(slopes: (0..<cout).map { Float($0) * 0.01 })), (.zero, .none),
        ]
        for (padding, activation) in layers {
            let conv = try Conv2D(weight: weight, bias: bias, outChannels: cout, inChannels: cin, kernelSize: 3,
                                  padding: padding, activation: activation)
            XCTAssertTrue(conv.useKernelFamily(4))
            let avx2 = try conv.forward(input, relu: activation == .relu, pool: pool, bandRows: 4).data
            XCTAssertTrue(conv.useKernelFamily(3))
            let avx512 = try conv.forward(input, relu: activation == .relu, pool: pool, bandRows: 4).data
            let differing = zip(avx2, avx512).filter { $0 != $1 }.count
            XCTAssertEqual(differing, 0, "\(padding) \(activation): values differing from the AVX2 Winograd's")
        }
    }
}
