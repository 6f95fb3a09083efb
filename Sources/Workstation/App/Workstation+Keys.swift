import Engine
import Foundation
import Terminal

extension Workstation {
    /// Handles one key (or resize, or mouse press). Prompts and the help overlay take keys
    /// first; otherwise the key map decides.
    public func handle(_ key: KeyEvent) {
        trace?.note("key \(key.name)")
        switch key {
        case .resize:
            needsRepaint = true
            return
        case .mouse(let event):
            handleMouse(event)
            return
        default:
            break
        }
        if prompt != nil {
            handlePrompt(key)
            return
        }
        if helpVisible {
            handleHelp(key)
            return
        }
        if key == .escape {
            if mode != .stylized { mode = .stylized } else { message = nil }
            return
        }
        guard let action = keyMap.action(for: key, focus: focus) else { return }
        perform(action, key: key)
    }

    /// Carries out `action` (`key` is the key that asked for it, for digit keys).
    public func perform(_ action: Action, key: KeyEvent? = nil) {
        switch action {
        case .nextPane: focus = focus.neighbour(by: 1)
        case .previousPane: focus = focus.neighbour(by: -1)
        case .cursorUp: moveCursor(by: -1)
        case .cursorDown: moveCursor(by: 1)
        case .cursorTop: moveCursor(by: -1_000_000)
        case .cursorBottom: moveCursor(by: 1_000_000)
        case .decrease: step(-1, large: false)
        case .increase: step(1, large: false)
        case .decreaseLarge: step(-1, large: true)
        case .increaseLarge: step(1, large: true)
        case .activate: activate()
        case .parentFolder: browser.goUp()
        case .useAsMask: useAsMask()
        case .toggleStyle: toggleGalleryItem(gallery.cursor)
        case .toggleStyleNumber:
            if case .character(let c)? = key, let n = c.wholeNumberValue { toggleGalleryItem(n - 1) }
        case .swapRegions:
            if session.mask.hasRegions { apply(.swapRegionBlends) } else { say("no mask: choose one on the Mask row first", .warning) }
        case .undo: undo()
        case .redo: redo()
        case .export: beginExport()
        case .cancelExport: cancelExport()
        case .saveSession: beginSave()
        case .cycleTheme:
            theme = themes.next(after: theme.id)
            apply(.setTheme(theme.id))
            needsRepaint = true
            say("theme: \(theme.name)")
        case .beforeAfter: mode = mode == .before ? .stylized : .before
        case .compare:
            if mode == .compare {
                mode = .stylized
            } else if preview.previousFull == nil {
                say("compare needs two renders: change something first", .warning)
            } else {
                mode = .compare
            }
        case .rerender: studio.refresh()
        case .redraw: needsRepaint = true
        case .help:
            helpVisible = true
            helpScroll = 0
        case .quit: requestQuit()
        }
    }

    private func moveCursor(by delta: Int) {
        switch focus {
        case .picker: browser.move(by: delta)
        case .gallery: gallery.move(by: delta)
        case .controls:
            let count = controlRows.count
            controlCursor = min(max(controlCursor + delta, 0), max(0, count - 1))
        }
    }

    /// h/l/H/L: a slider step or the next choice (controls), a style's weight (gallery).
    private func step(_ direction: Int, large: Bool) {
        switch focus {
        case .picker:
            break
        case .controls:
            let rows = controlRows
            guard rows.indices.contains(controlCursor) else { return }
            if let command = rows[controlCursor].command(direction: direction, large: large, session: session,
                                                         maskImage: lastMaskImage) {
                apply(command)
            }
            keepControlCursor(on: rows[controlCursor], previous: rows)
        case .gallery:
            guard let index = gallery.sessionIndex(of: gallery.cursor, in: session), session.styles[index].active else {
                say("this style is off: press Space or Enter to use it", .warning)
                return
            }
            if let command = ControlRow.weight(index).command(direction: direction, large: large, session: session,
                                                             maskImage: nil) {
                apply(command)
            }
        }
    }

    /// After a change that may add or remove rows, keeps the cursor on `row`.
    func keepControlCursor(on row: ControlRow, previous: [ControlRow]) {
        let rows = controlRows
        if let i = rows.firstIndex(of: row) {
            controlCursor = i
        } else {
            controlCursor = min(controlCursor, max(0, rows.count - 1))
        }
    }

