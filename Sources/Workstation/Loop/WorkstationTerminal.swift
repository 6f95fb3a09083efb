import Engine
import Foundation
import Imaging
import Terminal

/// Runs the workstation on the real terminal until the person quits.
///
/// The loop never blocks on work: it waits at most `frameMilliseconds` for a key, hands keys to
/// the `Workstation` (which sends commands to the studio at once), polls the engine's events,
/// redraws with ncurses, then lets the preview painters write the pictures they finished
/// encoding in the background.
public enum WorkstationTerminal {
    /// How long the loop waits for a key before polling the engine again.
    public static let frameMilliseconds = 16

    /// Opens the workstation as `launch` says; returns when the person quits. The terminal is
    /// restored on every way out (quit, error, SIGINT/SIGTERM/SIGHUP). Throws `WorkstationError`,
    /// `SessionFileError` (a damaged autosave) or `TerminalScreenError`.
    /// After Ctrl-C the process exits with status 130 once everything is put back.
    public static func run(_ launch: WorkstationLaunch) throws {
        let status = try runLoop(launch)
        if status != 0 { exit(status) }
    }

    /// Runs the workstation; returns its exit status.
    private static func runLoop(_ launch: WorkstationLaunch) throws -> Int32 {
        var gallery = StyleGallery(folders: launch.styleFolders)
        var (session, note) = try launch.initialSession(gallery: gallery)
        gallery.include(session)
        // A session showing a video frame names its clip: the frame is grabbed again once the
        // workstation runs (the file it names was a temporary grab, gone with that run).
        let resumedFrame = session.frame
        if resumedFrame != nil { (session.contentPath, session.frame) = (nil, nil) }

        var themeFolders = launch.themeFolders
        if let user = ThemeCatalog.userDirectory(environment: launch.environment) { themeFolders.append(user) }
        let themes = ThemeCatalog(directories: themeFolders)
        let themeFile = launch.home.appendingPathComponent("theme")
        let remembered = (try? String(contentsOf: themeFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let (theme, themeProblem) = themes.resolve(launch.theme ?? remembered)
        if let themeProblem { note = StatusMessage("\(themeProblem)", .warning) }

        let capabilities = TerminalCapabilities.detect(environment: launch.environment, tty: ControllingTerminal.open())
        let kind = launch.graphics ?? PreviewAdapterKind.best(for: capabilities)
        let adapters = (0..<2).map { kind.makeAdapter(for: capabilities, slot: $0, darkBackground: theme.isDark) }
        let policy = adapters[0].policy
        // Exact theme colours redefine palette entries: only where no preview draws with the palette.
        let screen = try TerminalScreen.start(theme: theme, options: screenOptions(exactColors: !policy.usesPalette))
        defer { screen.stop() }

        var box = PreviewBox(quickPasses: policy.showsQuickPasses)
        if let layout = ScreenLayout.compute(size: screen.size, natural: [:]) {
            box.size = PreviewSizing.box(cells: layout.preview.inset(by: 1), cellPixels: capabilities.cellPixels, adapter: adapters[0])
        }
        let model = launch.model()
        let trace = TraceLog.fromEnvironment(launch.environment)
        let waker = LoopWaker()
        let studio = Studio(session: session, previewBox: box, families: model.load, onEvent: { _ in waker.wake() })
        defer {
            trace?.note("shutdown")
            studio.shutdown()
            trace?.note("stopped")
            screen.stop()
            trace?.note("terminal restored")
        }
        let workstation = Workstation(studio: studio, launchFolder: launch.folder, styleFolders: launch.styleFolders,
                                      themes: themes, theme: theme, modelProblem: model.problem)
        workstation.gallery = gallery
        workstation.sessionFile = launch.sessionFile
        workstation.themeFile = themeFile
        workstation.message = note ?? StatusMessage("\(capabilities.term.isEmpty ? "terminal" : capabilities.term): "
                                                    + "\(adapters[0].name) preview · press ? for keys")
        workstation.trace = trace
        workstation.policy = policy
        workstation.detail.samplesPerCell = adapters[0].samplesPerCell(capabilities.cellPixels)
        // Runs before the studio's shutdown: a 1:1 render in flight removes its files when cancelled.
        defer {
            workstation.stopLive()
            workstation.closeClips()
            workstation.detail.render?.cancel()
            workstation.detail.render?.wait()
        }
        workstation.trace?.note("start \(kind) \(screen.size)")
        if let clip = launch.photo, VideoProbe.isVideoName(clip.path) {
            workstation.openClip(clip)
        } else if let frame = resumedFrame {
            workstation.openClip(URL(fileURLWithPath: frame.clip), at: frame.index)
        }
        if let live = launch.live { try workstation.startLive(live.source, probe: live.probe, wake: { waker.wake() }) }

        let writer = PreviewWriter(adapters: adapters, cellPixels: capabilities.cellPixels, surface: screen)
        let loop = Loop(screen: screen, workstation: workstation, capabilities: capabilities, writer: writer, waker: waker)
        loop.run()
        workstation.trace?.note("quit")
        return workstation.exitStatus
    }

    /// Mouse on, keys polled every frame, Ctrl-C read as a key (the workstation asks first).
    private static func screenOptions(exactColors: Bool) -> TerminalScreen.Options {
        var options = TerminalScreen.Options(mouse: true, inputTimeoutMilliseconds: frameMilliseconds, exactColors: exactColors)
        options.interruptAsKey = true
        return options
    }

    /// The frame loop's state.
    private final class Loop {
        let screen: TerminalScreen
        let workstation: Workstation
        let capabilities: TerminalCapabilities
        let writer: PreviewWriter
        let waker: LoopWaker
        var themeID: String
        var lastDraw = DispatchTime.now().uptimeNanoseconds
        var lastShape = ""

        init(screen: TerminalScreen, workstation: Workstation, capabilities: TerminalCapabilities, writer: PreviewWriter,
             waker: LoopWaker) {
            self.screen = screen
            self.waker = waker
            self.workstation = workstation
            self.capabilities = capabilities
            self.writer = writer
            themeID = workstation.theme.id
            let trace = workstation.trace
            writer.onEncoded = { id, ms, bytes in
                trace?.note("encoded \(id) \(String(format: "%.1f", ms)) ms \(bytes) bytes")
                waker.wake()
            }
        }

        func run() {
            var dirty = true
            // ncurses is asked without waiting; the loop waits in poll(2) on the terminal and on
            // the waker, so a finished render or encoding is shown at once, not at the next tick.
            screen.setInputTimeout(milliseconds: 0)
            while !workstation.quitRequested {
                waker.wait(input: screen.options.inputDescriptor, milliseconds: frameMilliseconds)
                screen.setInputTimeout(milliseconds: 0)  // reading Alt+key sequences puts the default back
                var keys = 0
                while keys < 256, let key = screen.nextEvent() {
                    workstation.handle(key)
                    keys += 1
                }
                if keys > 0 { dirty = true }
                if workstation.quitRequested { break }
                if workstation.pollEngine() { dirty = true }
                let now = DispatchTime.now().uptimeNanoseconds
                let busy = workstation.studio.isRendering || workstation.exportJob?.state == .running
                if dirty || now - lastDraw > (busy ? 100_000_000 : 500_000_000) {
                    draw()
                    dirty = false
                    lastDraw = now
                }
                if writer.hasPendingWrite {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let ids = writer.flush()
                    let ms = String(format: "%.1f", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    for id in ids { workstation.trace?.note("drawn \(id) \(ms)") }
                }
            }
            writer.removeAll()
            screen.refresh()
        }

        /// One frame: the text, the pictures wanted (the writer removes the ones that go), refresh.
        private func draw() {
            let start = DispatchTime.now().uptimeNanoseconds
            if workstation.theme.id != themeID {
                themeID = workstation.theme.id
                screen.applyTheme(workstation.theme)
                workstation.needsRepaint = true
            }
            let pictures = workstation.draw(on: screen)
            // Rows that move (panes changing height, lists scrolling) may be moved by ncurses with
            // scroll regions, pictures and all: repaint every line instead.
            let shape = workstation.frameShape
            if shape != lastShape {
                lastShape = shape
                workstation.needsRepaint = true
            }
            if workstation.needsRepaint {
                workstation.needsRepaint = false
                screen.repaint(screen.bounds)
                writer.invalidate()
            }
            writer.show(pictures)
            syncPreviewBox()
            screen.refresh()
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            workstation.trace?.note("refresh \(String(format: "%.2f", ms))")
        }

        /// Renders previews at the pane's pixel size (after a resize, for instance).
        private func syncPreviewBox() {
            guard let layout = workstation.layout else { return }
            var box = workstation.studio.previewBox
            box.size = PreviewSizing.box(cells: layout.preview.inset(by: 1), cellPixels: capabilities.cellPixels,
                                         adapter: writer.adapter)
            workstation.studio.setPreviewBox(box)
        }
    }
}
