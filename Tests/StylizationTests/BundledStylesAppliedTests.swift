import Foundation
import Imaging
@testable import Stylization
import XCTest

/// The gallery in Styles/ is only useful if its paintings look different once applied.
final class BundledStylesAppliedTests: XCTestCase {
    func testEveryBundledStyleGivesAClearlyDifferentResult() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = repo.appendingPathComponent("Styles")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 8, "Styles/ should hold at least eight paintings")
        let photo = try ImageFile.read(repo.appendingPathComponent("Resources/demo-chelsea.png")).resized(longerSide: 128)
        let stylizer = Stylizer(model: try TestModel.shared())
        let results = try files.map { name -> RGBImage in
            let style = try ImageFile.read(folder.appendingPathComponent(name)).resized(longerSide: 256)
            return try stylizer.stylize(content: SourceImage(image: photo, identity: "photo"),
                                        styles: [SourceImage(image: style, identity: name)],
                                        settings: StylizeSettings())
        }
        for i in results.indices {
            XCTAssertGreaterThan(meanDifference(results[i], photo), 0.04, "\(files[i]) barely changes the photo")
            for j in results.indices where j > i {
                XCTAssertGreaterThan(meanDifference(results[i], results[j]), 0.03, "\(files[i]) and \(files[j]) look alike once applied")
            }
        }
    }

    private func meanDifference(_ a: RGBImage, _ b: RGBImage) -> Float {
        zip(a.pixels, b.pixels).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(a.pixels.count)
    }
}
