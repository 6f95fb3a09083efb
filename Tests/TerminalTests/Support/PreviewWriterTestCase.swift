import Foundation
@testable import Terminal
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What the preview writer's tests share: a pipe standing in for the terminal (`fds[1]` is
/// written, `written()` reads what arrived) and a surface recording what the writer asks of the
/// text screen.
class PreviewWriterTestCase: XCTestCase {
    /// Records what the writer asks of the text screen.
    final class Surface: PreviewSurface {
        var repainted: [CellRect] = []
        var refreshes = 0
        func repaint(_ rect: CellRect) { repainted.append(rect) }
        func refresh() { refreshes += 1 }
    }

    /// The pipe: read end, write end (the writer's file descriptor).
    var fds: [Int32] = [-1, -1]

    override func setUpWithError() throws {
        guard pipe(&fds) == 0 else { throw XCTSkip("no pipe") }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
    }

    override func tearDown() {
        for fd in fds where fd >= 0 { close(fd) }
    }

    /// Everything written since the last call.
    func written() -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Waits (up to 10 s) until the writer has bytes to write, then flushes; returns the finished ids.
    func flushWhenReady(_ writer: PreviewWriter) -> [String] {
        let deadline = Date().addingTimeInterval(10)
        while !writer.hasPendingWrite && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
        return writer.flush()
    }
}
