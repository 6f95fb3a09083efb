import XCTest
@testable import Runtime

/// Hand-computed cases and argument checking for `Conv2D`.
final class Conv2DTests: XCTestCase {
    /// 1 channel, 3x3 input 1...9, for the hand-worked reflection cases.
    private let ramp = Tensor(channels: 1, height: 3, width: 3, data: (1...9).map(Float.init))

    private func singleTap(_ tap: Int) throws -> Conv2D {
        var w = [Float](repeating: 0, count: 9)
        w[tap] = 1
        return try Conv2D(weight: w, bias: [0], outChannels: 1, inChannels: 1, kernelSize: 3)
    }

    func testTopLeftTapReadsReflectedNeighbour() throws {
        // out[y][x] = in[reflect(y-1)][reflect(x-1)]: row -1 is row 1, column -1 is column 1.
        let y = try singleTap(0).forward(ramp, relu: false)
        XCTAssertEqual(y.data, [5, 4, 5, 2, 1, 2, 5, 4, 5])
    }

    func testBottomRightTapReadsReflectedNeighbour() throws {
        // out[y][x] = in[reflect(y+1)][reflect(x+1)]: row 3 is row 1, column 3 is column 1.
        let y = try singleTap(8).forward(ramp, relu: false)
        XCTAssertEqual(y.data, [5, 6, 5, 8, 9, 8, 5, 6, 5])
    }

    func testBoxFilterWithBiasAndReLU() throws {
        // Sums of the reflected 3x3 neighbourhoods are 33, 36, ..., 57; bias -40.
        let conv = try Conv2D(weight: [Float](repeating: 1, count: 9), bias: [-40],
                              outChannels: 1, inChannels: 1, kernelSize: 3)
        XCTAssertEqual(try conv.forward(ramp, relu: false).data, [-7, -4, -1, 2, 5, 8, 11, 14, 17])
        XCTAssertEqual(try conv.forward(ramp, relu: true).data, [0, 0, 0, 2, 5, 8, 11, 14, 17])
    }

    func testTwoByTwoInputReflectsBothWays() throws {
        // With h = w = 2, reflect(-1) = 1 and reflect(2) = 0: every tap reads the other pixel
        // or itself. Centre tap 1, right tap 10, bottom tap 100.
        var w = [Float](repeating: 0, count: 9)
        w[4] = 1; w[5] = 10; w[7] = 100
        let conv = try Conv2D(weight: w, bias: [0], outChannels: 1, inChannels: 1, kernelSize: 3)
        let x = Tensor(channels: 1, height: 2, width: 2, data: [1, 2, 3, 4])
        // (0,0): 1 + 10*2 + 100*3; (0,1): 2 + 10*1 + 100*4; (1,0): 3 + 10*4 + 100*1; (1,1): 4 + 10*3 + 100*2
        XCTAssertEqual(try conv.forward(x, relu: false).data, [321, 412, 143, 234])
    }

    func testOneByOneMixesChannels() throws {
        let conv = try Conv2D(weight: [1, 2, -1, 0.5], bias: [0.5, -1],
                              outChannels: 2, inChannels: 2, kernelSize: 1)
        let x = Tensor(channels: 2, height: 2, width: 2, data: [1, 2, 3, 4, -1, 0, 1, 2])
        XCTAssertEqual(try conv.forward(x, relu: false).data, [-0.5, 2.5, 5.5, 8.5, -2.5, -3, -3.5, -4])
        XCTAssertEqual(try conv.forward(x, relu: true).data, [0, 2.5, 5.5, 8.5, 0, 0, 0, 0])
    }

    func testOneByOneAcceptsSinglePixel() throws {
        let conv = try Conv2D(weight: [2, 3], bias: [1], outChannels: 1, inChannels: 2, kernelSize: 1)
        let x = Tensor(channels: 2, height: 1, width: 1, data: [5, -1])
        XCTAssertEqual(try conv.forward(x, relu: false).data, [8])
    }

    func testRejectsBadShapes() {
        XCTAssertThrowsError(try Conv2D(weight: [1], bias: [0], outChannels: 1, inChannels: 1, kernelSize: 5)) {
            XCTAssertEqual($0 as? ConvError, .unsupportedKernelSize(5))
        }
        XCTAssertThrowsError(try Conv2D(weight: [Float](repeating: 0, count: 17), bias: [0, 0],
                                        outChannels: 2, inChannels: 1, kernelSize: 3)) {
            XCTAssertEqual($0 as? ConvError, .weightCount(expected: 18, actual: 17))
        }
        XCTAssertThrowsError(try Conv2D(weight: [1, 1], bias: [0], outChannels: 2, inChannels: 1, kernelSize: 1)) {
            XCTAssertEqual($0 as? ConvError, .biasCount(expected: 2, actual: 1))
        }
        XCTAssertThrowsError(try Conv2D(weight: [], bias: [], outChannels: 0, inChannels: 1, kernelSize: 1)) {
            XCTAssertEqual($0 as? ConvError, .badChannelCount(outChannels: 0, inChannels: 1))
        }
    }

    func testRejectsBadInputs() throws {
        let conv = try Conv2D(weight: [Float](repeating: 1, count: 18), bias: [0],
                              outChannels: 1, inChannels: 2, kernelSize: 3)
        XCTAssertThrowsError(try conv.forward(ramp, relu: false)) {
            XCTAssertEqual($0 as? ConvError, .inputChannels(expected: 2, actual: 1))
            XCTAssertTrue("\($0)".contains("expects 2"), "\($0)")
        }
        for (h, w) in [(1, 5), (5, 1), (1, 1)] {
            let x = Tensor(channels: 2, height: h, width: w)
            XCTAssertThrowsError(try conv.forward(x, relu: false)) {
                XCTAssertEqual($0 as? ConvError, .inputTooSmall(height: h, width: w))
            }
        }
    }
}
