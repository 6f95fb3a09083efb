import Foundation
import XCTest
@testable import Stylization

/// Installs over HTTP from a Python file server on the loopback interface that serves the mirror.
final class ModelStoreDownloadTests: XCTestCase {
    private var server: Process?
    private var port = 0

    /// Serves `directory` on 127.0.0.1 at a free port; the server stops itself after 120 s.
    static let serverScript = """
    import functools, http.server, sys, threading
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args): pass
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Quiet, directory=sys.argv[1]))
    print(server.server_address[1], flush=True)
    threading.Timer(120, server.shutdown).start()
    server.serve_forever()
    """

    override func setUpWithError() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.serverScript, CheckpointMaterial.mirror.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        server = process
        var line = Data()
        while !line.contains(0x0a) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        port = try XCTUnwrap(Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    override func tearDown() {
        server?.terminate()
        server?.waitUntilExit()
    }

    /// The UST-16x table with every file served by the local server (`rename` maps file names).
    private func localTable(_ rename: (String) -> String = { $0 }) -> [ModelCheckpoint] {
        ModelCheckpoint.ust16x.map { checkpoint in
            var local = checkpoint
            local.upstreamURL = URL(string: "http://127.0.0.1:\(port)/\(rename(checkpoint.sourceFileName))")!
            return local
        }
    }

    func testInstallDownloadsEveryFile() throws {
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self), checkpoints: localTable())
        var lines: [String] = []
        try store.install(.upstream) { lines.append($0) }
        XCTAssertEqual(lines.filter { $0.contains("downloading http://127.0.0.1") }.count, 10)
        XCTAssertEqual(store.verify().map(\.state), Array(repeating: .ok, count: 10))
        XCTAssertEqual(try store.loadWeights(level: 1, part: .encoder)["conv0.weight"]?.shape, [3, 3, 1, 1])
    }

    func testFailedDownloadNamesTheFileAndSuggestsAFolder() throws {
        let table = localTable { $0 == "se3.pth" ? "gone/se3.pth" : $0 }
        let store = ModelStore(home: try CheckpointMaterial.temporaryDirectory(self), checkpoints: table)
        XCTAssertThrowsError(try store.install(.upstream) { _ in }) { error in
            guard case .downloadFailed(let file, let url, let reason)? = error as? ModelStoreError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(file, "se3.pth")
            XCTAssertTrue(url.hasSuffix("/gone/se3.pth"))
            XCTAssertEqual(reason, "HTTP status 404")
            XCTAssertTrue("\(error)".contains("--from DIR"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.modelDirectory.path))
    }
}
