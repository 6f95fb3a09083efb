/// What a terminal said back to the start-up queries, parsed from the raw bytes it sent.
///
/// Pure parsing, testable with strings: feed `TerminalReplies(parsing: Array("\u{1B}[?62;4c".utf8))`.
/// Understood replies:
/// - primary device attributes (DA1, asked with `ESC [ c`): `ESC [ ? Pn ; Pn ... c`;
///   attribute 4 means the terminal draws sixel graphics;
/// - cell size in pixels (asked with `ESC [ 16 t`): `ESC [ 6 ; height ; width t`;
///   text area in pixels (asked with `ESC [ 14 t`): `ESC [ 4 ; height ; width t`;
/// - kitty graphics query (`ESC _ G i=31,... ESC \`): `ESC _ G i=31;OK ESC \` or an error text;
/// - XTSMGRAPHICS number of colour registers (`ESC [ ? 1 ; 1 ; 0 S`): `ESC [ ? 1 ; 0 ; N S`.
public struct TerminalReplies: Equatable, Sendable {
    /// The attribute numbers of the DA1 reply (the first is the terminal class, e.g. 62-65), or nil.
    public var primaryAttributes: [Int]?
    /// Cell size from the `CSI 16 t` reply, or nil.
    public var cellPixels: CellPixelSize?
    /// Text area size in pixels (width, height) from the `CSI 14 t` reply, or nil.
    public var textAreaPixels: (width: Int, height: Int)?
    /// True/false when the kitty graphics query with id 31 was answered OK / with an error; nil if unanswered.
    public var kittyGraphics: Bool?
    /// Number of sixel colour registers reported by XTSMGRAPHICS, or nil.
    public var sixelColorRegisters: Int?

    /// No replies at all.
    public init() {}

    /// Parses every reply found in `bytes`; anything else (stray input) is skipped.
    public init(parsing bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x1B, i + 1 < bytes.count else { i += 1; continue }
            if bytes[i + 1] == UInt8(ascii: "["), let (end, csi) = Self.controlSequence(bytes, from: i + 2) {
                apply(csi)
                i = end
            } else if bytes[i + 1] == UInt8(ascii: "_"), let end = Self.stringTerminator(bytes, from: i + 2) {
                applyApplicationString(Array(bytes[(i + 2)..<end]))
                i = end
            } else {
                i += 1
            }
        }
    }

    /// True when `bytes` hold a complete DA1 reply: every terminal answers DA1, so it is sent last
    /// and its arrival means all earlier queries have been answered or ignored.
    public static func containsPrimaryAttributes(_ bytes: [UInt8]) -> Bool {
        TerminalReplies(parsing: bytes).primaryAttributes != nil
    }

    /// True when the DA1 reply lists attribute 4 (sixel graphics).
    public var reportsSixel: Bool { primaryAttributes?.dropFirst().contains(4) ?? false }

    /// Field-by-field equality.
    public static func == (a: TerminalReplies, b: TerminalReplies) -> Bool {
        a.primaryAttributes == b.primaryAttributes && a.cellPixels == b.cellPixels
            && a.textAreaPixels?.width == b.textAreaPixels?.width
            && a.textAreaPixels?.height == b.textAreaPixels?.height
            && a.kittyGraphics == b.kittyGraphics && a.sixelColorRegisters == b.sixelColorRegisters
    }

    /// A parsed control sequence: private marker, numeric parameters, final byte.
    private struct ControlSequence {
        var marker: UInt8?
        var parameters: [Int]
        var final: UInt8
    }

    private mutating func apply(_ csi: ControlSequence) {
        let p = csi.parameters
        switch (csi.marker, csi.final) {
        case (UInt8(ascii: "?"), UInt8(ascii: "c")):
            primaryAttributes = p
        case (nil, UInt8(ascii: "t")) where p.count == 3 && p[0] == 6 && p[1] > 0 && p[2] > 0:
            cellPixels = CellPixelSize(width: p[2], height: p[1])
        case (nil, UInt8(ascii: "t")) where p.count == 3 && p[0] == 4 && p[1] > 0 && p[2] > 0:
            textAreaPixels = (width: p[2], height: p[1])
        case (UInt8(ascii: "?"), UInt8(ascii: "S")) where p.count == 3 && p[0] == 1 && p[1] == 0 && p[2] > 0:
            sixelColorRegisters = p[2]
        default:
            break
        }
    }

    private mutating func applyApplicationString(_ body: [UInt8]) {
        // Kitty: "G" keys ";" message.
        guard body.first == UInt8(ascii: "G") else { return }
        let text = String(decoding: body.dropFirst(), as: UTF8.self)
        let parts = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let keys = parts[0].split(separator: ",")
        guard keys.contains("i=31") else { return }
        kittyGraphics = parts.count > 1 && parts[1] == "OK"
    }

    /// Parses `[marker] params final` starting after "ESC [". Returns the index after the final byte.
    private static func controlSequence(_ bytes: [UInt8], from start: Int) -> (Int, ControlSequence)? {
        var i = start
        var marker: UInt8?
        if i < bytes.count, (0x3C...0x3F).contains(bytes[i]) { marker = bytes[i]; i += 1 }
        var parameters: [Int] = []
        var current: Int?
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                current = min((current ?? 0) * 10 + Int(b - UInt8(ascii: "0")), 1_000_000)
            case UInt8(ascii: ";"), UInt8(ascii: ":"):
                parameters.append(current ?? 0); current = nil
            case 0x40...0x7E:
                if let c = current { parameters.append(c) }
                return (i + 1, ControlSequence(marker: marker, parameters: parameters, final: b))
            case 0x20...0x2F:
                break  // intermediate bytes: not used by the replies we read
            default:
                return nil  // not a well-formed sequence (e.g. cut off by another ESC)
            }
            i += 1
        }
        return nil
    }

    /// Index of the ESC of the "ESC \" string terminator (or of a BEL) at or after `start`.
    private static func stringTerminator(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x07 { return i }
            if bytes[i] == 0x1B, i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\") { return i }
            i += 1
        }
        return nil
    }
}
