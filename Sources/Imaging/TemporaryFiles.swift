import CImageCodecs
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The hidden temporary files written beside an output before it is renamed into place:
/// `.<name>.<pid>-<tag>h<host>.tmp`, removed by SIGINT/SIGTERM/SIGHUP (once `removeOnSignals()`
/// was called) and swept by later runs on the same machine once their process is gone (`host`,
/// a hash of the host name, keeps machines sharing a folder from sweeping each other's files).
public enum TemporaryFiles {
    /// The longest part of the destination's name kept in a temporary name, so that every
    /// legal destination name (up to 255 bytes) has a legal temporary name.
    static let namePrefixBytes = 200

    /// A temporary name beside `destination`, unique within this process thanks to `tag`.
    public static func url(beside destination: URL, tag: String) -> URL {
        var name = Array(PathBytes.encode(destination.lastPathComponent).prefix(namePrefixBytes))
        name = Array(".".utf8) + name + Array(".\(getpid())-\(tag)h\(hostTag).tmp".utf8)
        return destination.deletingLastPathComponent().appendingPathComponent(PathBytes.decode(name))
    }

    /// Registers `url` for removal on a signal (a file, or a folder of files: emptied, then removed).
    public static func register(_ url: URL) { _ = cic_temp_register(url.systemPath) }

    /// Forgets `url` (renamed into place or removed).
    public static func unregister(_ url: URL) { cic_temp_unregister(url.systemPath) }

    /// Removes every registered file now. Async-signal-safe: for a program that installs its
    /// own handlers (the workstation restores the terminal, then calls this, then exits).
    public static func removeAllNow() { cic_temp_remove_all() }

    /// Makes SIGINT, SIGTERM and SIGHUP remove every registered temporary file, then exit with
    /// 128 + the signal's number (130 for Ctrl-C, 143 for `kill`).
    public static func removeOnSignals() { cic_temp_cleanup_on_signals() }

    /// Removes the temporary files in `folder` whose process no longer runs (a render killed
    /// by SIGKILL, a power cut), and such temporary folders with what is in them (a contact
    /// sheet's cells). Files of running processes are left alone; symbolic links are never followed.
    public static func sweep(_ folder: URL) {
        guard let names = PathBytes.names(in: folder.path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            guard let pid = owner(ofTemporaryName: name), pid != getpid() else { continue }
            if let host = host(ofTemporaryName: name), host != hostTag { continue }  // another machine's
            if kill(pid, 0) == 0 || errno != ESRCH { continue }
            let url = folder.appendingPathComponent(name)
            var info = stat()
            guard lstat(url.systemPath, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: unlink(url.systemPath)
            case S_IFDIR: try? FileManager.default.removeItem(at: url)
            default: continue
            }
        }
    }

    /// This machine's tag in temporary names: its host name's hash, 8 hex digits.
    public static let hostTag = String(format: "%08x", cic_temp_host_tag())

    /// The machine tag of `.<name>.<pid>-<tag>h<host>.tmp`, nil for names without one (written
    /// before names had it, taken to be this machine's).
    static func host(ofTemporaryName name: String) -> String? {
        let stem = name.dropLast(4)  // ".tmp"
        guard let h = stem.lastIndex(of: "h") else { return nil }
        let host = stem[stem.index(after: h)...]
        guard host.count == 8, host.allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
              stem[..<h].last.map({ $0 != "-" && $0 != "." }) == true else { return nil }
        return String(host)
    }

    /// The process id in `.<name>.<pid>-<tag>.tmp`, where tag is letters and digits.
    static func owner(ofTemporaryName name: String) -> pid_t? {
        let stem = name.dropLast(4)  // ".tmp"
        guard let dot = stem.lastIndex(of: "."), dot != stem.startIndex else { return nil }
        let parts = stem[stem.index(after: dot)...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let pid = pid_t(parts[0]), pid > 0 else { return nil }
        return pid
    }
}
