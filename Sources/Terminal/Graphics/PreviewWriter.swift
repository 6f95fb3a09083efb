import Imaging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends one preview's adapter output to the terminal, after ncurses has refreshed the screen.
///
/// Usage in the app loop: draw the panes with `TerminalScreen` leaving the preview rectangle
/// blank, `screen.refresh()`, then `writer.show(image, in: rect)`. The writer only writes when the
/// image or rectangle changed, or after `invalidate()` (call it when ncurses repainted the area:
/// after a `.resize`, or when an overlay drawn over the preview goes away). Output is wrapped in
/// save/restore cursor (`ESC 7` / `ESC 8`) and synchronized-update marks so ncurses' idea of the
/// cursor and attributes stays right and terminals that know mode 2026 show it without tearing.
public final class PreviewWriter {
    /// The adapter that turns images into bytes.
    public let adapter: any PreviewAdapter
    /// Size of a cell in pixels (from `TerminalCapabilities.cellPixels`).
    public var cellPixels: CellPixelSize
    /// Where the bytes go: the terminal ncurses draws on (standard output by default).
    public let fileDescriptor: Int32
    /// The rectangle the current picture occupies, nil when nothing is shown.
    public private(set) var shownRect: CellRect?

    private var shownImage: RGBImage?
    private var encoded: [UInt8] = []
    private var needsWrite = true

    /// A writer drawing with `adapter` to `fileDescriptor`.
    public init(adapter: any PreviewAdapter, cellPixels: CellPixelSize, fileDescriptor: Int32 = STDOUT_FILENO) {
        self.adapter = adapter
        self.cellPixels = cellPixels
        self.fileDescriptor = fileDescriptor
    }

    /// Shows `image` fitted into `rect`. Returns true when bytes were written, false when the same
    /// picture is already on screen. A picture in a different rectangle is erased first.
    @discardableResult
    public func show(_ image: RGBImage, in rect: CellRect) -> Bool {
        let sameRect = shownRect == rect
        if sameRect, !needsWrite, shownImage == image { return false }
        var out: [UInt8] = []
        if let old = shownRect, !sameRect { out += adapter.erase(old) }
        if !(sameRect && shownImage == image) || encoded.isEmpty {
            encoded = adapter.draw(image, in: rect, cellPixels: cellPixels)
        }
        out += encoded
        shownImage = image
        shownRect = rect
        needsWrite = false
        emit(out)
        return true
    }

    /// Removes the picture (if any). Afterwards call `TerminalScreen.repaint(_:)` on the old
    /// rectangle if the theme's background is not the terminal's default.
    public func erase() {
        guard let old = shownRect else { return }
        emit(adapter.erase(old))
        shownRect = nil
        shownImage = nil
        encoded = []
        needsWrite = true
    }

    /// Forgets that the picture is on screen (ncurses painted over it), so the next `show` writes
    /// it again; the encoded bytes are kept, so this costs no re-encoding.
    public func invalidate() { needsWrite = true }

    /// The exact bytes `show` or `erase` write around an adapter's output.
    static func framed(_ bytes: [UInt8]) -> [UInt8] {
        Array("\u{1B}[?2026h\u{1B}7".utf8) + bytes + Array("\u{1B}8\u{1B}[?2026l".utf8)
    }

    private func emit(_ bytes: [UInt8]) {
        Self.send(bytes, to: fileDescriptor)
    }

    /// Writes an adapter's output to `fileDescriptor`, framed (synchronized update, cursor saved
    /// and restored), retrying on EINTR and waiting on EAGAIN; gives up if the terminal is gone.
    public static func send(_ bytes: [UInt8], to fileDescriptor: Int32) {
        guard !bytes.isEmpty else { return }
        let framed = Self.framed(bytes)
        var offset = 0
        while offset < framed.count {
            let n = framed[offset...].withUnsafeBytes { write(fileDescriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN {
                var pfd = pollfd(fd: fileDescriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 1000)
                continue
            }
            if n <= 0 { return }  // terminal gone: nothing sensible left to do with a preview
            offset += n
        }
    }
}
