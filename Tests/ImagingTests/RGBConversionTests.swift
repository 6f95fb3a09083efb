@testable import Imaging
import XCTest

/// The byte <-> plane conversions of video frames against per-pixel loops written out: every
/// byte value, odd sizes, and values outside [0, 1] clamped and rounded.
final class RGBConversionTests: XCTestCase {
    func testBytesBecomePlanesOfValueOver255() {
        for (width, height) in [(1, 1), (3, 5), (17, 9), (256, 3)] {
            let bytes = (0..<(3 * width * height)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 3) }
            let image = RGBImage(width: width, height: height, rgb8: bytes)
            let n = width * height
            for i in 0..<n {
                for c in 0..<3 {
                    XCTAssertEqual(image.pixels[c * n + i], Float(bytes[3 * i + c]) / 255, "\(width)x\(height) pixel \(i)")
                }
            }
        }
    }

    func testPlanesBecomeClampedRoundedInterleavedBytes() {
        let (width, height) = (7, 3)
        let n = width * height
        let pixels = (0..<(3 * n)).map { Float($0) / Float(3 * n - 1) * 1.4 - 0.2 }  // -0.2 ... 1.2
        let bytes = RGBImage(width: width, height: height, pixels: pixels).rgb8Interleaved()
        XCTAssertEqual(bytes.count, 3 * n)
        for i in 0..<n {
            for c in 0..<3 {
                let v = min(max(pixels[c * n + i], 0), 1)
                XCTAssertEqual(bytes[3 * i + c], UInt8(v * 255 + 0.5), "pixel \(i) channel \(c)")
            }
        }
        // Every byte survives the round trip.
        var all: [UInt8] = []
        for value in 0..<255 {
            let byte = UInt8(value)
            all += [byte, 255 - byte, byte / 2]
        }
        XCTAssertEqual(RGBImage(width: 5, height: 51, rgb8: all).rgb8Interleaved(), all)
    }
}
