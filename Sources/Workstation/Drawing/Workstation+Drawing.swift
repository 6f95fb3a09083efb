import Engine
import Foundation
import Imaging
import Terminal

/// A picture to draw into the preview pane after the text is on screen.
public struct PreviewSlot {
    /// The cells it goes in.
    public var rect: CellRect
    /// The picture.
    public var image: RGBImage
    /// Identifies the picture (a new id means new bytes must be encoded).
    public var id: String
}

extension Workstation {
    /// Draws the whole frame on `canvas` and returns the pictures to draw into the preview
    /// (none while an overlay covers it or the screen is too small).
    @discardableResult
    public func draw(on canvas: Canvas) -> [PreviewSlot] {
        canvas.clear()
        let natural: [PaneID: Int] = [.picker: browser.entries.count + 2, .gallery: max(gallery.items.count, 1) + 2,
                                      .controls: controlRows.count + 2]
        guard let layout = ScreenLayout.compute(size: canvas.size, natural: natural, focus: focus) else {
            self.layout = nil
            drawTooSmall(on: canvas)
            return []
        }
        self.layout = layout
        drawPicker(on: canvas, in: layout.picker)
        drawGallery(on: canvas, in: layout.gallery)
        drawControls(on: canvas, in: layout.controls)
        let slots = drawPreviewPane(on: canvas, in: layout.preview)
        drawStatus(on: canvas, in: layout.status)
        if helpVisible {
            drawHelp(on: canvas, in: CellRect(row: 0, column: 0, columns: canvas.size.columns, rows: layout.status.row))
            return []
        }
        return slots
    }

