import Foundation
import Imaging
import Terminal

/// Draws one preview picture into a rectangle of the terminal with a `PreviewAdapter`.
///
/// Encoding (resampling, sixel palettes, dithering) happens on a background queue so the
/// keyboard never waits for it; the interface's loop calls `flush()` after ncurses' refresh to
/// write the newest finished encoding. Bytes are framed like `PreviewWriter`'s: synchronized
/// update marks and save/restore cursor, so ncurses' idea of the cursor stays right.
final class PreviewPainter: @unchecked Sendable {
    private struct Request: Equatable {
        var id: String
        var rect: CellRect
        var cellPixels: CellPixelSize
    }

    private struct AdapterBox: @unchecked Sendable { let adapter: any PreviewAdapter }

    private let adapter: AdapterBox
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var wanted: Request?
    private var encoded: (request: Request, bytes: [UInt8])?
    private var shown: Request?
    private var shownRect: CellRect?
    private let fileDescriptor: Int32

    /// Called on the encoding queue after each encoding: picture id, milliseconds, bytes.
    var onEncoded: ((String, Double, Int) -> Void)?

    /// The kind of adapter drawing.
    var kind: PreviewAdapterKind { adapter.adapter.kind }

    init(adapter: any PreviewAdapter, fileDescriptor: Int32 = STDOUT_FILENO, label: String) {
        self.adapter = AdapterBox(adapter: adapter)
        self.fileDescriptor = fileDescriptor
        queue = DispatchQueue(label: "atelier.preview-encode.\(label)", qos: .userInteractive)
    }

    /// Asks for `image` (identified by `id`) in `rect`; encoding starts in the background unless
    /// the same picture in the same place is already encoded or on its way.
    func request(_ image: RGBImage, id: String, in rect: CellRect, cellPixels: CellPixelSize) {
        let request = Request(id: id, rect: rect, cellPixels: cellPixels)
        let start: Bool = lock.withLock {
            guard wanted != request else { return false }
            wanted = request
            return encoded?.request != request
        }
        guard start else { return }
        let adapter = self.adapter
        queue.async { [weak self] in
            guard let self, self.lock.withLock({ self.wanted == request }) else { return }
            let start = DispatchTime.now().uptimeNanoseconds
            let bytes = adapter.adapter.draw(image, in: rect, cellPixels: cellPixels)
            self.onEncoded?(request.id, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6, bytes.count)
            self.lock.withLock {
                if self.wanted == request { self.encoded = (request, bytes) }
            }
        }
    }

    /// Whether the wanted picture is encoded but not yet on screen.
    var hasPendingWrite: Bool {
        lock.withLock { wanted != nil && encoded?.request == wanted && shown != wanted }
    }

    /// Writes the newest finished picture if it is not on screen yet; returns the id written.
    @discardableResult
    func flush() -> String? {
        let pending: (Request, [UInt8])? = lock.withLock {
            guard let encoded, encoded.request == wanted, shown != encoded.request else { return nil }
            return (encoded.request, encoded.bytes)
        }
        guard let (request, bytes) = pending else { return nil }
        emit(bytes)
        lock.withLock {
            shown = request
            shownRect = request.rect
        }
        return request.id
    }

    /// ncurses painted over the picture: write it again on the next `flush`.
    func invalidate() {
        lock.withLock { shown = nil }
    }

    /// The rectangle the picture on screen occupies, if any.
    var rectOnScreen: CellRect? { lock.withLock { shownRect } }

    /// Removes the picture from the screen (the part inside `bounds`: after a resize the rest is
    /// gone anyway) and forgets it; returns the rectangle it was in. The cells are left blank in
    /// the terminal's default colours: repaint them with ncurses afterwards.
    @discardableResult
    func erase(within bounds: CellRect) -> CellRect? {
        let old: CellRect? = lock.withLock {
            defer { shown = nil; shownRect = nil; wanted = nil }
            return shownRect
        }
        if let old { emit(adapter.adapter.erase(old.intersection(bounds))) }
        return old
    }

    private func emit(_ bytes: [UInt8]) {
        PreviewWriter.send(bytes, to: fileDescriptor)
    }
}
