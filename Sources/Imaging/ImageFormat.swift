import CImageCodecs

/// An image file format, recognised from the file's first bytes (never from its name).
public enum ImageFormat: Equatable, Sendable {
    /// PNG: `89 50 4E 47 0D 0A 1A 0A`.
    case png
    /// JPEG (JFIF, EXIF, Adobe): `FF D8 FF`.
    case jpeg
    /// WebP: `RIFF` .... `WEBP`.
    case webp
    /// TIFF: `II*\0` or `MM\0*`.
    case tiff
    /// HEIF with HEVC images (HEIC, as phones write): an ISO `ftyp` box with a HEIF brand.
    case heic
    /// AVIF (HEIF with AV1 images): an ISO `ftyp` box with an `avif`/`avis` brand.
    case avif
    /// A recognised image format that Atelier does not decode, with its usual name.
    case unsupported(String)

    /// Every format Atelier decodes.
    public static let decodable: [ImageFormat] = [.png, .jpeg, .webp, .tiff, .heic, .avif]

    /// The file name extensions (lower case, no dot) under which the decodable formats are
    /// listed in folders; files are still recognised by content when opened.
    public static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "jpe", "webp", "tif", "tiff", "heic", "heif", "hif", "avif",
    ]

    /// The format's usual name ("PNG", "HEIC", ...).
    public var name: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        case .webp: return "WebP"
        case .tiff: return "TIFF"
        case .heic: return "HEIC"
        case .avif: return "AVIF"
        case .unsupported(let name): return name
        }
    }

    /// The C decoder behind the format (one file each in CImageCodecs), nil when unsupported.
    var decoder: cic_decoder? {
        switch self {
        case .png: return cic_png_decode
        case .jpeg: return cic_jpeg_decode
        case .webp: return cic_webp_decode
        case .tiff: return cic_tiff_decode
        case .heic, .avif: return cic_heif_decode
        case .unsupported: return nil
        }
    }

    /// The format whose signature starts `bytes`, or nil when no known signature matches.
    public static func detect<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(64))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<(offset + signature.count)]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("GIF8".utf8)) { return .unsupported("GIF") }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("BM".utf8)) && head.count >= 18 && [12, 40, 52, 56, 64, 108, 124].contains(head[14])
            && head[15] == 0 && head[16] == 0 && head[17] == 0 {
            return .unsupported("BMP")
        }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B]) { return .tiff } // BigTIFF
        if starts(Array("ftyp".utf8), at: 4), let format = heifFormat(head) { return format }
        if starts([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) { return .unsupported("JPEG 2000") }
        if starts(Array("qoif".utf8)) { return .unsupported("QOI") }
        return nil
    }

    /// HEIC or AVIF from the `ftyp` box's major and compatible brands (those within `head`).
    private static func heifFormat(_ head: [UInt8]) -> ImageFormat? {
        guard head.count >= 12 else { return nil }
        let size = Int(head[0]) << 24 | Int(head[1]) << 16 | Int(head[2]) << 8 | Int(head[3])
        var brands = [String(decoding: head[8..<12], as: UTF8.self)]
        var at = 16
        while at + 4 <= min(size, head.count) {
            brands.append(String(decoding: head[at..<(at + 4)], as: UTF8.self))
            at += 4
        }
        if brands.contains(where: { $0 == "avif" || $0 == "avis" }) { return .avif }
        let heif: Set<String> = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]
        if brands.contains(where: heif.contains) { return .heic }
        if brands[0].hasPrefix("avi") { return .avif }
        if brands[0].hasPrefix("hei") || brands[0].hasPrefix("hev") { return .heic }
        return nil
    }
}
