import CSixel

/// One band of six pixel rows of an indexed image, turned into sixel rows in a single pass (the
/// C kernel `sixel_band_encode`).
///
/// `collect` reads the band once, column by column: per colour it ORs the six row bits into the
/// column's sixel and links the columns where the colour occurs, in column order; then, for the
/// colours present only (in the order a row-by-row scan meets them), it writes `#n` and the
/// colour's sixels as runs, walking its own columns: the gaps between them are runs of blank
/// sixels and trailing blanks are dropped. `emit` hands those bytes over. The work is
/// proportional to the pixels and the bytes written, not to colours times width.
final class SixelBand {
    private let band: OpaquePointer
    /// The last band's bytes (`count` of them).
    private var bytes: [UInt8]
    private var count = 0

    /// A band buffer for images `width` pixels wide with `colors` palette entries.
    init(width: Int, colors: Int) {
        guard let band = sixel_band_new(Int32(width), Int32(max(1, colors))) else {
            fatalError("sixel band: \(width) pixels, \(colors) colours or out of memory")
        }
        self.band = band
        bytes = [UInt8](repeating: 0, count: sixel_band_capacity(Int32(width), Int32(max(1, colors))))
    }

    deinit { sixel_band_free(band) }

    /// Reads the band's `rows` rows (at most six, one after the other from `first`, the image's
    /// width each); `transparent` pixels are skipped.
    func collect(_ first: UnsafePointer<UInt16>, rows: Int, transparent: UInt16) {
        count = bytes.withUnsafeMutableBufferPointer { out in
            sixel_band_encode(band, first, 0, Int32(rows), transparent, out.baseAddress!)
        }
    }

    /// Appends the band's colours (`$` between them).
    func emit(to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }
}
