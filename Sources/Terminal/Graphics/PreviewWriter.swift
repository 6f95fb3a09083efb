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
/// sixel palettes) runs on a background queue and hands its bytes over as they are made; `flush()`
/// writes what has arrived, so the terminal reads the first sixel bands while the last ones are
/// still being encoded. While a picture is partly written (`isWriting`) nothing else may be
/// written to the terminal (its bytes would land inside the picture's): the caller holds back its
/// text refresh and keeps calling `flush()` until the picture is whole. A picture whose writing
/// began is always finished, even when a newer one is wanted by then; `removeAll()` cuts it short.
///
/// A picture that goes away, moves, or is replaced by one covering fewer cells has its old cells
/// repainted by ncurses first (`PreviewSurface.repaint`), so nothing is left over and nothing is
/// shifted: the screen always equals what a full redraw would give. After ncurses repainted
/// everything (Ctrl-L, theme, resize, an overlay closed) call `invalidate()`.
///
/// Bytes are framed with synchronized-update marks and save/restore cursor (`ESC 7`/`ESC 8`) so
/// ncurses' idea of the cursor stays right.
public final class PreviewWriter: @unchecked Sendable {
    private struct AdapterBox: @unchecked Sendable { let adapter: any PreviewAdapter }

    /// One picture's bytes as the encoder hands them over (guarded by the writer's lock).
    private final class Stream {
        let picture: PreviewPicture
        var bytes: [UInt8] = []
        /// Whether the encoder has handed over every byte.
        var complete = false
        /// How many bytes are written to the terminal; nil until the writing begins.
        var written: Int?
        init(_ picture: PreviewPicture) { self.picture = picture }
    }

    private struct Slot {
        var wanted: PreviewPicture?
        var encoded: (picture: PreviewPicture, bytes: [UInt8])?
        /// The newest picture encoded or being encoded, as its bytes arrive.
        var stream: Stream?
        /// A picture partly written to the terminal.
        var writing: Stream?
        /// The picture on screen and the cells it covers.
        var onScreen: (picture: PreviewPicture, footprint: CellRect)?
        /// False once ncurses painted over the picture.
        var intact = false
    }

