import Engine
import Foundation
import Imaging
import Terminal

/// The help overlay, generated from the key map; j/k scroll it, any other key closes it.
extension Workstation {
    func drawHelp(on canvas: Canvas, in area: CellRect) {
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

    func handleHelp(_ key: KeyEvent) {
        switch keyMap.action(for: key, focus: focus) {
        case .cursorDown?: helpScroll += 1
        case .cursorUp?: helpScroll = max(0, helpScroll - 1)
        case .cursorTop?: helpScroll = 0
        case .redraw?: needsRepaint = true
        default:
            if key == .pageDown || key == .character(" ") { helpScroll += 10; return }
            if key == .pageUp { helpScroll = max(0, helpScroll - 10); return }
            helpVisible = false
            needsRepaint = true
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
        lines.append(("", .text))
        lines.append(("Mouse, prompts, lists", CellStyle(.title, bold: true)))
        for line in ["click a row to select it, again to open or toggle it; click a gauge to set it; the wheel scrolls",
                     "in a prompt: Ctrl-U clears the answer, Esc cancels, Enter answers",
                     "n/N at a list's lower edge: the cursor's row and the number of rows"] {
            lines.append(("  " + line, .text))
        }
        return lines
    }
}
