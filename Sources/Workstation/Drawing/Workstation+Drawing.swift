import Engine
import Foundation
import Imaging
import Terminal

extension Workstation {
    /// Draws the whole frame on `canvas` and returns the pictures to draw into the preview
    /// (none while an overlay covers it or the screen is too small).
    @discardableResult
    public func draw(on canvas: Canvas) -> [PreviewPicture] {
        canvas.clear()
        let natural: [PaneID: Int] = [.picker: browser.entries.count + 2, .gallery: max(gallery.items.count, 1) + 2,
                                      .controls: controlRows.count + 2]
        guard let layout = ScreenLayout.compute(size: canvas.size, natural: natural, focus: focus) else {
            self.layout = nil
            tooSmall = true
            drawTooSmall(on: canvas)
            return []
        }
        self.layout = layout
        tooSmall = false
        drawPhotosPane(on: canvas, in: layout.picker)
        drawStylesPane(on: canvas, in: layout.gallery)
        drawControlsPane(on: canvas, in: layout.controls)
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
    func drawList(on canvas: Canvas, in rect: CellRect, pane: PaneID, count: Int, cursor: Int,
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

}