    private func activate() {
        switch focus {
        case .picker:
            guard let entry = browser.selected else { return }
            switch entry.kind {
            case .parent: browser.goUp()
            case .folder: browser.open(folder: entry.url)
            case .image: openPhoto(entry.url)
            }
        case .gallery:
            toggleGalleryItem(gallery.cursor)
        case .controls:
            let rows = controlRows
            guard rows.indices.contains(controlCursor) else { return }
            let row = rows[controlCursor]
            if row == .mask {
                prompt = Prompt(.maskPath, question: "Mask image (white = inside):", text: lastMaskImage ?? "")
            } else if !row.isSlider {
                step(1, large: false)
            }
        }
    }

    /// Makes `url` the content photo; a file that cannot be decoded is reported by the render.
    func openPhoto(_ url: URL) {
        let path = url.standardizedFileURL.path
        guard path != session.contentPath else {
            say("\(url.lastPathComponent) is already open")
            return
        }
        if apply(.setContent(path: path)) {
            mode = .stylized
            say("opened \(url.lastPathComponent)" + (session.activeBlend.isEmpty ? ": press 1-9 to apply a style" : ""))
        }
    }

    private func useAsMask() {
        guard let entry = browser.selected, entry.kind == .image else {
            say("choose an image file to use as the mask", .warning)
            return
        }
        setMaskImage(entry.url.standardizedFileURL.path)
    }

    func setMaskImage(_ path: String) {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : launchFolder.appendingPathComponent(expanded).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute) else {
            say("\((absolute as NSString).lastPathComponent): no such file (check the path)", .error)
            return
        }
        lastMaskImage = absolute
        if apply(.setMask(.image(path: absolute))) {
            say("mask: \((absolute as NSString).lastPathComponent) (white = inside); set each region's style on the Inside/Outside rows")
        }
    }

    func toggleGalleryItem(_ item: Int) {
        guard gallery.items.indices.contains(item) else {
            say(gallery.items.isEmpty ? "no styles found: add images to a styles folder or use --styles DIR"
                : "there is no style \(item + 1): the gallery has \(gallery.items.count)", .warning)
            return
        }
        guard let command = gallery.toggleCommand(item: item, in: session) else { return }
        if apply(command) {
            gallery.cursor = item
            let on = gallery.sessionIndex(of: item, in: session).map { session.styles[$0].active } ?? false
            say("\(gallery.items[item].name) \(on ? "on" : "off")")
            if mode == .compare { mode = .stylized }
        }
    }

    private func undo() {
        if !studio.undo() { say("nothing to undo") }
        afterHistoryMove()
    }

    private func redo() {
        if !studio.redo() { say("nothing to redo") }
        afterHistoryMove()
    }

    /// Undo and redo move between pictures only: the preview size and theme are display
    /// settings the history keeps as they are.
    private func afterHistoryMove() {
        trace?.note("submit \(studio.previewGeneration)")
        controlCursor = min(controlCursor, max(0, controlRows.count - 1))
    }

    private func handleHelp(_ key: KeyEvent) {
        switch keyMap.action(for: key, focus: focus) {
        case .cursorDown?: helpScroll += 1
        case .cursorUp?: helpScroll = max(0, helpScroll - 1)
        case .cursorTop?: helpScroll = 0
        default:
            if key == .pageDown || key == .character(" ") { helpScroll += 10; return }
            if key == .pageUp { helpScroll = max(0, helpScroll - 10); return }
            helpVisible = false
            needsRepaint = true
        }
    }

    private func handleMouse(_ event: MouseEvent) {
        guard prompt == nil else { return }
        if helpVisible {
            helpVisible = false
            needsRepaint = true
            return
        }
        guard let layout, let pane = layout.pane(at: event.row, column: event.column) else { return }
        focus = pane
        switch event.button {
        case .scrollUp: moveCursor(by: -3)
        case .scrollDown: moveCursor(by: 3)
        case .left:
            let row = event.row - layout.rect(of: pane).row - 1 + (scroll[pane] ?? 0)
            let current: Int
            switch pane {
            case .picker: current = browser.cursor
            case .gallery: current = gallery.cursor
            case .controls: current = controlCursor
            }
            guard row >= 0 else { return }
            if pane == .controls, let columns = gaugeColumns, columns.contains(event.column),
               controlRows.indices.contains(row), let command = controlRows[row].command(
                   settingFraction: Float(event.column - columns.lowerBound) / Float(max(1, columns.count - 1)), session: session) {
                moveCursor(by: row - current)
                apply(command)
                return
            }
            if row == current {
                activate()
            } else {
                moveCursor(by: row - current)
            }
        case .middle, .right:
            break
        }
    }
}
