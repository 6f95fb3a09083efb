import Engine
import Foundation
import Imaging
import Stylization
import Terminal

/// The workstation's state and behaviour, apart from the terminal: which pane has focus, the
/// cursors, prompts, the preview pictures received, status messages. Keys come in through
/// `handle(_:)`, engine events through `pollEngine()`; every change to the picture goes to the
/// `Studio` as a `SessionCommand` at once, so the controls answer immediately while renders run
/// in the background. `WorkstationTerminal` runs it on a real terminal; tests drive it directly.
public final class Workstation {
    /// The engine.
    public let studio: Studio
    /// The key bindings dispatched on (and shown by the help overlay).
    public let keyMap: KeyMap
    /// The photo picker.
    public internal(set) var browser: ContentBrowser
    /// The style gallery.
    public internal(set) var gallery: StyleGallery
    /// The pane with keyboard focus.
    public internal(set) var focus: PaneID = .picker
    /// The row under the cursor in the controls pane.
    public internal(set) var controlCursor = 0
    /// The question in the status bar, if any.
    public internal(set) var prompt: Prompt?
    /// Whether the help overlay is open.
    public internal(set) var helpVisible = false
    /// First help line shown (the overlay scrolls with j/k).
    public internal(set) var helpScroll = 0
    /// What the preview pane shows.
    public internal(set) var mode: PreviewMode = .stylized
    /// Pictures received and their timings.
    public internal(set) var preview = PreviewHistory()
    /// The status bar's message.
    public internal(set) var message: StatusMessage?
    /// Whether the message was too long for its row and took the status row too (the next key
    /// clears it, giving the figures back).
    var messageTookStatusRow = false
    /// The colour theme in use.
    public internal(set) var theme: Theme
    /// The themes T cycles through.
    public let themes: ThemeCatalog
    /// The folder the workstation was opened in (exports and saved sessions go there).
    public let launchFolder: URL
    /// Why the model cannot be used, with the command that fixes it; nil when it is installed.
    public let modelProblem: String?
    /// Whether the last frame only asked for a larger window (keys other than quit wait).
    public internal(set) var tooSmall = false
    /// Set once the person confirmed quitting.
    public internal(set) var quitRequested = false
    /// The process's exit status once quitting: 130 after Ctrl-C (as a shell expects), else 0.
    public internal(set) var exitStatus: Int32 = 0
    /// The export started last.
    public internal(set) var exportJob: ExportJob?
    /// How the preview adapter in use wants pictures (quick passes or not).
    public var policy = PreviewPolicy(showsQuickPasses: true, usesPalette: false)
    /// Where the chosen theme is remembered between runs (nil: not remembered).
    public var themeFile: URL?
    /// Set when the whole screen must be repainted (theme change, overlay closed, Ctrl-L).
    public var needsRepaint = true
    /// Timestamps for latency measurements, if `ATELIER_TRACE` is set.
    public var trace: TraceLog?
    /// The layout of the last frame drawn (mouse presses are mapped through it).
    public internal(set) var layout: ScreenLayout?
    /// Where rows of text sit: the layout and the lists' scroll positions of the last frame.
    /// When it changes, ncurses may move whole lines (scroll regions) under the pictures, so
    /// the terminal loop repaints every line and the pictures.
    public var frameShape: String { "\(String(describing: layout))|\(scroll.sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value))|\(helpVisible)" }
    /// Screen columns of the controls' slider gauges, as last drawn (a click there sets the value).
    var gaugeColumns: Range<Int>?
    /// First visible row of each list pane, as last drawn.
    var scroll: [PaneID: Int] = [:]
    /// The session last exported or saved (quitting after it asks nothing).
    var settled: Session
    /// The mask image chosen last (the mask choice offers it).
    var lastMaskImage: String?
    /// Where the session was saved last.
    var sessionFile: URL?
    /// Loads the unstyled photo for before/after, off the interface's thread.
    let photoLoader: PhotoLoader
    /// Reads the files the person opens (session files) off the interface's thread.
    let reads = BackgroundReads()
    /// Swatches of the built-in styles (CIN-26), made in the background.
    let swatches = StyleSwatches()
    /// The video clip open and its frame grabs (see Workstation+Clip.swift).
    let clips = ClipBrowsing()
    /// The live source shown, if `atelier live` opened the workstation (see Workstation+Live.swift).
    var live: LiveView?
    /// The 1:1 view's render, point and window (see Workstation+Detail.swift).
    public let detail = DetailView()
    /// The preview's polish (running, or finished on the session an export would apply it to).
    var polishJob: PreviewPolish?
    /// The preview generation the running polish works on (nil once it ended).
    var polishGeneration: UInt64?
    /// When the running polish started, and the loss it ended at.
    var polishStarted: Date?
    var lastPolishLoss: Double?

