import Imaging
import Runtime
@testable import Stylization
import XCTest

/// The network output's way back to an image: cropping and clamping in one pass gives what
/// cropping, then clamping every value, gives.
final class ImageTensorsTests: XCTestCase {
    func testCropAndClampInOnePassEqualsCropThenClamp() {
        let (height, width) = (9, 13)
        let values = (0..<(3 * height * width)).map { Float(($0 * 37) % 101) / 50 - 0.5 }  // -0.5 ... 1.5
        let tensor = Tensor(channels: 3, height: height, width: width, data: values)
        for (h, w) in [(9, 13), (7, 13), (9, 10), (1, 1), (5, 6)] {
            let fused = RGBImage(clamping: tensor, height: h, width: w)
            var expected: [Float] = []
            for c in 0..<3 {
                for y in 0..<h {
                    for x in 0..<w { expected.append(min(max(values[(c * height + y) * width + x], 0), 1)) }
                }
            }
            XCTAssertEqual([fused.height, fused.width], [h, w])
            XCTAssertEqual(fused.pixels, expected, "\(h)x\(w)")
            XCTAssertEqual(fused, RGBImage(clamping: tensor.cropped(height: h, width: w)))
        }
    }
}
