#if canImport(Glibc)
import Glibc
#endif
import Engine
import Foundation
import Imaging
import Stylization
import Terminal

/// How `atelier` was asked to open the workstation.
public struct WorkstationLaunch: Sendable {
    /// The folder the workstation opens in (the picker shows it; exports go there).
    public var folder: URL
    /// The photo to open, if one was named (or the demo photo).
    public var photo: URL?
    /// Restore the autosaved session.
    public var resume: Bool
    /// The preview adapter to use instead of the detected one.
    public var graphics: PreviewAdapterKind?
    /// Folders whose images make up the style gallery, in order.
    public var styleFolders: [URL]
    /// Folders with theme files (besides the built-in themes and the user's theme folder).
    public var themeFolders: [URL]
    /// The theme to start with (nil: the session's, else the default).
    public var theme: String?
    /// Atelier's data folder, where the model is installed.
    public var home: URL
    /// The model family to start with (nil: the session's, else the default).
    public var modelFamily: String?
    /// The process environment (TERM, ATELIER_TRACE, ...).
    public var environment: [String: String]
    /// The live source `atelier live` shows, with what ffprobe said about it.
    public var live: (source: LiveSource, probe: VideoProbe)?

    /// A launch description.
    public init(folder: URL, photo: URL? = nil, resume: Bool = false, graphics: PreviewAdapterKind? = nil,
                styleFolders: [URL], themeFolders: [URL] = [], theme: String? = nil, home: URL, modelFamily: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.modelFamily = modelFamily
        self.folder = folder
        self.photo = photo
        self.resume = resume
        self.graphics = graphics
        self.styleFolders = styleFolders
        self.themeFolders = themeFolders
        self.theme = theme
        self.home = home
        self.environment = environment
    }
}

/// Why the workstation could not open; one line for stderr.
public enum WorkstationError: Error, Equatable, CustomStringConvertible {
    /// The photo named on the command line does not exist.
    case noSuchPhoto(String)
    /// The photo named on the command line is a folder.
    case photoIsFolder(String)
    /// The session file named on the command line cannot be read (the reason, one line).
    case unreadableSession(String)

    /// One line naming the path and what to do.
    public var description: String {
        switch self {
        case .noSuchPhoto(let path): return "\(path): no such file (give the path of a PNG or JPEG photo)"
        case .photoIsFolder(let path): return "\(path) is a folder: run `atelier` inside it, or name a photo in it"
        case .unreadableSession(let reason): return reason
        }
    }
}

extension WorkstationLaunch {
    /// The saved session named on the command line (`atelier FILE.atelier.json`), if one was.
    public var sessionFile: URL? {
        photo.flatMap { ContentBrowser.isSessionFile($0.lastPathComponent) ? $0.standardizedFileURL : nil }
    }

    /// The session to start with and a message for the status bar, if any.
    func initialSession(gallery: StyleGallery) throws -> (Session, StatusMessage?) {
        var session = Session()
        var note: StatusMessage?
        if let sessionFile {
            do { session = try SessionStore.load(from: sessionFile) } catch {
                throw WorkstationError.unreadableSession("\(error)")
            }
            if let modelFamily { session = (try? session.applying(.setModel(modelFamily))) ?? session }
            return (session, StatusMessage("opened session \(sessionFile.lastPathComponent)", .success))
        }
        if resume {
            let saved: Session?
            do { saved = try SessionStore.loadAutosave(environment: environment) } catch {
                // A damaged autosave must not block --resume for ever: keep it aside, start afresh.
                saved = nil
                let kept = SessionStore.setAsideAutosave(environment: environment)
                note = StatusMessage("\(error); kept as \(kept?.path ?? "is"), starting a new session", .warning)
            }
            if let saved {
                session = saved
                note = StatusMessage("resumed the autosaved session", .success)
            } else if note == nil {
                note = StatusMessage("no autosaved session yet: starting a new one", .warning)
            }
        }
        if let modelFamily { session = (try? session.applying(.setModel(modelFamily))) ?? session }
        if live != nil, session.activeBlend.isEmpty {
            if ModelCatalog.entry(session.family)?.family.usesBuiltinStyles == true {
                session = (try? session.applying(.addStyle(path: StyleChoice.builtin(0).path, weight: 1))) ?? session
            } else if let first = gallery.items.first {
                session = (try? session.applying(.addStyle(path: first.path, weight: 1))) ?? session
            }
        }
        if let photo {
            var info = stat()
            guard stat(photo.systemPath, &info) == 0 else { throw WorkstationError.noSuchPhoto(PathBytes.shown(photo.path)) }
            guard (info.st_mode & S_IFMT) != S_IFDIR else { throw WorkstationError.photoIsFolder(PathBytes.shown(photo.path)) }
            // A clip is opened by the workstation (its frames are grabbed in the background).
            session.frame = nil
            session.contentPath = VideoProbe.isVideoName(photo.path) ? nil : photo.standardizedFileURL.path
            if session.activeBlend.isEmpty, ModelCatalog.entry(session.family)?.family.usesBuiltinStyles == true {
                session = (try? session.applying(.addStyle(path: StyleChoice.builtin(0).path, weight: 1))) ?? session
            } else if session.activeBlend.isEmpty, let first = gallery.items.first {
                session = (try? session.applying(.addStyle(path: first.path, weight: 1))) ?? session
            }
        }
        return (session, note)
    }

    /// The models' state: a loader of any family for the studio and, when the default family is
    /// not installed, what to run.
    func model() -> (load: FamilyLoader, problem: String?) {
        let home = self.home
        let installed = ModelCatalog.entry(modelFamily ?? ModelCatalog.defaultFamilyID)?.isInstalled(home) ?? false
        let problem = installed ? nil : "model not installed: run `atelier models install`"
        return ({ try ModelCatalog.load($0, home: home) }, problem)
    }
}