    /// What `flush()` does for a slot.
    private enum Step {
        /// Begin writing a picture (the first bytes, perhaps all), after repainting `old` if it stays uncovered.
        case begin(PreviewPicture, [UInt8], finish: Bool, old: CellRect?)
        /// Go on writing the picture whose writing began.
        case resume(PreviewPicture, [UInt8], finish: Bool)
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
    /// Called on the encoding queue whenever bytes are ready to be written (wake the loop).
    public var onBytes: (() -> Void)?

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
            guard let self else { return }
            let stream: Stream? = self.lock.withLock {
                guard self.slots[i].wanted == picture else { return nil }
                let stream = Stream(picture)
                self.slots[i].stream = stream
                return stream
            }
            guard let stream else { return }
            let start = DispatchTime.now().uptimeNanoseconds
            var count = 0
            // Each piece is handed over when the next one exists, the last one together with the
            // end: a picture in one piece (every adapter but sixel) is written whole, in one go.
            var held: [UInt8]?
            adapter.adapter.draw(picture.image, in: picture.rect, cellPixels: cellPixels) { bytes in
                count += bytes.count
                if let piece = held {
                    self.lock.withLock { stream.bytes += piece }
                    self.onBytes?()
                }
                held = bytes
            }
            self.onEncoded?(picture.id, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, count)
            self.lock.withLock {
                if let piece = held { stream.bytes += piece }
                stream.complete = true
                if self.slots[i].wanted == picture { self.slots[i].encoded = (picture, stream.bytes) }
            }
            self.onBytes?()
        }
    }

    /// Removes a picture: kitty deletes its image, and the text under it is repainted in the next refresh.
    private func remove(slot i: Int, footprint: CellRect) {
        emit(adapters[i].adapter.erase(footprint), synchronized: adapters[i].adapter.policy.synchronizedUpdate)
        surface?.repaint(footprint)
    }

    /// Whether `flush()` has something to write: bytes of a wanted picture not on screen yet.
    public var hasPendingWrite: Bool {
        lock.withLock { slots.indices.contains { nextStep(slot: $0, taking: false) != nil } }
    }

    /// Whether a picture is partly written: until `flush()` finishes it, nothing else may be
    /// written to the terminal.
    public var isWriting: Bool {
        lock.withLock { slots.contains { $0.writing != nil } }
    }

    /// The slot's next step (with the lock held); `taking` marks the bytes returned as written.
    private func nextStep(slot i: Int, taking: Bool) -> Step? {
        if let stream = slots[i].writing {
            let from = stream.written ?? 0
            guard from < stream.bytes.count || stream.complete else { return nil }
            if taking { stream.written = stream.bytes.count }
            return .resume(stream.picture, Array(stream.bytes[from...]), finish: stream.complete)
        }
        // One picture at a time: bytes of another slot's picture must not land inside one partly written.
        guard !slots.contains(where: { $0.writing != nil }) else { return nil }
        guard let wanted = slots[i].wanted, !(slots[i].intact && slots[i].onScreen?.picture == wanted) else { return nil }
        let old = slots[i].intact ? slots[i].onScreen?.footprint : nil
        if let stream = slots[i].stream, stream.picture == wanted, stream.written == nil {
            guard !stream.bytes.isEmpty else { return nil }
            if taking {
                stream.written = stream.bytes.count
                if !stream.complete { slots[i].writing = stream }
            }
            return .begin(wanted, stream.bytes, finish: stream.complete, old: old)
        }
        guard let encoded = slots[i].encoded, encoded.picture == wanted else { return nil }
        return .begin(wanted, encoded.bytes, finish: true, old: old)
    }

    /// Writes what has arrived of every wanted picture not on screen yet (after the text
    /// `refresh()`, and again while `isWriting`); returns the ids of the pictures it finished.
    /// When a new picture covers fewer cells than the old one, the old cells are repainted first.
    @discardableResult
    public func flush() -> [String] {
        var finished: [String] = []
        for i in slots.indices {
            guard let step = lock.withLock({ nextStep(slot: i, taking: true) }) else { continue }
            let adapter = adapters[i].adapter, synchronized = adapter.policy.synchronizedUpdate
            let picture: PreviewPicture, finish: Bool
            var out: [UInt8]
            switch step {
            case let .begin(p, bytes, f, old):
                (picture, finish) = (p, f)
                if let old, !Self.covers(footprint(of: p, slot: i), old) {
                    surface?.repaint(old)
                    surface?.refresh()
                }
                out = Self.opening(synchronized: synchronized) + bytes
            case let .resume(p, bytes, f):
                (picture, finish, out) = (p, f, bytes)
            }
            if finish { out += Self.closing(synchronized: synchronized) }
            Self.writeWhole(out, to: fileDescriptor)
            guard finish else { continue }
            let footprint = footprint(of: picture, slot: i)
            lock.withLock {
                slots[i].writing = nil
                slots[i].onScreen = (picture, footprint)
                slots[i].intact = true
            }
            finished.append(picture.id)
        }
        return finished
    }

    private func footprint(of picture: PreviewPicture, slot i: Int) -> CellRect {
        adapters[i].adapter.footprint(width: picture.image.width, height: picture.image.height, in: picture.rect, cellPixels: cellPixels)
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
    /// repainted in the next refresh. A picture partly written is cut short first (`ST` ends the
    /// sixel), then removed like the others.
    public func removeAll() {
        let (removed, cut): ([(Int, CellRect)], [Int]) = lock.withLock {
            defer { for i in slots.indices { slots[i] = Slot() } }
            var removed = slots.indices.compactMap { i in slots[i].onScreen.map { (i, $0.footprint) } }
            let cut = slots.indices.filter { slots[$0].writing != nil }
            for i in cut { removed.append((i, footprint(of: slots[i].writing!.picture, slot: i))) }
            return (removed, cut)
        }
        for i in cut {
            let synchronized = adapters[i].adapter.policy.synchronizedUpdate
            Self.writeWhole([0x1B, UInt8(ascii: "\\")] + Self.closing(synchronized: synchronized), to: fileDescriptor)
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
        opening(synchronized: synchronized) + bytes + closing(synchronized: synchronized)
    }

    /// What goes before a picture: synchronized update on (if `synchronized`), cursor saved.
    static func opening(synchronized: Bool) -> [UInt8] {
        (synchronized ? Array("\u{1B}[?2026h".utf8) : []) + Array("\u{1B}7".utf8)
    }

    /// What goes after a picture: cursor restored, synchronized update off (if `synchronized`).
    static func closing(synchronized: Bool) -> [UInt8] {
        Array("\u{1B}8".utf8) + (synchronized ? Array("\u{1B}[?2026l".utf8) : [])
    }

    private func emit(_ bytes: [UInt8], synchronized: Bool) {
        Self.send(bytes, to: fileDescriptor, synchronized: synchronized)
    }

    /// Writes an adapter's output to `fileDescriptor`, framed (synchronized update, cursor saved
    /// and restored), retrying on EINTR and waiting on EAGAIN; gives up if the terminal is gone.
    public static func send(_ bytes: [UInt8], to fileDescriptor: Int32, synchronized: Bool = true) {
        guard !bytes.isEmpty else { return }
        writeWhole(framed(bytes, synchronized: synchronized), to: fileDescriptor)
    }

    /// Writes `bytes` whole, retrying on EINTR and waiting on EAGAIN; gives up if the terminal is gone.
    private static func writeWhole(_ bytes: [UInt8], to fileDescriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fileDescriptor, $0.baseAddress, $0.count) }
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