    private func drawTooSmall(on canvas: Canvas) {
        let lines = TooSmallNotice.lines(size: canvas.size, minimum: ScreenLayout.minimum)
        let top = max(0, (canvas.size.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let shown = TerminalText.truncated(line.text, toWidth: canvas.size.columns)
            canvas.text(shown, row: top + i, column: max(0, (canvas.size.columns - TerminalText.width(shown)) / 2),
                        style: line.style, maxWidth: nil)
        }
    }

    // MARK: Lists

    /// Draws `count` rows with `line(i)` in the interior of `rect`, scrolled to keep `cursor` in view.
    private func drawList(on canvas: Canvas, in rect: CellRect, pane: PaneID, count: Int, cursor: Int,
                          line: (Int) -> (text: String, style: CellStyle)) {
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        var top = scroll[pane] ?? 0
        if cursor < top { top = cursor }
        if cursor >= top + inner.rows { top = cursor - inner.rows + 1 }
        top = max(0, min(top, max(0, count - inner.rows)))
        scroll[pane] = top
        for r in 0..<inner.rows {
            let i = top + r
            guard i < count else { break }
            var (text, style) = line(i)
            if i == cursor {
                style = focus == pane ? .selection : CellStyle(.accent, bold: true)
            }
            let padded = TerminalText.padded(text, toWidth: inner.columns)
            canvas.text(padded, row: inner.row + r, column: inner.column, style: style, maxWidth: inner.columns)
        }
        if count > inner.rows && inner.rows >= 3 {
            let marker = "\(cursor + 1)/\(count)"
            canvas.text(" \(marker) ", row: rect.row + rect.rows - 1, column: rect.column + rect.columns - marker.count - 4,
                        style: .dim, maxWidth: nil)
        }
    }

    private func drawPicker(on canvas: Canvas, in rect: CellRect) {
        let folderName = browser.folder.lastPathComponent.isEmpty ? "/" : browser.folder.lastPathComponent
        canvas.box(rect, title: "Photos · \(folderName)", focused: focus == .picker)
        let content = session.contentPath.map { URL(fileURLWithPath: $0).standardizedFileURL }
        if let problem = browser.problem {
            canvas.text(problem, row: rect.row + 1, column: rect.column + 1, style: .warning, maxWidth: rect.columns - 2)
            return
        }
        drawList(on: canvas, in: rect, pane: .picker, count: browser.entries.count, cursor: browser.cursor) { i in
            let entry = browser.entries[i]
            let current = entry.url.standardizedFileURL == content
            let mark = current ? "● " : "  "
            return (mark + entry.name, current ? CellStyle(.accent, bold: true) : entry.kind == .image ? .text : .dim)
        }
    }

    private func drawGallery(on canvas: Canvas, in rect: CellRect) {
        gallery.follow(session)   // undo, redo or a loaded session may have changed the family
        let current = self.session
        let on = current.styles.indices.filter { current.styles[$0].active && current.styleFits($0) }.count
        canvas.box(rect, title: "Styles · \(on) on", focused: focus == .gallery)
        guard !gallery.items.isEmpty else {
            canvas.text("no styles: use --styles DIR", row: rect.row + 1, column: rect.column + 1, style: .dim,
                        maxWidth: rect.columns - 2)
            return
        }
        let inner = rect.columns - 2
        let session = self.session
        drawList(on: canvas, in: rect, pane: .gallery, count: gallery.items.count, cursor: gallery.cursor) { i in
            let index = gallery.sessionIndex(of: i, in: session)
            let active = index.map { session.styles[$0].active } ?? false
            let digit = i < 9 ? "\(i + 1)" : " "
            let box = active ? (canvas.unicode ? "■" : "x") : (canvas.unicode ? "□" : " ")
            let weight = index.map { ControlRow.number(session.styles[$0].weight) } ?? ""
            let name = TerminalText.truncated(gallery.items[i].name, toWidth: max(1, inner - 5 - weight.count - 1))
            let left = "\(digit) \(box) \(name)"
            let gap = max(1, inner - TerminalText.width(left) - weight.count)
            return (left + String(repeating: " ", count: gap) + weight, active ? .text : .dim)
        }
    }

    private func drawControls(on canvas: Canvas, in rect: CellRect) {
        canvas.box(rect, title: "Controls", focused: focus == .controls)
        let session = self.session
        let rows = controlRows
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        if inner.rows == 1 && focus != .controls {
            let summary = "α \(ControlRow.alpha.value(in: session)) · \(ControlRow.transform.value(in: session)) · "
                + "\(session.quality.rawValue) · mask \(ControlRow.mask.value(in: session))"
            canvas.text(summary, row: inner.row, column: inner.column, style: .dim, maxWidth: inner.columns)
            return
        }
        let labelWidth = min(11, max(6, inner.columns / 3))
        let gaugeWidth = inner.columns - labelWidth - 1 - 6
        drawList(on: canvas, in: rect, pane: .controls, count: rows.count, cursor: controlCursor) { i in
            let row = rows[i]
            let label = TerminalText.padded(row.label(in: session), toWidth: labelWidth)
            let value = row.value(in: session)
            if row.isSlider { return (label + " " + String(repeating: " ", count: max(0, gaugeWidth)) + " " + value, .text) }
            return (label + " ‹ " + value + " ›", .text)
        }
        // Gauges go over the blank middle of the slider rows.
        let top = scroll[.controls] ?? 0
        guard gaugeWidth >= 3 else { return }
        gaugeColumns = (inner.column + labelWidth + 1)..<(inner.column + labelWidth + 1 + gaugeWidth)
        for r in 0..<inner.rows {
            let i = top + r
            guard i < rows.count, let fraction = rows[i].fraction(in: session) else { continue }
            canvas.gauge(row: inner.row + r, column: inner.column + labelWidth + 1, width: gaugeWidth, fraction: fraction)
        }
    }

    // MARK: Preview

    private func drawPreviewPane(on canvas: Canvas, in rect: CellRect) -> [PreviewSlot] {
        let pictures = previewPictures
        var title = "Preview"
        switch mode {
        case .stylized: title += pictures.first.map { " · \($0.caption)" } ?? ""
        case .before: title += " · before (b: after)"
        case .compare: title += " · previous | latest (c: back)"
        }
        canvas.box(rect, title: title, focused: false)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return [] }
        canvas.fill(inner, style: .text, character: " ")
        guard !pictures.isEmpty else {
            let hint: String
            if session.contentPath == nil {
                hint = "Pick a photo in the Photos pane (Enter)"
            } else if mode == .compare {
                hint = "Nothing to compare yet"
            } else {
                hint = studio.isRendering ? "Rendering…" : (preview.failure ?? "Loading…")
            }
            let shown = TerminalText.truncated(hint, toWidth: inner.columns)
            canvas.text(shown, row: inner.row + inner.rows / 2, column: inner.column + max(0, (inner.columns - TerminalText.width(shown)) / 2),
                        style: .dim, maxWidth: inner.columns)
            return []
        }
        if pictures.count == 1 {
            return [PreviewSlot(rect: inner, image: pictures[0].image, id: pictures[0].id)]
        }
        let half = (inner.columns - 1) / 2
        let left = CellRect(row: inner.row, column: inner.column, columns: half, rows: inner.rows)
        let right = CellRect(row: inner.row, column: inner.column + inner.columns - half, columns: half, rows: inner.rows)
        return [PreviewSlot(rect: left, image: pictures[0].image, id: pictures[0].id),
                PreviewSlot(rect: right, image: pictures[1].image, id: pictures[1].id)]
    }

