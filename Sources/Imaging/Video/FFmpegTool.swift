import CImageCodecs
import Foundation

/// The ffmpeg command-line tools (Debian `ffmpeg`), found on PATH and run as separate processes
/// over pipes. Every child is registered so that a signal that ends Atelier kills it first
/// (`TemporaryFiles`); `terminate()` kills and reaps it otherwise.
public final class FFmpegProcess: @unchecked Sendable {
    private let process = Process()
    /// The child's standard input (nil when it reads nothing).
    public let input: FileHandle?
    /// The child's standard output.
    public let output: FileHandle
    private let errors = Pipe()
    private let lock = NSLock()
    private var errorTail = Data()
    private let errorReader = DispatchGroup()

    /// The path of `tool` ("ffmpeg", "ffprobe") on PATH.
    public static func locate(_ tool: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(tool)
            if access(candidate.path, X_OK) == 0 { return candidate }
        }
        throw VideoError.toolMissing(tool: tool, file: nil)
    }

    /// Starts `tool` with `arguments`; `withInput` gives it a pipe on standard input.
    public init(_ tool: String, _ arguments: [String], withInput: Bool = false, file: String? = nil) throws {
        do { process.executableURL = try Self.locate(tool) } catch { throw VideoError.toolMissing(tool: tool, file: file) }
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors
        output = out.fileHandleForReading
        if withInput {
            let pipe = Pipe()
            process.standardInput = pipe
            input = pipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle.nullDevice
            input = nil
        }
        signal(SIGPIPE, SIG_IGN)  // a child that dies makes our writes fail, not kill us
        do { try process.run() } catch { throw VideoError.toolMissing(tool: tool, file: file) }
        _ = cic_child_register(process.processIdentifier)
        let handle = errors.fileHandleForReading
        errorReader.enter()
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = Glibc.read(handle.fileDescriptor, &buffer, buffer.count)
                if count <= 0 { break }
                lock.withLock {
                    errorTail.append(contentsOf: buffer[0..<count])
                    if errorTail.count > 8192 { errorTail = errorTail.suffix(4096) }
                }
            }
            errorReader.leave()
        }
    }

    /// Reads exactly `count` bytes from standard output; nil at a clean end of stream, a short
    /// array when the stream ends inside the record.
    public func read(exactly count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        let fd = output.fileDescriptor
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, count - filled) }
            if got < 0, errno == EINTR { continue }
            if got <= 0 { break }
            filled += got
        }
        if filled == 0 { return nil }
        return filled == count ? bytes : Array(bytes[0..<filled])
    }

    /// Writes all of `bytes` to standard input; false when the child no longer reads.
    public func write(_ bytes: [UInt8]) -> Bool {
        guard let input else { return false }
        var sent = 0
        while sent < bytes.count {
            let put = bytes.withUnsafeBytes { Glibc.write(input.fileDescriptor, $0.baseAddress! + sent, bytes.count - sent) }
            if put < 0, errno == EINTR { continue }
            if put <= 0 { return false }
            sent += put
        }
        return true
    }

    /// Closes standard input (end of stream for the child).
    public func closeInput() { try? input?.close() }

    /// Waits for the child to end; its exit status and the last line it wrote on stderr.
    public func wait() -> (status: Int32, message: String) {
        process.waitUntilExit()
        cic_child_unregister(process.processIdentifier)
        errorReader.wait()
        let text = lock.withLock { String(decoding: errorTail, as: UTF8.self) }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
        return (status, lines.last ?? "exit status \(status)")
    }

    /// Kills the child (if still running) and reaps it.
    public func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        closeInput()
        _ = wait()
    }
}