    /// A workstation on `studio`, browsing `launchFolder`, with styles from `styleFolders`.
    public init(studio: Studio, launchFolder: URL, browseFolder: URL? = nil, styleFolders: [URL], themes: ThemeCatalog,
                theme: Theme, modelProblem: String?, keyMap: KeyMap = .standard) {
        self.studio = studio
        self.keyMap = keyMap
        self.launchFolder = launchFolder
        self.themes = themes
        self.theme = theme
        self.modelProblem = modelProblem
        let session = studio.session
        var gallery = StyleGallery(folders: styleFolders)
        gallery.include(session)
        gallery.follow(session)
        self.gallery = gallery
        settled = session
        photoLoader = PhotoLoader(sources: studio.sources)
        var browser = ContentBrowser(folder: browseFolder ?? launchFolder)
        if let content = session.contentPath {
            let url = URL(fileURLWithPath: content)
            browser.open(folder: browseFolder ?? url.deletingLastPathComponent(), select: url)
        }
        self.browser = browser
        if case .image(let path) = session.mask { lastMaskImage = path }
        if session.contentPath != nil { focus = .gallery }
    }

    /// The session as it is now.
    public var session: Session { studio.session }

    /// The rows of the controls pane for the current session.
    public var controlRows: [ControlRow] { ControlRow.rows(for: session) }

    // MARK: Commands

    /// Sends `command` to the studio; an error becomes the status message. Returns whether the
    /// session changed.
    @discardableResult
    func apply(_ command: SessionCommand) -> Bool {
        do {
            let changed = try studio.perform(command)
            if changed { trace?.note("submit \(studio.previewGeneration)") }
            gallery.follow(session)
            return changed
        } catch {
            say("\(error)", .error)
            return false
        }
    }

    /// Shows `text` in the status bar.
    func say(_ text: String, _ tone: StatusMessage.Tone = .info) {
        message = StatusMessage(PathBytes.shown(text), tone)
    }

    // MARK: Engine events

    /// Takes the engine's events (pictures, render errors, exports); returns whether anything
    /// on screen changes.
    @discardableResult
    public func pollEngine() -> Bool {
        let read = [reads.deliverFinished(), swatches.deliverFinished()].contains(true)
        let detailChanged = syncDetail()
        let polished = pollPolish()
        let liveChanged = pollLive()
        let events = studio.pollEvents()
        for event in events {
            switch event {
            case .preview(let frame):
                trace?.note("frame \(frame.generation) \(frame.kind.rawValue) \(String(format: "%.1f", frame.seconds * 1000))")
                preview.receive(frame)
            case .previewFailed(let generation, let full):
                trace?.note("failed \(generation)")
                let text = Self.shortened(full, folders: sessionFolders)
                preview.failure = text
                // With no style on, the photo itself is shown and the hint says to press 1-9.
                // A style that is on but weighs nothing is worth saying (weight 0 on the only style).
                let noStyle = full == RenderSetupError.noActiveStyle.description && session.activeBlend.isEmpty
                let liveFrames = live != nil && full == RenderSetupError.noContent.description
                if !noStyle && !liveFrames && (modelProblem == nil || !(text.contains("model") || text.contains("install"))) {
                    say(text, .error)
                }
            case .exportFinished(let result):
                trace?.note("export finished")
                say("exported \(result.imageURL.lastPathComponent) + recipe (\(result.width)x\(result.height), "
                    + "\(PreviewHistory.milliseconds(result.seconds))) in \(result.imageURL.deletingLastPathComponent().path)", .success)
            case .exportFailed(_, let text):
                trace?.note("export failed")
                say("export failed: \(text)", .error)
            case .exportCancelled(let destination):
                trace?.note("export cancelled")
                say("export cancelled: nothing written to \((destination as NSString).lastPathComponent)", .warning)
            }
        }
        return read || detailChanged || polished || liveChanged || !events.isEmpty
    }

    /// Whether the look differs from what was last exported or saved.
    var hasUnexportedChanges: Bool {
        let now = session
        guard now.contentPath != nil, !now.activeBlend.isEmpty else { return false }
        return now != settled
    }

    /// `text` with absolute paths cut to their file names, so a message fits a status bar: first
    /// the `folders` given (which may contain spaces), then any other path without spaces.
    static func shortened(_ text: String, folders: [String] = []) -> String {
        var text = text
        for folder in folders.sorted(by: { $0.count > $1.count }) where folder.count > 1 {
            text = text.replacingOccurrences(of: folder.hasSuffix("/") ? folder : folder + "/", with: "")
        }
        return text.replacingOccurrences(of: #"(/[^/\s:'"]+)+/([^/\s:'"]+)"#, with: "$2", options: .regularExpression)
    }

    /// The folders of the files the session uses (for `shortened`).
    var sessionFolders: [String] {
        var paths = session.styles.map(\.path) + [session.contentPath].compactMap { $0 }
        if case .image(let path) = session.mask { paths.append(path) }
        return Array(Set(paths.map { ($0 as NSString).deletingLastPathComponent } + [launchFolder.path, browser.folder.path]))
    }
}
