import Engine
import Foundation
import Imaging
import Terminal

/// The Preview pane: the stylized picture, the photo before styling, or the last two renders.
extension Workstation {
    /// The picture(s) the preview pane shows now, left to right, each with a caption.
    public var previewPictures: [(image: RGBImage, caption: String, id: String)] {
        switch mode {
        case .compare:
            guard let left = preview.previousFull, let right = preview.latestFull else { return [] }
            return [(left.image, "previous", "g\(left.generation)"), (right.image, "latest", "g\(right.generation)")]
        case .before:
            if let live = livePicture { return [live] }
            return photo.map { [($0.image, "before", $0.id)] } ?? []
        case .detail:
            return []  // drawn by drawDetail
        case .stylized:
            if let live = livePicture { return [live] }
            if preview.failure != nil, !session.activeBlend.isEmpty {
                // The newest render failed: the old picture is not "after" any more.
                return photo.map { [($0.image, "photo: not rendered (see the status bar)", $0.id)] } ?? []
            }
            if !policy.showsQuickPasses, let shown = preview.shown, shown.kind == .quick, let full = preview.latestFull,
               !session.activeBlend.isEmpty {
                return [(full.image, "after", "g\(full.generation)\(full.kind.rawValue)")]
            }
            if let shown = preview.shown, !session.activeBlend.isEmpty {
                return [(shown.image, "after", "g\(shown.generation)\(shown.kind.rawValue)")]
            }
            return photo.map { [($0.image, session.activeBlend.isEmpty ? "photo (1-9: add a style)" : "photo", $0.id)] } ?? []
        }
    }

    /// The unstyled photo at the preview's size, when loaded (loading starts if needed).
    var photo: (image: RGBImage, id: String)? {
        guard let path = session.contentPath else { return nil }
        let size = studio.previewBox.size
        return photoLoader.image(path: path, box: size).map { ($0, "p\(path)@\(size.width)x\(size.height)") }
    }
    func drawPreviewPane(on canvas: Canvas, in rect: CellRect) -> [PreviewPicture] {
        if mode == .detail {
            let inner = rect.inset(by: 1)
            canvas.box(rect, title: "Preview", focused: false)
            guard !inner.isEmpty else { return [] }
            canvas.fill(inner, style: .text, character: " ")
            let (title, picture) = drawDetail(on: canvas, in: inner)
            canvas.box(rect, title: title, focused: false)
            return picture.map { [$0] } ?? []
        }
        let pictures = previewPictures
        var title = "Preview"
        switch mode {
        case .stylized: title += pictures.first.map { " · \($0.caption)" } ?? ""
        case .before: title += " · before (b: after)"
        case .compare: title += " · previous | latest (c: back)"
        case .detail: break
        }
        canvas.box(rect, title: title, focused: false)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return [] }
        canvas.fill(inner, style: .text, character: " ")
        guard !pictures.isEmpty else {
            let hint: String
            if live != nil {
                hint = "Waiting for the first frame…"
            } else if session.contentPath == nil {
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
            return [PreviewPicture(rect: inner, image: pictures[0].image, id: pictures[0].id)]
        }
        let half = (inner.columns - 1) / 2
        let left = CellRect(row: inner.row, column: inner.column, columns: half, rows: inner.rows)
        let right = CellRect(row: inner.row, column: inner.column + inner.columns - half, columns: half, rows: inner.rows)
        return [PreviewPicture(rect: left, image: pictures[0].image, id: pictures[0].id),
                PreviewPicture(rect: right, image: pictures[1].image, id: pictures[1].id)]
    }

}
