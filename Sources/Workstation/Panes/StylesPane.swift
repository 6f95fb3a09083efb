import Engine
import Foundation
import Imaging
import Terminal

/// The Styles pane: the gallery's paintings with their shares of the blend; Enter/Space/1-9 turn them on and off.
extension Workstation {
    func drawStylesPane(on canvas: Canvas, in rect: CellRect) {
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
        // Built-in styles have no painting to name them: each row shows a swatch of its look.
        let swatchWidth = gallery.builtinCount != nil && inner >= 16 ? StyleSwatches.cells + 1 : 0
        if let count = gallery.builtinCount, swatchWidth > 0 {
            let family = session.family, studio = self.studio
            swatches.request(family: family, count: count) { try studio.loadedFamily(family) }
        }
        drawList(on: canvas, in: rect, pane: .gallery, count: gallery.items.count, cursor: gallery.cursor) { i in
            let index = gallery.sessionIndex(of: i, in: session)
            let active = index.map { session.styles[$0].active } ?? false
            let digit = i < 9 ? "\(i + 1)" : " "
            let box = active ? (canvas.unicode ? "■" : "x") : (canvas.unicode ? "□" : " ")
            // Weights are shares of the blend: each style on shows its share ("60%").
            let weight = active ? index.map { ControlDescriptor.share(of: $0, in: session) } ?? "" : ""
            let name = TerminalText.truncated(gallery.items[i].name, toWidth: max(1, inner - 5 - swatchWidth - weight.count - 1))
            let left = "\(digit) \(box) " + String(repeating: " ", count: swatchWidth) + name
            let gap = max(1, inner - TerminalText.width(left) - weight.count)
            return (left + String(repeating: " ", count: gap) + weight, active ? .text : .dim)
        }
        if swatchWidth > 0 { drawSwatches(on: canvas, in: rect) }
    }

    /// The swatch of each visible built-in, over the blank cells its row keeps for it.
    private func drawSwatches(on canvas: Canvas, in rect: CellRect) {
        let inner = rect.inset(by: 1), top = scroll[.gallery] ?? 0
        for r in 0..<inner.rows where top + r < gallery.items.count {
            guard let index = StyleChoice(path: gallery.items[top + r].path).builtinIndex,
                  let swatch = swatches.swatch(family: session.family, index: index) else { continue }
            canvas.colorCells(swatch, row: inner.row + r, column: inner.column + 4)
        }
    }


    /// h/l/H/L on the Styles pane: less or more of the style under the cursor.
    func stepStyle(_ direction: Int, large: Bool) {
        guard let index = gallery.sessionIndex(of: gallery.cursor, in: session), session.styles[index].active else {
            say("this style is off: press Space or Enter to use it", .warning)
            return
        }
        let row = ControlRow.weight(index)
        if let command = row.command(direction: direction, large: large, session: session, maskImage: nil) {
            if apply(command) { sayValue(of: row) }
        } else if let note = ControlDescriptor.soleStyleNote(index, in: session) {
            say(note, .warning)
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

}
