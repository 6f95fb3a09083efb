import Foundation
import Imaging

/// Why a session file could not be read or written; one line naming the file and what to do.
public enum SessionFileError: Error, Equatable, CustomStringConvertible {
    /// The file is missing or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is not an Atelier session (not JSON, or no `"format": "atelier-session"`).
    case notASession(path: String)
    /// The file was written by a newer Atelier with a format version this one cannot read.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// The file is a session but a field is wrong.
    case malformed(path: String, reason: String)
    /// The file cannot be written.
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read session \(path): \(reason)"
        case .notASession(let path):
            return "\(path) is not an Atelier session file (expected JSON with \"format\": \"atelier-session\")"
        case .unsupportedVersion(let path, let found, let supported):
            return "\(path) uses session format version \(found), but this Atelier reads versions 1...\(supported): update Atelier to open it"
        case .malformed(let path, let reason):
            return "session \(path) is damaged: \(reason)"
        case .unwritable(let path, let reason):
            return "cannot write session \(path): \(reason)"
        }
    }
}

/// Saving and loading sessions as versioned JSON files (see docs/session-format.md), and the
/// autosave file that `atelier --resume` reads back.
public enum SessionStore {
    /// The value of the file's `format` field.
    public static let formatName = "atelier-session"
    /// The format version this build writes, and the newest it reads.
    public static let currentVersion = 1

    /// Atelier's home folder: `$ATELIER_HOME`, or `~/.local/share/atelier` when it is not set
    /// (the same folder `ModelStore.defaultHome` uses).
    public static func home(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["ATELIER_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/atelier", isDirectory: true)
    }

    /// `<home>/sessions/autosave.json`.
    public static func autosaveURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        home(environment: environment).appendingPathComponent("sessions", isDirectory: true)
            .appendingPathComponent("autosave.json")
    }

    /// The autosave file under the current environment's home.
    public static var autosaveURL: URL { autosaveURL() }

    /// The JSON of `session` as a version-`currentVersion` session file.
    public static func encode(_ session: Session) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document(format: formatName, version: currentVersion, session: session))
    }

    /// The session in a session file's bytes; `path` names the file in errors, and relative
    /// paths inside are resolved against `baseDirectory` when given.
    public static func decode(_ data: Data, path: String, baseDirectory: URL? = nil) throws -> Session {
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(Header.self, from: data), header.format == formatName else {
            throw SessionFileError.notASession(path: path)
        }
        guard let version = header.version, version >= 1 else {
            throw SessionFileError.malformed(path: path, reason: "\"version\" must be a whole number from 1")
        }
        guard version <= currentVersion else {
            throw SessionFileError.unsupportedVersion(path: path, found: version, supported: currentVersion)
        }
        let session: Session
        do {
            session = try decoder.decode(Document.self, from: data).session
        } catch let error as DecodingError {
            throw SessionFileError.malformed(path: path, reason: error.fieldDescription)
        }
        return baseDirectory.map { resolved(session, against: $0) } ?? session
    }

    /// Writes `session` to `url` atomically (a temporary file in the same folder, then a rename),
    /// creating the folder if needed. An existing file is replaced.
    public static func save(_ session: Session, to url: URL) throws {
        let data: Data
        do {
            data = try encode(session)
        } catch {
            throw SessionFileError.unwritable(path: url.path, reason: "the session cannot be encoded (\(error))")
        }
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw SessionFileError.unwritable(path: url.path, reason: "cannot create folder \(folder.path)")
        }
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw SessionFileError.unwritable(path: url.path, reason: "the folder is not writable or the disk is full")
        }
    }

    /// The largest session file read (a real one is a few KB).
    static let maximumBytes = 16 << 20

    /// Reads the session file at `url`; relative paths inside are taken relative to its folder.
    /// Only a regular file is read (a FIFO or device is refused at once, never waited on).
    public static func load(from url: URL) throws -> Session {
        let data: Data
        do {
            data = Data(try RegularFile.bytes(url.path, limit: maximumBytes))
        } catch {
            let reason = (error as? RegularFile.Problem).map { "\($0)" } ?? "permission denied or not a file"
            throw SessionFileError.unreadable(path: url.path, reason: reason)
        }
        return try decode(data, path: url.path, baseDirectory: url.deletingLastPathComponent())
    }

    /// The autosaved session, or nil when there is none.
    public static func loadAutosave(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Session? {
        let url = autosaveURL(environment: environment)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try load(from: url)
    }

    /// Moves an autosave that cannot be read aside, to `autosave.json.damaged` (replacing an
    /// older one), so that `--resume` is not blocked by it for ever; returns where it went.
    @discardableResult
    public static func setAsideAutosave(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let url = autosaveURL(environment: environment)
        let aside = url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".damaged")
        return rename(url.path, aside.path) == 0 ? aside : nil
    }

    private struct Header: Decodable {
        var format: String
        var version: Int?
    }

    private struct Document: Codable {
        var format: String
        var version: Int
        var session: Session
    }

    private static func resolved(_ session: Session, against base: URL) -> Session {
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") || path.hasPrefix("~") ? (path as NSString).expandingTildeInPath
                : base.appendingPathComponent(path).standardizedFileURL.path
        }
        var session = session
        session.contentPath = session.contentPath.map(absolute)
        if let frame = session.frame { session.frame = ClipFrame(clip: absolute(frame.clip), index: frame.index) }
        for i in session.styles.indices { session.styles[i].path = absolute(session.styles[i].path) }
        if case .image(let path) = session.mask { session.mask = .image(path: absolute(path)) }
        return session
    }
}