    // MARK: Status bar

    private func drawStatus(on canvas: Canvas, in rect: CellRect) {
        canvas.fill(rect, style: .statusBar, character: " ")
        var column = rect.column + 1
        let end = rect.column + rect.columns - 1
        func put(_ text: String, _ style: CellStyle = .statusBar) {
            guard column < end else { return }
            column += canvas.text(text, row: rect.row, column: column, style: style, maxWidth: end - column)
        }
        let separator = canvas.unicode ? " │ " : " | "
        if let problem = modelProblem {
            put(problem, StatusMessage.Tone.warning.style)
            put(separator)
        }
        if let summary = preview.summary {
            put("preview " + summary)
        } else {
            put("preview -")
        }
        if studio.isRendering { put(separator); put("rendering…", CellStyle(.accent, on: .statusBar, bold: true)) }
        let cache = studio.cacheStatus
        let used = cache.features.usedBytes + cache.images.usedBytes
        let capacity = cache.features.capacityBytes + cache.images.capacityBytes
        put(separator)
        put("cache \(used >> 20)/\(capacity >> 20) MB")
        if let job = exportJob, job.state == .running {
            put(separator)
            put("export \(percent(job.progress)) ", CellStyle(.accent, on: .statusBar, bold: true))
            let width = min(20, max(0, end - column - 12))
            if width >= 4 {
                canvas.gauge(row: rect.row, column: column, width: width, fraction: job.progress)
                column += width
            }
            put(" \(keyMap.label(for: .cancelExport)) cancels", .keyHint)
        }
        drawMessageLine(on: canvas, row: rect.row + 1, column: rect.column + 1, width: rect.columns - 2)
    }

    private func drawMessageLine(on canvas: Canvas, row: Int, column: Int, width: Int) {
        if let prompt {
            let question = prompt.question + " "
            let used = canvas.text(question, row: row, column: column, style: CellStyle(.accent, on: .statusBar, bold: true),
                                   maxWidth: width)
            if !prompt.isYesNo {
                let room = max(1, width - used - 1)
                let text = prompt.text.count > room ? String(prompt.text.suffix(room)) : prompt.text
                let typed = canvas.text(text, row: row, column: column + used, style: .statusBar, maxWidth: room)
                canvas.text(canvas.unicode ? "▏" : "_", row: row, column: column + used + typed, style: .keyHint, maxWidth: 1)
            }
            return
        }
        if let message {
            canvas.text(message.text, row: row, column: column, style: message.tone.style, maxWidth: width)
            return
        }
        let hints: [(Action, String)] = [(.help, "help"), (.nextPane, "panes"), (.toggleStyleNumber, "styles"),
                                         (.undo, "undo"), (.export, "export"), (.saveSession, "save"), (.quit, "quit")]
        var col = column
        for (action, word) in hints where col < column + width {
            let key = action == .toggleStyleNumber ? "1-9" : keyMap.label(for: action)
            col += canvas.text(key, row: row, column: col, style: .keyHint, maxWidth: column + width - col)
            col += canvas.text(" \(word)  ", row: row, column: col, style: .statusBar, maxWidth: column + width - col)
        }
    }

    // MARK: Help

    private func drawHelp(on canvas: Canvas, in area: CellRect) {
        let width = min(area.columns - 2, 96), height = area.rows - 2
        let rect = CellRect(row: area.row + 1, column: area.column + (area.columns - width) / 2, columns: width, rows: height)
        canvas.fill(rect, style: .text, character: " ")
        canvas.box(rect, title: "Keys · j/k scroll · any other key closes", focused: true)
        let inner = rect.inset(by: 1)
        let lines = keyMap.helpLines
        helpScroll = min(helpScroll, max(0, lines.count - inner.rows))
        for r in 0..<inner.rows {
            let i = helpScroll + r
            guard i < lines.count else { break }
            canvas.text(" " + lines[i].text, row: inner.row + r, column: inner.column, style: lines[i].style, maxWidth: inner.columns)
        }
    }
}

extension KeyMap {
    /// The help overlay's lines, generated from the key map.
    public var helpLines: [(text: String, style: CellStyle)] {
        var lines: [(String, CellStyle)] = []
        let keyWidth = bindings.map { TerminalText.width($0.keyLabel) }.max() ?? 10
        for section in sections {
            if !lines.isEmpty { lines.append(("", .text)) }
            lines.append((section.scope.heading, CellStyle(.title, bold: true)))
            for binding in section.bindings {
                lines.append(("  " + TerminalText.padded(binding.keyLabel, toWidth: keyWidth) + "  " + binding.description, .text))
            }
        }
        return lines
    }
}
