#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal's size as the kernel knows it (TIOCGWINSZ); pixel fields are 0 when unknown.
public struct TerminalWindowSize: Equatable, Sendable {
    /// Columns of text.
    public var columns: Int
    /// Rows of text.
    public var rows: Int
    /// Width of the text area in pixels, or 0.
    public var pixelWidth: Int
    /// Height of the text area in pixels, or 0.
    public var pixelHeight: Int

    /// A window size as reported by the kernel.
    public init(columns: Int, rows: Int, pixelWidth: Int, pixelHeight: Int) {
        self.columns = columns
        self.rows = rows
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
    }
}

/// Something that can be asked questions by escape sequence: the real terminal, or a fake in tests.
public protocol TerminalQueryChannel {
    /// Writes `request` and collects what comes back until `isComplete` says the answer is whole or
    /// `timeoutMilliseconds` pass. Never blocks longer than the timeout.
    func exchange(_ request: [UInt8], timeoutMilliseconds: Int, until isComplete: ([UInt8]) -> Bool) -> [UInt8]
    /// The kernel's idea of the window size, or nil when unavailable.
    func windowSize() -> TerminalWindowSize?
}

/// The process's controlling terminal, `/dev/tty`, opened for start-up queries (before ncurses
/// takes over). Each exchange switches to raw mode and restores the previous settings after.
public final class ControllingTerminal: TerminalQueryChannel {
    private let descriptor: Int32

    /// Opens `/dev/tty`; nil when the process has no controlling terminal (CI, pipes, cron).
    public static func open() -> ControllingTerminal? {
        #if canImport(Glibc)
        let fd = Glibc.open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        #else
        let fd = Darwin.open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        #endif
        guard fd >= 0 else { return nil }
        guard isatty(fd) == 1 else { close(fd); return nil }
        return ControllingTerminal(descriptor: fd)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// See `TerminalQueryChannel.exchange`. Input is raw (no echo, no signals) during the exchange;
    /// whatever unread input is left when it ends is discarded so late answers do not become keys.
    public func exchange(_ request: [UInt8], timeoutMilliseconds: Int,
                         until isComplete: ([UInt8]) -> Bool) -> [UInt8] {
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return [] }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(descriptor, TCSANOW, &raw) == 0 else { return [] }
        defer {
            tcflush(descriptor, TCIFLUSH)
            tcsetattr(descriptor, TCSANOW, &saved)
        }
        guard writeAll(request) else { return [] }

        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        let deadline = Self.milliseconds() + timeoutMilliseconds
        while !isComplete(answer) {
            let remaining = deadline - Self.milliseconds()
            if remaining <= 0 { break }
            var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(remaining))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { break }
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if n <= 0 { break }
            answer.append(contentsOf: buffer[0..<n])
            if answer.count > 4096 { break }  // not a reply any more: someone is typing a lot
        }
        return answer
    }

    /// TIOCGWINSZ on `/dev/tty`.
    public func windowSize() -> TerminalWindowSize? {
        var ws = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &ws) == 0 else { return nil }
        return TerminalWindowSize(columns: Int(ws.ws_col), rows: Int(ws.ws_row),
                                  pixelWidth: Int(ws.ws_xpixel), pixelHeight: Int(ws.ws_ypixel))
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private static func milliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }
}
