import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text screen under the pictures, as the preview writer needs it (`TerminalScreen`).
public protocol PreviewSurface: AnyObject {
    /// Makes the next `refresh` rewrite every cell of `rect`'s rows.
    func repaint(_ rect: CellRect)
    /// Sends the text frame to the terminal.
    func refresh()
}

/// A picture to show in the preview: where, what, and an id that changes when the bytes do.
public struct PreviewPicture: Equatable {
    /// The cells it is fitted into.
    public var rect: CellRect
    /// The picture.
    public var image: RGBImage
    /// Identifies the picture (a new id means new bytes must be encoded).
    public var id: String

    /// A picture for `rect`.
    public init(rect: CellRect, image: RGBImage, id: String) {
        self.rect = rect
        self.image = image
        self.id = id
    }

    public static func == (a: PreviewPicture, b: PreviewPicture) -> Bool { a.rect == b.rect && a.id == b.id }
}

/// The one writer of preview pictures: it owns what the terminal shows in the preview and keeps
/// it in step with the text screen ncurses believes is there.
///
/// Each frame: draw the text (the preview's cells blank), call `show(_:)` with the pictures wanted
/// (one per slot, left to right), `refresh()` the screen, then `flush()`. Encoding (resampling,
/// sixel palettes) runs on a background queue; `flush()` writes each finished picture once. A
/// picture that goes away, moves, or is replaced by one covering fewer cells has its old cells
/// repainted by ncurses first (`PreviewSurface.repaint`), so nothing is left over and nothing is
/// shifted: the screen always equals what a full redraw would give. After ncurses repainted
/// everything (Ctrl-L, theme, resize, an overlay closed) call `invalidate()`.
///
/// Bytes are framed with synchronized-update marks and save/restore cursor (`ESC 7`/`ESC 8`) so
/// ncurses' idea of the cursor stays right.
public final class PreviewWriter: @unchecked Sendable {
    private struct AdapterBox: @unchecked Sendable { let adapter: any PreviewAdapter }

    private struct Slot {
        var wanted: PreviewPicture?
        var encoded: (picture: PreviewPicture, bytes: [UInt8])?
        /// The picture on screen and the cells it covers.
        var onScreen: (picture: PreviewPicture, footprint: CellRect)?
        /// False once ncurses painted over the picture.
        var intact = false
    }

    private let adapters: [AdapterBox]
    private let surface: PreviewSurface?
    private let fileDescriptor: Int32
    private let queue = DispatchQueue(label: "atelier.preview-encode", qos: .userInteractive)
    private let lock = NSLock()
    private var slots: [Slot]

    /// Size of a cell in pixels.
    public var cellPixels: CellPixelSize
    /// Called on the encoding queue after each encoding: picture id, milliseconds, bytes.
    public var onEncoded: ((String, Double, Int) -> Void)?

    /// A writer with one adapter per slot (kitty needs an image id per picture shown at once),
    /// repainting text through `surface` and writing to `fileDescriptor`.
    public init(adapters: [any PreviewAdapter], cellPixels: CellPixelSize, surface: PreviewSurface?,
                fileDescriptor: Int32 = STDOUT_FILENO) {
        self.adapters = adapters.map(AdapterBox.init)
        self.cellPixels = cellPixels
        self.surface = surface
        self.fileDescriptor = fileDescriptor
        slots = Array(repeating: Slot(), count: adapters.count)
    }

    /// The first slot's adapter (all slots draw the same kind).
    public var adapter: any PreviewAdapter { adapters[0].adapter }

    /// Sets the pictures wanted now, slot by slot; call after drawing the text, before
    /// `refresh()`. Pictures no longer wanted, or wanted elsewhere, are removed in that refresh;
    /// new ones start encoding in the background.
    public func show(_ pictures: [PreviewPicture]) {
        var toErase: [(Int, CellRect)] = []
        var toEncode: [(Int, PreviewPicture)] = []
        lock.withLock {
            for i in slots.indices {
                let picture = i < pictures.count ? pictures[i] : nil
                if let shown = slots[i].onScreen, picture?.rect != shown.picture.rect {
                    toErase.append((i, shown.footprint))
                    slots[i].onScreen = nil
                }
                guard slots[i].wanted != picture else { continue }
                slots[i].wanted = picture
                if let picture, slots[i].encoded?.picture != picture { toEncode.append((i, picture)) }
            }
        }
        for (i, footprint) in toErase { remove(slot: i, footprint: footprint) }
        for (i, picture) in toEncode { encode(picture, slot: i) }
    }

