#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Imaging
import XCTest

/// The old PNG and recipe are never lost, devices and FIFOs are never replaced, and killed
/// renders leave no temporary files: the real binary on real images.
final class OutputSafetyTests: CLITestCase {
    private func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    private func contents(_ name: String) -> String? {
        (try? Data(contentsOf: folder.appendingPathComponent(name))).map { String(decoding: $0, as: UTF8.self) }
    }

    func testForceOverAnImageWhoseRecipeIsAFolderKeepsTheOldImage() throws {
        try write("old image", to: "out.png")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out.png.json"), withIntermediateDirectories: false)
        let result = try render([bridge, "-s", picasso, "--size", "64", "-o", "out.png", "--force"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("out.png.json") && result.stderr.contains("folder"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertEqual(contents("out.png"), "old image")
        XCTAssertEqual(try files(), ["out.png", "out.png.json"])
    }

    func testAFolderAsTheOutputIsRefusedBeforeRendering() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out.png"), withIntermediateDirectories: false)
        let result = try render([bridge, "-s", picasso, "--size", "64", "-o", "out.png", "--force"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stderr, "atelier: cannot write \(folder.appendingPathComponent("out.png").path): it is a folder\n")
    }

    func testLongLegalNamesAreWrittenAndTooLongRecipeNamesFailBeforeRendering() throws {
        let long = String(repeating: "a", count: 246) + ".png"  // 250 bytes: its recipe name is 255
        let written = try render([bridge, "-s", picasso, "--size", "64", "-o", long])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(try files(), [long, long + ".json"])

        let tooLong = String(repeating: "b", count: 247) + ".png"  // its recipe name would be 256 bytes
        try write("old image", to: tooLong)
        let refused = try render([bridge, "-s", picasso, "--size", "64", "-o", tooLong, "--force"])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("256 bytes long"), refused.stderr)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        XCTAssertEqual(contents(tooLong), "old image")
    }

    func testAFIFOAsTheOutputIsWrittenIntoNotReplaced() throws {
        let fifo = folder.appendingPathComponent("pipe.png")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        /// What the reader thread read; the test reads it only after the thread has finished.
        final class Received: @unchecked Sendable { var data = Data() }
        let received = Received()
        let reader = Thread {
            if let handle = FileHandle(forReadingAtPath: fifo.path) { received.data = handle.readDataToEndOfFile() }
        }
        reader.start()
        let result = try render([bridge, "-s", picasso, "--size", "64", "-o", "pipe.png", "--force"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("no recipe"), result.stdout)
        while !reader.isFinished { usleep(10_000) }
        var info = stat()
        XCTAssertEqual(stat(fifo.path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO was replaced")
        XCTAssertEqual(try files(), ["pipe.png"], "no recipe beside a FIFO")
        let copy = folder.appendingPathComponent("received.png")
        try received.data.write(to: copy)
        XCTAssertEqual(try ImageFile.read(copy).width, 64)
    }

    func testACharacterDeviceAsTheOutputIsWrittenIntoNotReplaced() throws {
        // As root a private null device (so a regression cannot replace the system's /dev/null);
        // otherwise /dev/null itself, which an unprivileged process could not replace anyway.
        var device = URL(fileURLWithPath: "/dev/null")
        let own = folder.appendingPathComponent("null")
        if getuid() == 0, mknod(own.path, S_IFCHR | 0o666, dev_t(0x103)) == 0 { device = own }  // 1, 3: null
        let result = try render([bridge, "-s", picasso, "--size", "64", "-o", device.path, "--force"])
        XCTAssertEqual(result.status, 0, result.stderr)
        var info = stat()
        XCTAssertEqual(stat(device.path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "the device was replaced")
        XCTAssertFalse(FileManager.default.fileExists(atPath: device.path + ".json"))
    }

    /// Starts a tiled render that takes a while and waits until its temporary PNG exists.
    private func startSlowRender(output: String) throws -> Process {
        let process = try AtelierBinary.start(["render", bridge, "-s", picasso, "--size", "1400", "--tile", "64", "-o", output], in: folder, home: home)
        func isTemporaryPNG(_ name: String) -> Bool {
            name.hasPrefix(".\(output).") && !name.contains(".json.") && name.hasSuffix(".tmp")
        }
        let deadline = Date().addingTimeInterval(120)
        while try !files().contains(where: isTemporaryPNG), process.isRunning, Date() < deadline {
            usleep(20_000)
        }
        let names = try files()
        XCTAssertTrue(names.contains(where: isTemporaryPNG), "\(names)")
        return process
    }

    func testInterruptedRendersRemoveTheirTemporaryFileAndExit130Or143() throws {
        for (signal, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let process = try startSlowRender(output: "big.png")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "signal \(signal)")
            XCTAssertEqual(process.terminationStatus, code, "signal \(signal)")
            XCTAssertEqual(try files(), [], "signal \(signal) left files behind")
        }
    }

    func testTemporaryFilesOfKilledRendersAreSweptByTheNextRender() throws {
        let process = try startSlowRender(output: "big.png")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(try files().filter { $0.hasSuffix(".tmp") }.count, 1)
        try write("someone else's", to: ".notes.txt.tmp")
        let next = try render([bridge, "-s", picasso, "--size", "64", "-o", "small.png"])
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(try files(), [".notes.txt.tmp", "small.png", "small.png.json"])
    }
}
