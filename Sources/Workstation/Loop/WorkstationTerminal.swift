import Engine
import Foundation
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
    public static func run(_ launch: WorkstationLaunch) throws {
        var gallery = StyleGallery(folders: launch.styleFolders)
        var (session, note) = try launch.initialSession(gallery: gallery)
        gallery.include(session)

        var themeFolders = launch.themeFolders
        if let user = ThemeCatalog.userDirectory(environment: launch.environment) { themeFolders.append(user) }
        let themes = ThemeCatalog(directories: themeFolders)
        let (theme, themeProblem) = themes.resolve(launch.theme ?? session.theme)
        if let themeProblem { note = StatusMessage("\(themeProblem)", .warning) }
        session.theme = theme.id

        let capabilities = TerminalCapabilities.detect(environment: launch.environment, tty: ControllingTerminal.open())
        let kind = launch.graphics ?? PreviewAdapterKind.best(for: capabilities)
        // Exact theme colours redefine palette entries: only where no preview draws with the palette.
        let exact = kind == .sixel || kind == .kitty || (kind == .halfBlock && capabilities.colorDepth >= .trueColor)
        let screen = try TerminalScreen.start(theme: theme, options: .init(mouse: true, inputTimeoutMilliseconds: frameMilliseconds,
                                                                            exactColors: exact))
        defer { screen.stop() }

        let natural: [PaneID: Int] = [:]
        if let layout = ScreenLayout.compute(size: screen.size, natural: natural) {
            session.previewSize = PreviewSizing.box(cells: layout.preview.inset(by: 1), cellPixels: capabilities.cellPixels, kind: kind)
        }
        let model = launch.model()
        let trace = TraceLog.fromEnvironment(launch.environment)
        let waker = LoopWaker()
        let studio = Studio(session: session, families: model.load, onEvent: { _ in waker.wake() })
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
        workstation.message = note ?? StatusMessage("\(capabilities.term.isEmpty ? "terminal" : capabilities.term): "
                                                    + "\(kind) preview · press ? for keys")
        workstation.trace = trace
        workstation.skipsQuickPasses = kind == .sixel || kind == .kitty
        workstation.trace?.note("start \(kind) \(screen.size)")

        let loop = Loop(screen: screen, workstation: workstation, capabilities: capabilities, kind: kind, waker: waker)
        loop.run()
        workstation.trace?.note("quit")
    }

    /// The frame loop's state.
    private final class Loop {
        let screen: TerminalScreen
        let workstation: Workstation
        let capabilities: TerminalCapabilities
        let painters: [PreviewPainter]
        let waker: LoopWaker
        var themeID: String
        var lastDraw = DispatchTime.now().uptimeNanoseconds

        init(screen: TerminalScreen, workstation: Workstation, capabilities: TerminalCapabilities, kind: PreviewAdapterKind,
             waker: LoopWaker) {
            self.screen = screen
            self.waker = waker
            self.workstation = workstation
            self.capabilities = capabilities
            painters = (0..<2).map { slot in
                PreviewPainter(adapter: kind.makeAdapter(for: capabilities, slot: slot), label: "\(slot)")
            }
            themeID = workstation.theme.id
            let trace = workstation.trace
            for painter in painters {
                painter.onEncoded = { id, ms, bytes in
                    trace?.note("encoded \(id) \(String(format: "%.1f", ms)) ms \(bytes) bytes")
                    waker.wake()
                }
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
                    handle(key)
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
                for painter in painters where painter.hasPendingWrite {
                    if let id = painter.flush() { workstation.trace?.note("drawn \(id)") }
                }
            }
            for painter in painters {
                if let rect = painter.erase(within: screen.bounds) { screen.repaint(rect) }
            }
        }

        private func handle(_ key: KeyEvent) {
            workstation.handle(key)
            if key == .resize {
                for painter in painters { painter.invalidate() }
            }
        }

        private func draw() {
            let start = DispatchTime.now().uptimeNanoseconds
            if workstation.theme.id != themeID {
                themeID = workstation.theme.id
                screen.applyTheme(workstation.theme)
                workstation.needsRepaint = true
            }
            let slots = workstation.draw(on: screen)
            // A picture that moves or goes away is erased and its cells repainted by ncurses in
            // the theme's colours in this same refresh; the new one is drawn after it.
            for (i, painter) in painters.enumerated() {
                guard let shown = painter.rectOnScreen, i >= slots.count || slots[i].rect != shown else { continue }
                painter.erase(within: screen.bounds)
                screen.repaint(shown)
            }
            if workstation.needsRepaint {
                workstation.needsRepaint = false
                screen.repaint(screen.bounds)
                for painter in painters { painter.invalidate() }
            }
            syncPreviewSize()
            screen.refresh()
            for (slot, painter) in zip(slots, painters) {
                painter.request(slot.image, id: slot.id, in: slot.rect, cellPixels: capabilities.cellPixels)
            }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            workstation.trace?.note("refresh \(String(format: "%.2f", ms))")
        }

        /// Renders previews at the pane's pixel size (after a resize, for instance).
        private func syncPreviewSize() {
            guard let layout = workstation.layout else { return }
            let kind = painters[0].kind
            let wanted = PreviewSizing.box(cells: layout.preview.inset(by: 1), cellPixels: capabilities.cellPixels, kind: kind)
            if wanted != workstation.session.previewSize && wanted != lastAsked {
                lastAsked = wanted
                workstation.apply(.setPreviewSize(width: wanted.width, height: wanted.height))
            }
        }

        private var lastAsked: PreviewSize?
    }
}