    private func encode(_ picture: PreviewPicture, slot i: Int) {
        let adapter = adapters[i], cellPixels = self.cellPixels
        queue.async { [weak self] in
            guard let self, self.lock.withLock({ self.slots[i].wanted == picture }) else { return }
            let start = DispatchTime.now().uptimeNanoseconds
            let bytes = adapter.adapter.draw(picture.image, in: picture.rect, cellPixels: cellPixels)
            self.onEncoded?(picture.id, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, bytes.count)
            self.lock.withLock {
                if self.slots[i].wanted == picture { self.slots[i].encoded = (picture, bytes) }
            }
        }
    }

    /// Removes a picture: kitty deletes its image, and the text under it is repainted in the next refresh.
    private func remove(slot i: Int, footprint: CellRect) {
        emit(adapters[i].adapter.erase(footprint), synchronized: adapters[i].adapter.policy.synchronizedUpdate)
        surface?.repaint(footprint)
    }

    /// Whether a wanted picture is encoded but not on screen yet.
    public var hasPendingWrite: Bool {
        lock.withLock { slots.contains { needsWrite($0) } }
    }

    private func needsWrite(_ slot: Slot) -> Bool {
        guard let wanted = slot.wanted, let encoded = slot.encoded, encoded.picture == wanted else { return false }
        return !(slot.intact && slot.onScreen?.picture == wanted)
    }

    /// Writes every finished picture not on screen yet (after the text `refresh()`); returns their ids.
    /// When the new picture covers fewer cells than the old one, the old cells are repainted first.
    @discardableResult
    public func flush() -> [String] {
        var written: [String] = []
        for i in slots.indices {
            let work: (PreviewPicture, [UInt8], CellRect?)? = lock.withLock {
                guard needsWrite(slots[i]), let encoded = slots[i].encoded else { return nil }
                let old = slots[i].intact ? slots[i].onScreen?.footprint : nil
                return (encoded.picture, encoded.bytes, old)
            }
            guard let (picture, bytes, old) = work else { continue }
            let footprint = adapters[i].adapter.footprint(width: picture.image.width, height: picture.image.height,
                                                          in: picture.rect, cellPixels: cellPixels)
            if let old, !Self.covers(footprint, old) {
                surface?.repaint(old)
                surface?.refresh()
            }
            emit(bytes, synchronized: adapters[i].adapter.policy.synchronizedUpdate)
            lock.withLock {
                slots[i].onScreen = (picture, footprint)
                slots[i].intact = true
            }
            written.append(picture.id)
        }
        return written
    }

    /// ncurses painted over the pictures (a full repaint): write them again on the next `flush`
    /// (the encoded bytes are kept, so this costs no re-encoding).
    public func invalidate() {
        lock.withLock { for i in slots.indices { slots[i].intact = false } }
    }

    /// The cells the pictures on screen cover.
    public var footprints: [CellRect] {
        lock.withLock { slots.compactMap { $0.onScreen?.footprint } }
    }

    /// Removes every picture and forgets them (before leaving the screen); the text under them is
    /// repainted in the next refresh.
    public func removeAll() {
        let removed: [(Int, CellRect)] = lock.withLock {
            defer { for i in slots.indices { slots[i] = Slot() } }
            return slots.indices.compactMap { i in slots[i].onScreen.map { (i, $0.footprint) } }
        }
        for (i, footprint) in removed { remove(slot: i, footprint: footprint) }
    }

    /// Whether `outer` covers every cell of `inner`.
    static func covers(_ outer: CellRect, _ inner: CellRect) -> Bool {
        inner.isEmpty || (outer.row <= inner.row && outer.column <= inner.column
                          && outer.row + outer.rows >= inner.row + inner.rows
                          && outer.column + outer.columns >= inner.column + inner.columns)
    }

    /// The exact bytes written around an adapter's output: cursor saved and restored, inside
    /// synchronized-update marks when `synchronized`.
    static func framed(_ bytes: [UInt8], synchronized: Bool = true) -> [UInt8] {
        let inner = Array("\u{1B}7".utf8) + bytes + Array("\u{1B}8".utf8)
        return synchronized ? Array("\u{1B}[?2026h".utf8) + inner + Array("\u{1B}[?2026l".utf8) : inner
    }

    private func emit(_ bytes: [UInt8], synchronized: Bool) {
        Self.send(bytes, to: fileDescriptor, synchronized: synchronized)
    }

    /// Writes an adapter's output to `fileDescriptor`, framed (synchronized update, cursor saved
    /// and restored), retrying on EINTR and waiting on EAGAIN; gives up if the terminal is gone.
    public static func send(_ bytes: [UInt8], to fileDescriptor: Int32, synchronized: Bool = true) {
        guard !bytes.isEmpty else { return }
        let framed = Self.framed(bytes, synchronized: synchronized)
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
