import Engine
import Foundation
import Imaging
import Terminal

/// The status bar: what the preview shows, cache use, export progress, then the message or prompt.
extension Workstation {
    func drawStatus(on canvas: Canvas, in rect: CellRect) {
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
            put("render " + summary)
        } else {
            put("render -")
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
