import Engine
import Foundation
import Imaging
import Terminal

/// The Controls pane: one row per `ControlDescriptor` (sliders and choices).
extension Workstation {
    func drawControlsPane(on canvas: Canvas, in rect: CellRect) {
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


    /// h/l/H/L on the Controls pane: a slider step or the next choice.
    func stepControl(_ direction: Int, large: Bool) {
        let rows = controlRows
        guard rows.indices.contains(controlCursor) else { return }
        let row = rows[controlCursor]
        if let command = row.command(direction: direction, large: large, session: session, maskImage: lastMaskImage) {
            if apply(command) { sayValue(of: row) }
        } else if row.id == "weight", let note = ControlDescriptor.soleStyleNote(row.index, in: session) {
            say(note, .warning)
        }
        keepControlCursor(on: row, previous: rows)
    }

    /// Says a row's new value in the status bar ("Alpha 0.85").
    func sayValue(of row: ControlRow) {
        guard controlRows.contains(row) else { return }
        let label = row.label(in: session).replacingOccurrences(of: "· ", with: "")
        say("\(label) \(row.value(in: session))")
    }

    /// Enter on the Controls pane: the mask row asks for a mask image, choices move on.
    func activateControl() {
        let rows = controlRows
        guard rows.indices.contains(controlCursor) else { return }
        let row = rows[controlCursor]
        if row == .mask {
            let last = lastMaskImage.map { " (Enter: \(($0 as NSString).lastPathComponent))" } ?? ""
            prompt = Prompt(.maskPath, question: "Mask image, white = inside\(last):")
        } else if !row.isSlider {
            stepControl(1, large: false)
        }
    }

    func keepControlCursor(on row: ControlRow, previous: [ControlRow]) {
        let rows = controlRows
        if let i = rows.firstIndex(of: row) {
            controlCursor = i
        } else {
            controlCursor = min(controlCursor, max(0, rows.count - 1))
        }
    }


    func setMaskImage(_ path: String) {
        let expanded = (path as NSString).expandingTildeInPath
        let absolute = expanded.hasPrefix("/") ? expanded : launchFolder.appendingPathComponent(expanded).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute) else {
            let folder = launchFolder.standardizedFileURL.path + "/"
            let shown = absolute.hasPrefix(folder) ? String(absolute.dropFirst(folder.count)) : absolute
            say("\(shown): no such file (give a path from \(launchFolder.lastPathComponent)/ or an absolute one)", .error)
            return
        }
        lastMaskImage = absolute
        if apply(.setMask(.image(path: absolute))) {
            say("mask: \((absolute as NSString).lastPathComponent) (white = inside); set each region's style on the Inside/Outside rows")
        }
    }

}
