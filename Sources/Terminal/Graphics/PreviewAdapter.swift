import Imaging

/// The ways a preview image can be drawn in a terminal, best first.
public enum PreviewAdapterKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// DEC sixel graphics: real pixels, up to 256 colours chosen per image (xterm -ti vt340, foot,
    /// mlterm, WezTerm, Windows Terminal, tmux 3.4+ built with sixel).
    case sixel
    /// The kitty graphics protocol: real pixels in 24-bit colour (kitty, WezTerm, ghostty).
    case kitty
    /// Unicode upper half blocks: two pixels per cell in truecolor or the 256-colour palette.
    case halfBlock = "halfblock"
    /// Characters from a brightness ramp: works everywhere, looks like it.
    case ascii

    /// The best kind the terminal supports. Kitty and sixel are not used through a multiplexer
    /// unless it draws them itself (tmux answers DA1 on its own; 3.3a does not list sixel, so it
    /// gets half-block); half-block needs at least 256 colours.
    public static func best(for capabilities: TerminalCapabilities) -> PreviewAdapterKind {
        if capabilities.kittyGraphics && capabilities.multiplexer == nil { return .kitty }
        if capabilities.sixel && capabilities.multiplexer != .screen { return .sixel }
        if capabilities.colorDepth >= .xterm256 { return .halfBlock }
        return .ascii
    }

    /// A `--graphics` value as typed by a user ("sixel", "kitty", "halfblock", "ascii", any case,
    /// "half-block" too); nil for anything else.
    public init?(option: String) {
        let value = option.lowercased()
        if let kind = PreviewAdapterKind(rawValue: value) { self = kind; return }
        if value == "half-block" || value == "half" { self = .halfBlock; return }
        return nil
    }

    /// The adapter of this kind for a terminal with `capabilities`. `slot` tells apart previews
    /// shown at the same time (kitty image ids); `darkBackground` orients the ascii ramp
    /// (pass `theme.isDark`).
    public func makeAdapter(for capabilities: TerminalCapabilities, slot: Int = 0,
                            darkBackground: Bool = true) -> any PreviewAdapter {
        switch self {
        case .sixel:
            return SixelAdapter(maxColors: min(256, max(2, capabilities.sixelColorRegisters ?? 256)))
        case .kitty:
            return KittyAdapter(imageID: KittyAdapter.firstImageID + UInt32(clamping: max(0, slot)))
        case .halfBlock:
            return HalfBlockAdapter(colorDepth: capabilities.colorDepth >= .trueColor ? .trueColor : .xterm256)
        case .ascii:
            return AsciiAdapter(darkBackground: darkBackground)
        }
    }

    /// "sixel", "kitty", "halfblock", "ascii".
    public var description: String { rawValue }
}

/// Draws an image into a rectangle of cells with escape sequences written straight to the
/// terminal, after ncurses has refreshed the screen with that rectangle left blank.
///
/// The returned bytes position the cursor themselves (absolute `CSI row;col H`) and leave the
/// SGR state reset; wrap them in save/restore cursor (`PreviewWriter` does) so ncurses' idea of
/// the cursor stays right. The image keeps its aspect ratio, is centred and letterboxed.
public protocol PreviewAdapter {
    /// Which kind of adapter this is.
    var kind: PreviewAdapterKind { get }
    /// The bytes that draw `image` fitted into `rect`, for cells of `cellPixels` screen pixels.
    /// Empty when the rectangle is empty.
    func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8]
    /// The bytes that remove a picture drawn into `rect` (blank cells; kitty deletes its image).
    func erase(_ rect: CellRect) -> [UInt8]
}

/// Escape-sequence building blocks shared by the adapters.
enum Escape {
    /// Cursor to 0-based (row, column): `CSI row+1 ; column+1 H`.
    static func moveTo(row: Int, column: Int) -> [UInt8] {
        Array("\u{1B}[\(row + 1);\(column + 1)H".utf8)
    }

    /// `CSI 0 m`.
    static let reset: [UInt8] = Array("\u{1B}[0m".utf8)

    /// Blank cells over `rect` in the terminal's default colours.
    static func blank(_ rect: CellRect) -> [UInt8] {
        guard !rect.isEmpty else { return [] }
        var out = reset
        let spaces = [UInt8](repeating: 0x20, count: rect.columns)
        for r in 0..<rect.rows {
            out += moveTo(row: rect.row + r, column: rect.column)
            out += spaces
        }
        return out
    }

    /// Appends the decimal digits of a non-negative `value`.
    static func appendNumber(_ value: Int, to out: inout [UInt8]) {
        if value >= 10 { appendNumber(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
