import Imaging

/// Draws previews with the kitty graphics protocol: the resized image is sent as 24-bit RGB
/// (`f=24`), base64 in chunks of at most 4096 bytes, transmitted and shown at once (`a=T`) at the
/// cursor with a pixel offset (`X`, `Y`), the cursor left where it was (`C=1`), replies
/// suppressed (`q=2`). Each adapter owns one image id; drawing replaces that image and erasing
/// deletes it (`a=d,d=I`).
public struct KittyAdapter: PreviewAdapter {
    /// The id of slot 0's image; slot n uses `firstImageID + n`.
    public static let firstImageID: UInt32 = 7_265_000
    /// `.kitty`.
    public var kind: PreviewAdapterKind { .kitty }
    /// Encoding costs about as much for the quick picture as for the full one: show the full one only.
    public var policy: PreviewPolicy { PreviewPolicy(showsQuickPasses: false, usesPalette: false, synchronizedUpdate: false) }
    /// Screen pixels.
    public func samplesPerCell(_ cellPixels: CellPixelSize) -> (x: Int, y: Int) { (cellPixels.width, cellPixels.height) }
    /// The kitty image id this adapter draws and deletes.
    public var imageID: UInt32

    /// An adapter drawing kitty image `imageID`.
    public init(imageID: UInt32 = KittyAdapter.firstImageID) {
        self.imageID = imageID
    }

    /// Delete the previous image, move to the cell holding the image's top-left pixel, transmit.
    public func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8] {
        guard let fit = ImageFit.fitting(imageWidth: image.width, imageHeight: image.height,
                                         columns: rect.columns, rows: rect.rows, cellPixels: cellPixels,
                                         samplesPerCell: (cellPixels.width, cellPixels.height)) else { return [] }
        let raster = Raster(resampling: image, width: fit.width, height: fit.height)
        var out = deleteCommand()
        out += Escape.moveTo(row: rect.row + fit.y / cellPixels.height, column: rect.column + fit.x / cellPixels.width)
        let payload = Base64.encode(raster.bytes)
        let chunkSize = 4096
        var offset = 0
        repeat {
            let end = min(payload.count, offset + chunkSize)
            let more = end < payload.count ? 1 : 0
            var keys = "m=\(more),q=2"
            if offset == 0 {
                keys = "a=T,f=24,s=\(fit.width),v=\(fit.height),i=\(imageID),"
                    + "X=\(fit.x % cellPixels.width),Y=\(fit.y % cellPixels.height),C=1," + keys
            }
            out += Array("\u{1B}_G\(keys);".utf8)
            out += payload[offset..<end]
            out += [0x1B, UInt8(ascii: "\\")]
            offset = end
        } while offset < payload.count
        return out
    }

    /// Deletes this adapter's image (kitty images sit above the text and are not overwritten by it).
    public func erase(_ rect: CellRect) -> [UInt8] { deleteCommand() }

    private func deleteCommand() -> [UInt8] {
        Array("\u{1B}_Ga=d,d=I,i=\(imageID),q=2\u{1B}\\".utf8)
    }
}

/// Standard base64 (RFC 4648) with padding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], alphabet[Int(v & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)]]
            out += rest == 2 ? [alphabet[Int(v >> 6 & 63)], UInt8(ascii: "=")] : [UInt8(ascii: "="), UInt8(ascii: "=")]
        }
        return out
    }
}
