import Engine
import Foundation
import Imaging
import Terminal

/// The status bar: what the preview shows, cache use, export progress, then the message or prompt.
/// A result or problem too long for its row (an export's folder, an error) takes the row above as
/// well, until the next key; a long hint is cut.
extension Workstation {
    func drawStatus(on canvas: Canvas, in rect: CellRect) {
        canvas.fill(rect, style: .statusBar, character: " ")
        let width = rect.columns - 2
        if prompt == nil, let message, message.tone != .info, rect.rows >= 2, TerminalText.width(message.text) > width {
            let lines = TerminalText.wrapped(message.text, toWidth: width)
            let last = lines.dropFirst().joined(separator: " ")
            canvas.text(lines.first ?? "", row: rect.row, column: rect.column + 1, style: message.tone.style, maxWidth: width)
            canvas.text(TerminalText.truncated(last, toWidth: width), row: rect.row + 1, column: rect.column + 1,
                        style: message.tone.style, maxWidth: width)
            messageTookStatusRow = true
            return
        }
        messageTookStatusRow = false
        drawFigures(on: canvas, row: rect.row, from: rect.column + 1, to: rect.column + rect.columns - 1)
        drawMessageLine(on: canvas, row: rect.row + 1, column: rect.column + 1, width: width)
    }

    /// The first row: the render (cut first when room is short), then the cache figure and the
    /// export's progress, which always keep their room.
    private func drawFigures(on canvas: Canvas, row: Int, from start: Int, to end: Int) {
        let separator = canvas.unicode ? " │ " : " | "
        let cache = studio.cacheStatus
        let used = cache.features.usedBytes + cache.images.usedBytes
        let capacity = cache.features.capacityBytes + cache.images.capacityBytes
        let cacheText = "cache \(used >> 20)/\(capacity >> 20) MB"
        let job = exportJob.flatMap { $0.state == .running ? $0 : nil }
        let gaugeWidth = job == nil ? 0 : (end - start >= 80 ? 20 : (end - start >= 64 ? 8 : 0))
        let cancelHint = " \(keyMap.label(for: .cancelExport)) cancels"
        let exportText = job.map { "export \(percent($0.progress)) " } ?? ""
        var rightWidth = TerminalText.width(separator + cacheText)
        if job != nil { rightWidth += TerminalText.width(separator + exportText + cancelHint) + gaugeWidth }
        let leftEnd = max(start, end - rightWidth)
        var column = start
        func put(_ text: String, _ style: CellStyle = .statusBar, until limit: Int) {
            guard column < limit else { return }
            column += canvas.text(text, row: row, column: column, style: style, maxWidth: limit - column)
        }
        if let problem = modelProblem {
            put(problem, StatusMessage.Tone.warning.style, until: leftEnd)
            put(separator, until: leftEnd)
        }
        if let progress = detailProgress {
            // The 1:1 view's export-resolution render: first, so a narrow bar keeps it.
            put("1:1 \(percent(progress))", CellStyle(.accent, on: .statusBar, bold: true), until: leftEnd)
            put(separator, until: leftEnd)
        }
        if let position = clipStatus ?? liveStatus {
            put(position, CellStyle(.accent, on: .statusBar, bold: true), until: leftEnd)
            put(separator, until: leftEnd)
        }
        put("render " + (preview.summary ?? "-"), until: leftEnd)
        if studio.isRendering {
            put(separator, until: leftEnd)
            put("rendering…", CellStyle(.accent, on: .statusBar, bold: true), until: leftEnd)
        }
        put(separator + cacheText, until: end)
        guard let job else { return }
        put(separator, until: end)
        put(exportText, CellStyle(.accent, on: .statusBar, bold: true), until: end)
        if gaugeWidth > 0 && column + gaugeWidth <= end {
            canvas.gauge(row: row, column: column, width: gaugeWidth, fraction: job.progress)
            column += gaugeWidth
        }
        put(cancelHint, .keyHint, until: end)
    }

    func drawMessageLine(on canvas: Canvas, row: Int, column: Int, width: Int) {
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

}
