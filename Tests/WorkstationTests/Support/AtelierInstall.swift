import Foundation
import XCTest

/// The built `atelier` binary and a private home with the model installed from the mirror.
enum AtelierInstall {
    /// `$ATELIER_BINARY`, else `<repo>/.build/debug/atelier` (built by `swift build --product atelier`).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_BINARY"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return repoRoot.appendingPathComponent(".build/debug/atelier")
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static var shared: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_SHARED"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// `$ATELIER_WEIGHTS_MIRROR`, else `<shared>/models/ust16x`.
    static var mirror: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_WEIGHTS_MIRROR"], !path.isEmpty { return ust16xFolder(path) }
        return shared.appendingPathComponent("models/ust16x")
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var installedHome: URL?

    /// Deletes the temporary home (after the last test that needs it).
    static func removeHome() {
        lock.withLock {
            if let installedHome { try? FileManager.default.removeItem(at: installedHome) }
            installedHome = nil
        }
    }

    /// A temporary ATELIER_HOME where `atelier models install --from <mirror>` was run (once per test run).
    static func home() throws -> URL {
        try lock.withLock {
            if let installedHome { return installedHome }
            guard FileManager.default.isExecutableFile(atPath: binary.path) else {
                throw XCTSkip("no atelier binary at \(binary.path): run `swift build --product atelier` first")
            }
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-ws-home-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            let process = Process()
            process.executableURL = binary
            process.arguments = ["models", "install", "--from", mirror.deletingLastPathComponent().path]
            var environment = ProcessInfo.processInfo.environment
            environment["ATELIER_HOME"] = home.path
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TmuxSession.TmuxError(message: "atelier models install failed: \(message)")
            }
            installedHome = home
            return home
        }
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
