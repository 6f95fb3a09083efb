import Foundation
import XCTest

/// Shared set-up of the command-line tests: a model home installed once per test class, a
/// fresh working folder per test, the shared test images, and `atelier render` run in it.
class CLITestCase: XCTestCase {
    nonisolated(unsafe) private static var homes: [ObjectIdentifier: URL] = [:]

    /// The test's working folder (removed after the test).
    var folder: URL!
    /// ../shared/images.
    let images = AtelierBinary.shared.appendingPathComponent("images")

    /// The model home of this test class.
    var home: URL { Self.homes[ObjectIdentifier(type(of: self))]! }

    var bridge: String { images.appendingPathComponent("content/bridge.jpg").path }
    var picasso: String { images.appendingPathComponent("style/picasso.jpg").path }
    var whorls: String { images.appendingPathComponent("style/whorls.jpg").path }

    override class func setUp() {
        super.setUp()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-cli-home-\(UUID().uuidString)")
        let result = try? AtelierBinary.run(["models", "install", "--from", AtelierBinary.mirror.deletingLastPathComponent().path],
                                            in: FileManager.default.temporaryDirectory, home: home)
        precondition(result?.status == 0, "model install failed: \(result?.stderr ?? "binary not found")")
        homes[ObjectIdentifier(self)] = home
    }

    override class func tearDown() {
        if let home = homes.removeValue(forKey: ObjectIdentifier(self)) { try? FileManager.default.removeItem(at: home) }
        super.tearDown()
    }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs `atelier render arguments` in the test's folder.
    func render(_ arguments: [String]) throws -> AtelierBinary.Result {
        try AtelierBinary.run(["render"] + arguments, in: folder, home: home)
    }

    /// The names in the test's folder, sorted.
    func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }
}
