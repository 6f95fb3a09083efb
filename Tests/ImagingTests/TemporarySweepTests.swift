import Foundation
@testable import Imaging
import XCTest

/// Temporary files of renders killed on this machine are swept; those another machine writes
/// into a shared folder (NFS, a cluster's scratch space) are not, whatever their process id.
final class TemporarySweepTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A process id no process has now.
    private func deadPID() -> pid_t {
        var pid: pid_t = 4_000_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid -= 1 }
        return pid
    }

    func testOnlyThisMachinesDeadTemporariesAreSwept() throws {
        let pid = deadPID()
        let other = TemporaryFiles.hostTag == "00000000" ? "11111111" : "00000000"
        let names = [".a.png.\(pid)-3h\(TemporaryFiles.hostTag).tmp",  // ours, dead: swept
                     ".b.png.\(pid)-3h\(other).tmp",                     // another machine's: kept
                     ".c.png.\(pid)-3.tmp",                              // older name, taken as ours: swept
                     ".d.png.\(getpid())-3h\(TemporaryFiles.hostTag).tmp"]  // this process's: kept
        for name in names { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
        TemporaryFiles.sweep(folder)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), [names[1], names[3]])
    }

    func testDeadTemporaryFoldersAreSweptWithTheirFilesButNotThroughLinks() throws {
        let pid = deadPID(), fm = FileManager.default
        let dead = folder.appendingPathComponent(".sheet.\(pid)-sheeth\(TemporaryFiles.hostTag).tmp")
        let live = folder.appendingPathComponent(".sheet.\(getpid())-sheeth\(TemporaryFiles.hostTag).tmp")
        let outside = folder.appendingPathComponent("outside")
        for url in [dead, live, outside] { try fm.createDirectory(at: url, withIntermediateDirectories: true) }
        try Data("cell".utf8).write(to: dead.appendingPathComponent("00.png"))
        try Data("kept".utf8).write(to: outside.appendingPathComponent("kept.png"))
        try fm.createSymbolicLink(at: folder.appendingPathComponent(".l.\(pid)-3h\(TemporaryFiles.hostTag).tmp"), withDestinationURL: outside)
        TemporaryFiles.sweep(folder)
        XCTAssertFalse(fm.fileExists(atPath: dead.path))
        XCTAssertTrue(fm.fileExists(atPath: live.path))
        XCTAssertTrue(fm.fileExists(atPath: outside.appendingPathComponent("kept.png").path))
    }

    func testTemporaryNamesCarryThisMachinesTag() throws {
        let url = TemporaryFiles.url(beside: folder.appendingPathComponent("out.png"), tag: "r7")
        XCTAssertEqual(url.lastPathComponent, ".out.png.\(getpid())-r7h\(TemporaryFiles.hostTag).tmp")
        XCTAssertEqual(TemporaryFiles.host(ofTemporaryName: url.lastPathComponent), TemporaryFiles.hostTag)
        XCTAssertEqual(TemporaryFiles.owner(ofTemporaryName: url.lastPathComponent), getpid())
        XCTAssertNil(TemporaryFiles.host(ofTemporaryName: ".photo.png.12-5.tmp"))
        let writer = try PNGStreamWriter.open(folder.appendingPathComponent("w.png"), width: 2, height: 2)
        defer { writer.abort() }
        let temporary = try XCTUnwrap(writer.temporaryPath)
        XCTAssertTrue(temporary.hasSuffix("h\(TemporaryFiles.hostTag).tmp"), temporary)
    }
}
