import Engine
import Foundation
import Imaging
import Terminal

/// The Photos pane: the folder's images, saved sessions and sub-folders; Enter opens (a session
/// is read off the interface's thread), m uses an image as the mask.
extension Workstation {
    func drawPhotosPane(on canvas: Canvas, in rect: CellRect) {
        let folderName = browser.folder.lastPathComponent.isEmpty ? "/" : PathBytes.shown(browser.folder.lastPathComponent)
        canvas.box(rect, title: "Photos · \(folderName)", focused: focus == .picker)
        let content = session.contentPath.map { URL(fileURLWithPath: $0).standardizedFileURL }
        if let problem = browser.problem {
            canvas.text(problem, row: rect.row + 1, column: rect.column + 1, style: .warning, maxWidth: rect.columns - 2)
            return
        }
        drawList(on: canvas, in: rect, pane: .picker, count: browser.entries.count, cursor: browser.cursor) { i in
            let entry = browser.entries[i]
            let current = entry.url.standardizedFileURL == content
                || (entry.kind == .video && clipFrame?.clip.path == entry.url.standardizedFileURL.path)
            let mark = current ? "● " : "  "
            let style: CellStyle = current ? CellStyle(.accent, bold: true) : entry.kind == .folder || entry.kind == .parent ? .dim : .text
            return (mark + entry.name, style)
        }
    }


    /// Enter on the Photos pane: opens the folder or the photo under the cursor.
    func activatePhotos() {
        guard let entry = browser.selected else { return }
        switch entry.kind {
        case .parent: browser.goUp()
        case .folder: browser.open(folder: entry.url)
        case .image: openPhoto(entry.url)
        case .session: openSession(entry.url)
        case .video: openClip(entry.url)
        }
    }

    /// Reads the session file at `url` off the interface's thread, then makes it the session
    /// (one undoable step); a file that cannot be read is said in the status bar.
    func openSession(_ url: URL) {
        say("opening \(url.lastPathComponent)…")
        reads.start({ try SessionStore.load(from: url) }) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let loaded):
                studio.replace(with: loaded)
                gallery.include(loaded)
                gallery.follow(loaded)
                sessionFile = url.standardizedFileURL
                settled = loaded
                mode = .stylized
                let photo = loaded.contentPath.map { ($0 as NSString).lastPathComponent } ?? "no photo"
                say("opened session \(url.lastPathComponent): \(photo), \(loaded.activeBlend.count) style(s) on (u undoes)", .success)
            case .failure(let error):
                say(Self.shortened("\(error)", folders: sessionFolders), .error)
            }
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
