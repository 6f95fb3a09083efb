import Engine
import Foundation
import Imaging
import Terminal

/// The 1:1 view (z): a window of the export-resolution render, one picture pixel per display
/// pixel, around a point moved with the arrows, hjkl or a click. The engine renders the whole
/// picture once per look (`Studio.renderDetail`); any change of settings cancels that render and
/// starts the next; panning only cuts another window.
extension Workstation {
    /// What the 1:1 view renders now: the session at the size of the last export asked for
    /// (full resolution until one is).
    public var detailRequest: DetailRequest {
        DetailRequest(session: session, longerSide: detail.exportSize.longerSide, upscaleFactor: detail.exportSize.upscale)
    }

    /// The 1:1 render's progress while it runs (nil otherwise), for the status bar.
    var detailProgress: Double? {
        guard let render = detail.render, render.isRendering else { return nil }
        return render.progress
    }

    /// z: shows or leaves the 1:1 view.
    func toggleDetailView() {
        if mode == .detail {
            mode = .stylized
            return
        }
        guard session.contentPath != nil else {
            say("open a photo first (Photos pane, Enter)", .warning)
            return
        }
        guard !session.activeBlend.isEmpty else {
            say("turn on a style first (1-9): the 1:1 view shows the export", .warning)
            return
        }
        mode = .detail
        syncDetail()
        if detail.render?.isRendering == true {
            say("1:1 view: rendering the export (\(detailRequest.sizeDescription))…")
        }
    }

    /// Starts the render the view needs, cancels one whose settings are out of date, and tells
    /// whether what the view shows changed since the last call (state or percent). Called with
    /// every poll of the engine.
    @discardableResult
    func syncDetail() -> Bool {
        let wanted = detailRequest
        if let render = detail.render, render.request != wanted {
            // The settings changed: that picture is not what would be exported any more.
            render.cancel()
            detail.render = nil
            detail.window = nil
        }
        if mode == .detail, detail.render == nil, session.contentPath != nil, !session.activeBlend.isEmpty {
            detail.render = studio.renderDetail(wanted)
        }
        let shown: String
        switch detail.render?.state {
        case nil: shown = "none"
        case .rendering?: shown = "rendering \(Int(detail.render!.progress * 100))"
        case .ready(let image)?:
            shown = "ready"
            if detail.shownState != shown, mode == .detail {
                say("1:1: \(image.width)x\(image.height) as exported · arrows/hjkl move · \(keyMap.label(for: .detailView)) or Esc leaves")
            }
        case .failed(let text)?:
            shown = "failed"
            if detail.shownState != shown, mode == .detail { say("1:1 view: " + Self.shortened(text, folders: sessionFolders), .error) }
        case .cancelled?: shown = "cancelled"
        }
        defer { detail.shownState = shown }
        return shown != detail.shownState
    }

    /// The window's size in picture pixels for the pane interior `inner`.
    func detailWindowSize(_ inner: CellRect) -> (width: Int, height: Int) {
        (max(1, inner.columns * detail.samplesPerCell.x), max(1, inner.rows * detail.samplesPerCell.y))
    }

    /// The point the window is centred on, in pixels of `image`, clamped so the window stays inside.
    func detailCentre(in image: DetailImage, window: (width: Int, height: Int)) -> (x: Int, y: Int) {
        let fraction = detail.centre ?? (0.5, 0.5)
        return image.clampedCentre(x: Int(fraction.x * Double(image.width)), y: Int(fraction.y * Double(image.height)),
                                   windowWidth: window.width, windowHeight: window.height)
    }

    /// Moves the point to (`x`, `y`) pixels of `image` (clamped).
    private func setDetailCentre(_ x: Int, _ y: Int, in image: DetailImage, window: (width: Int, height: Int)) {
        let c = image.clampedCentre(x: x, y: y, windowWidth: window.width, windowHeight: window.height)
        detail.centre = ((Double(c.x) + 0.5) / Double(image.width), (Double(c.y) + 0.5) / Double(image.height))
    }

