#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets background threads (a finished render, a finished preview encoding) wake the interface's
/// loop at once instead of at its next timeout: a non-blocking pipe the loop polls together with
/// the terminal's input.
final class LoopWaker: @unchecked Sendable {
    private var fds: [Int32] = [-1, -1]

    init() {
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
    }

    deinit {
        for fd in fds where fd >= 0 { close(fd) }
    }

    /// Wakes the loop (from any thread; never blocks).
    func wake() {
        guard fds[1] >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(fds[1], &byte, 1)
    }

    /// Waits until `input` is readable, `wake()` was called, a signal arrives or `milliseconds`
    /// pass; returns whether input is readable. Clears pending wake-ups.
    @discardableResult
    func wait(input: Int32, milliseconds: Int) -> Bool {
        var set = [pollfd(fd: input, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)]
        let ready = poll(&set, fds[0] >= 0 ? 2 : 1, Int32(milliseconds))
        if ready > 0 && set[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(fds[0], &buffer, buffer.count) > 0 {}
        }
        return ready > 0 && set[0].revents != 0
    }
}
