import Engine
import Foundation
import Imaging
import Terminal

/// The Photos pane: the folder's images and sub-folders; Enter opens, m uses one as the mask.
extension Workstation {
    func drawPhotosPane(on canvas: Canvas, in rect: CellRect) {
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


    /// Enter on the Photos pane: opens the folder or the photo under the cursor.
    func activatePhotos() {
        guard let entry = browser.selected else { return }
        switch entry.kind {
        case .parent: browser.goUp()
        case .folder: browser.open(folder: entry.url)
        case .image: openPhoto(entry.url)
        }
    }

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


    func useAsMask() {
        guard let entry = browser.selected, entry.kind == .image else {
            say("choose an image file to use as the mask", .warning)
            return
        }
        setMaskImage(entry.url.standardizedFileURL.path)
    }

}
