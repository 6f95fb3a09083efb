import Foundation
import XCTest
@testable import Stylization

/// A converted model file with NaN weights (a damaged or tampered file whose digest was updated
/// to match) is refused when loaded instead of rendering a black image.
final class ModelStoreTamperTests: XCTestCase {
    func testNaNWeightsAreRefusedEvenWithAMatchingDigest() throws {
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self))
        try store.install(from: CheckpointMaterial.mirror) { _ in }
        let checkpoint = try XCTUnwrap(store.checkpoint(level: 1, part: .decoder))
        let url = store.convertedURL(of: checkpoint)
        var (tensors, metadata) = try SafeTensors.read(url)
        tensors[0].values[0] = .nan
        let data = try SafeTensors.encode(tensors, metadata: metadata)
        try data.write(to: url)
        var manifest = try XCTUnwrap(ModelManifest.read(store.manifestURL))
        manifest.files[checkpoint.convertedFileName]?.sha256 = SHA256.hex(of: data)
        try manifest.encoded().write(to: store.manifestURL)

        XCTAssertThrowsError(try store.loadWeights(level: 1, part: .decoder)) { error in
            XCTAssertTrue("\(error)".contains("NaN or infinite values in \(tensors[0].name)"), "\(error)")
            XCTAssertTrue("\(error)".contains("atelier models install"), "\(error)")
        }
        XCTAssertNoThrow(try store.loadWeights(level: 1, part: .encoder))
    }
}