    /// The picture and the window size the view shows now, if the render is ready.
    private var shownDetail: (image: DetailImage, window: (width: Int, height: Int), inner: CellRect)? {
        guard let layout, let image = detail.image(for: detailRequest) else { return nil }
        let inner = layout.preview.inset(by: 1)
        return (image, detailWindowSize(inner), inner)
    }

    /// Arrows and hjkl move the point a quarter of the window, Shift (H J K L, Shift-arrows) a
    /// whole window; returns whether `key` was one of them.
    func moveDetailPoint(for key: KeyEvent) -> Bool {
        let steps: [KeyEvent: (Int, Int, Bool)] = [
            .left: (-1, 0, false), .right: (1, 0, false), .up: (0, -1, false), .down: (0, 1, false),
            .character("h"): (-1, 0, false), .character("l"): (1, 0, false),
            .character("k"): (0, -1, false), .character("j"): (0, 1, false),
            .character("H"): (-1, 0, true), .character("L"): (1, 0, true),
            .character("K"): (0, -1, true), .character("J"): (0, 1, true),
            .shiftLeft: (-1, 0, true), .shiftRight: (1, 0, true),
        ]
        guard let (dx, dy, large) = steps[key] else { return false }
        guard let shown = shownDetail else { return true }  // nothing to move over yet
        let window = shown.window
        let stepX = large ? window.width : max(1, window.width / 4)
        let stepY = large ? window.height : max(1, window.height / 4)
        let now = detailCentre(in: shown.image, window: window)
        setDetailCentre(now.x + dx * stepX, now.y + dy * stepY, in: shown.image, window: window)
        return true
    }

    /// A left click in the preview centres the window on the pixel clicked; returns whether the
    /// click was the view's.
    func centreDetail(at event: MouseEvent) -> Bool {
        guard event.button == .left, let shown = shownDetail else { return false }
        let inner = shown.inner
        guard event.row >= inner.row, event.row < inner.row + inner.rows,
              event.column >= inner.column, event.column < inner.column + inner.columns else { return false }
        let now = detailCentre(in: shown.image, window: shown.window)
        let left = now.x - shown.window.width / 2, top = now.y - shown.window.height / 2
        let sx = detail.samplesPerCell.x, sy = detail.samplesPerCell.y
        setDetailCentre(left + (event.column - inner.column) * sx + sx / 2, top + (event.row - inner.row) * sy + sy / 2,
                        in: shown.image, window: shown.window)
        return true
    }

    /// Draws the 1:1 view into the preview's interior `inner` (the box and title are drawn by
    /// the pane): the window when the render is ready, else what it is waiting for. Returns the
    /// pane's title and the picture to show.
    func drawDetail(on canvas: Canvas, in inner: CellRect) -> (title: String, picture: PreviewPicture?) {
        let request = detailRequest
        let leave = keyMap.label(for: .detailView)
        if let image = detail.image(for: request) {
            let window = detailWindowSize(inner)
            let c = detailCentre(in: image, window: window)
            let key = "\(ObjectIdentifier(detail.render!).hashValue)@\(c.x),\(c.y) \(window.width)x\(window.height)"
            if detail.window?.key != key {
                detail.window = (key, image.window(centredOn: c.x, c.y, width: window.width, height: window.height))
            }
            let title = "Preview · 1:1 · \(c.x),\(c.y) of \(image.width)x\(image.height)"
            return (title, PreviewPicture(rect: inner, image: detail.window!.image, id: "d" + key))
        }
        let hint: String
        switch detail.render?.state {
        case .failed(let text)?: hint = "1:1 view: " + Self.shortened(text, folders: sessionFolders)
        case .rendering?: hint = "Rendering the export at \(request.sizeDescription)… \(percent(detail.render!.progress))"
        default: hint = session.activeBlend.isEmpty ? "Turn on a style (1-9) to see the export 1:1" : "Starting…"
        }
        let shown = TerminalText.truncated(hint, toWidth: inner.columns)
        canvas.text(shown, row: inner.row + inner.rows / 2, column: inner.column + max(0, (inner.columns - TerminalText.width(shown)) / 2),
                    style: .dim, maxWidth: inner.columns)
        return ("Preview · 1:1 · waiting (\(leave) or Esc: back)", nil)
    }
}
