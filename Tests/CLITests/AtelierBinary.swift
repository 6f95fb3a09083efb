import Foundation

/// Runs the built `atelier` executable with a private model home.
enum AtelierBinary {
    /// `$ATELIER_BINARY`, else `<repo>/.build/debug/atelier`.
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_BINARY"] { return URL(fileURLWithPath: path) }
        return repoRoot.appendingPathComponent(".build/debug/atelier")
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var shared: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_SHARED"] { return URL(fileURLWithPath: path) }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    static var mirror: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_WEIGHTS_MIRROR"] { return ust16xFolder(path) }
        return shared.appendingPathComponent("models/ust16x")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `atelier arguments` in `directory` with `ATELIER_HOME=home`, its output discarded,
    /// and returns at once (for tests that signal it while it runs).
    static func start(_ arguments: [String], in directory: URL, home: URL) throws -> Process {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["ATELIER_HOME"] = home.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `atelier arguments` in `directory` with `ATELIER_HOME=home`, no standard input, the
    /// folder of `atelier` first on PATH and `environment` added (`executable` runs instead of
    /// `atelier` when given, e.g. /bin/bash for a script); a run longer than `timeout` seconds
    /// is terminated (so a regression that hangs fails instead of stalling CI).
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, home: URL, environment extra: [String: String] = [:],
                    executable: URL? = nil, timeout: TimeInterval = 900) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["ATELIER_HOME"] = home.path
        environment.removeValue(forKey: "ATELIER_WEIGHTS_MIRROR")
        environment["PATH"] = url.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
            if process.isRunning { process.terminate() }
        }
        return try Result.collect(process)
    }
}

extension AtelierBinary.Result {
    /// Starts `process` with pipes on its standard output and error, reads both to their ends at
    /// the same time (a child that fills one pipe while the other is being read would stall
    /// forever), waits for it to exit and returns its status and both texts.
    static func collect(_ process: Process) throws -> AtelierBinary.Result {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = PipeDrain(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.wait()
        process.waitUntilExit()
        return AtelierBinary.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                    stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A pipe read to its end on a thread of its own; `wait()` returns what it held.
final class PipeDrain: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        DispatchQueue.global().async { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Blocks until the writer has closed the pipe; the bytes it wrote.
    func wait() -> Data {
        done.wait()
        return data
    }
}


/// A weights mirror is either the shared models root (with `ust16x/`, `magenta/`, ...) or the
/// UST-16x folder itself: the folder that holds the .pth files.
private func ust16xFolder(_ path: String) -> URL {
    let nested = URL(fileURLWithPath: path).appendingPathComponent("ust16x")
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: nested.path, isDirectory: &isDirectory) && isDirectory.boolValue
        ? nested : URL(fileURLWithPath: path)
}
