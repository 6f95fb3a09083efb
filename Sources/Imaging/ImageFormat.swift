/// An image file format, recognised from the file's first bytes (never from its name).
public enum ImageFormat: Equatable, Sendable {
    /// PNG: `89 50 4E 47 0D 0A 1A 0A`.
    case png
    /// JPEG (JFIF, EXIF, Adobe): `FF D8 FF`.
    case jpeg
    /// A recognised image format that Atelier does not decode, with its usual name.
    case unsupported(String)

    /// The format whose signature starts `bytes`, or nil when no known signature matches.
    public static func detect<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(32))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<(offset + signature.count)]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF8".utf8)) { return .unsupported("GIF") }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .unsupported("WebP") }
        if starts(Array("BM".utf8)) && head.count >= 18 && [12, 40, 52, 56, 64, 108, 124].contains(head[14])
            && head[15] == 0 && head[16] == 0 && head[17] == 0 {
            return .unsupported("BMP")
        }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .unsupported("TIFF") }
        if starts(Array("ftyp".utf8), at: 4) {
            let brand = head.count >= 12 ? String(decoding: head[8..<12], as: UTF8.self) : ""
            if brand.hasPrefix("avi") { return .unsupported("AVIF") }
            if brand.hasPrefix("hei") || brand.hasPrefix("mif") || brand.hasPrefix("hev") { return .unsupported("HEIF") }
        }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) { return .unsupported("JPEG 2000") }
        if starts(Array("qoif".utf8)) { return .unsupported("QOI") }
        return nil
    }
}
