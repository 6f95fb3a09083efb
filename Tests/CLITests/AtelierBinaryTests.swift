import XCTest

/// The harness that runs the binary: a child's two output streams are read at the same time.
final class AtelierBinaryTests: XCTestCase {
    /// A child that writes more than a pipe holds (64 KiB) to standard error before anything to
    /// standard output finishes; read one stream after the other, it would stall until the timeout.
    func testAChildFillingStandardErrorFirstIsReadToTheEnd() throws {
        let folder = FileManager.default.temporaryDirectory
        let script = "head -c 300000 /dev/zero | tr '\\000' e >&2; echo done"
        let result = try AtelierBinary.run(["-c", script], in: folder, home: folder,
                                           executable: URL(fileURLWithPath: "/bin/sh"), timeout: 60)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout, "done\n")
        XCTAssertEqual(result.stderr.count, 300_000)
        XCTAssertEqual(Set(result.stderr), ["e"])
    }
}
