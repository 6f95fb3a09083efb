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
        if messageTookStatusRow {
            // A long message was read: the status row's figures come back.
            message = nil
            messageTookStatusRow = false
        }
        if key == .ctrl("c") {
            // Before prompts: Ctrl-C answers the quit question too (a second one quits).
            interrupt()
            return
        }
        if prompt != nil {
            handlePrompt(key)
            return
        }
        if tooSmall {
            // Nothing is visible to act on: only quitting and redrawing work until the window grows.
            let action = keyMap.action(for: key, focus: focus)
            if action == .quit || action == .redraw || action == .interrupt { perform(action!, key: key) }
            return
        }
        if helpVisible {
            handleHelp(key)
            return
        }
        if mode == .detail, moveDetailPoint(for: key) { return }
        if key == .escape {
            if mode != .stylized { mode = .stylized } else { message = nil }
            return
        }
        guard let action = keyMap.action(for: key, focus: focus) else { return }
        perform(action, key: key)
    }

    /// Carries out `action` (`key` is the key that asked for it, for digit keys).
    public func perform(_ action: Action, key: KeyEvent? = nil) {
        if live != nil, let what = Self.stillPictureActions[action] {
            say("live: \(what) works on a photo or a clip's frame (e saves this frame; open it with atelier FILE)", .warning)
            return
        }
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
            if session.mask.hasRegions {
                if apply(.swapRegionBlends) { say("swapped: inside \(ControlRow.inside.value(in: session)), outside \(ControlRow.outside.value(in: session))") }
            } else { say("no mask: choose one on the Mask row first", .warning) }
        case .undo: undo()
        case .redo: redo()
        case .export: beginExport()
        case .cancelExport: cancelExport()
        case .polish: startPolish()
        case .saveSession: beginSave()
        case .cycleTheme:
            theme = themes.next(after: theme.id)
            if let themeFile { try? AtomicFile.write(Data((theme.id + "\n").utf8), to: themeFile) }
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
        case .detailView: toggleDetailView()
        case .rerender: studio.refresh()
        case .redraw: needsRepaint = true
        case .help:
            helpVisible = true
            helpScroll = 0
        case .previousFrame: moveInClip(by: -1)
        case .nextFrame: moveInClip(by: 1)
        case .secondBack: moveInClip(by: -clipFrames(seconds: 1))
        case .secondForward: moveInClip(by: clipFrames(seconds: 1))
        case .tenthBack: moveInClip(by: -max(1, (clips.clip?.probe.frameCount ?? 0) / 10))
        case .tenthForward: moveInClip(by: max(1, (clips.clip?.probe.frameCount ?? 0) / 10))
        case .firstFrame: moveInClip(to: 0)
        case .lastFrame: moveInClip(to: Int.max / 2)
        case .quit: requestQuit()
        case .interrupt: interrupt()
        }
    }

    /// Actions on one still picture, which a live source does not hold still for (named for the
    /// status bar's refusal).
    static let stillPictureActions: [Action: String] = [.compare: "compare", .detailView: "the 1:1 view", .polish: "polish",
                                                        .saveSession: "saving the session"]

    /// h/l/H/L: a slider step or the next choice (controls), a style's weight (gallery).
    private func step(_ direction: Int, large: Bool) {
        switch focus {
        case .picker: break
        case .controls: stepControl(direction, large: large)
        case .gallery: stepStyle(direction, large: large)
        }
    }

    /// Enter: what it means in the focused pane.
    func activate() {
        switch focus {
        case .picker: activatePhotos()
        case .gallery: toggleGalleryItem(gallery.cursor)
        case .controls: activateControl()
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

    /// u: one step back in the history, said in the status bar.
    private func undo() {
        if studio.undo() { say("undone (Ctrl-R redoes)") } else { say("nothing to undo") }
        afterHistoryMove()
    }

    private func redo() {
        if studio.redo() { say("redone") } else { say("nothing to redo") }
        afterHistoryMove()
    }

    private func afterHistoryMove() {
        trace?.note("submit \(studio.previewGeneration)")
        controlCursor = min(controlCursor, max(0, controlRows.count - 1))
    }

    private func handleMouse(_ event: MouseEvent) {
        guard prompt == nil else { return }
        if helpVisible {
            helpVisible = false
            needsRepaint = true
            return
        }
        if mode == .detail, centreDetail(at: event) { return }
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
            if pane == .controls, let columns = gaugeColumns, columns.contains(event.column), controlRows.indices.contains(row),
               controlRows[row].id == "weight", let note = ControlDescriptor.soleStyleNote(controlRows[row].index, in: session) {
                moveCursor(by: row - current)
                say(note, .warning)
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
