import Foundation
import XCTest
@testable import Stylization

/// `atelier models install --from DIR` with a mirror made of symbolic links, or holding a FIFO.
final class ModelStoreMirrorTests: XCTestCase {
    private func linkedMirror() throws -> URL {
        let mirror = try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("links")
        try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
        for checkpoint in ModelCheckpoint.ust16x {
            try FileManager.default.createSymbolicLink(
                at: mirror.appendingPathComponent(checkpoint.sourceFileName),
                withDestinationURL: CheckpointMaterial.mirror.appendingPathComponent(checkpoint.sourceFileName))
        }
        return mirror
    }

    func testAMirrorOfSymbolicLinksInstalls() throws {
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self))
        try store.install(from: try linkedMirror()) { _ in }
        XCTAssertTrue(store.verify().allSatisfy { $0.state == .ok })
    }

    func testAFIFOInTheMirrorIsRefusedWithoutBlocking() throws {
        let mirror = try linkedMirror()
        let first = try XCTUnwrap(ModelCheckpoint.ust16x.first)
        let fifo = mirror.appendingPathComponent(first.sourceFileName)
        try FileManager.default.removeItem(at: fifo)
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self))
        XCTAssertThrowsError(try store.install(from: mirror) { _ in }) { error in
            XCTAssertTrue("\(error)".contains(first.sourceFileName), "\(error)")
        }
    }
}
