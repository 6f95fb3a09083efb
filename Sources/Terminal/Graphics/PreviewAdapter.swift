import Imaging

/// The ways a preview image can be drawn in a terminal, best first.
public enum PreviewAdapterKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// DEC sixel graphics: real pixels, up to 256 colours chosen per image (xterm -ti vt340, foot,
    /// mlterm, WezTerm, Windows Terminal, tmux 3.4+ built with sixel).
    case sixel
    /// The kitty graphics protocol: real pixels in 24-bit colour (kitty, WezTerm, ghostty).
    case kitty
    /// libchafa's block, border and space symbols chosen per cell, in truecolor, 256 or 16
    /// colours: the sharpest picture made of characters.
    case symbols
    /// Unicode upper half blocks: two pixels per cell in truecolor or the 256-colour palette
    /// (the character-cell fallback, `--graphics halfblock`).
    case halfBlock = "halfblock"
    /// Characters from a brightness ramp: works everywhere, looks like it.
    case ascii

    /// The best kind the terminal supports. Kitty and sixel are not used through a multiplexer
    /// unless it draws them itself (tmux answers DA1 on its own; 3.3a does not list sixel, so it
    /// gets symbols); symbols need colour (16 are enough: the Linux console, plain screen).
    public static func best(for capabilities: TerminalCapabilities) -> PreviewAdapterKind {
        if capabilities.kittyGraphics && capabilities.multiplexer == nil { return .kitty }
        if capabilities.sixel && capabilities.multiplexer != .screen { return .sixel }
        if capabilities.colorDepth >= .xterm256 || capabilities.hasBasicColours { return .symbols }
        return .ascii
    }

    /// A `--graphics` value as typed by a user ("sixel", "kitty", "symbols", "halfblock", "ascii",
    /// any case; "half-block" and "chafa" too); nil for anything else.
    public init?(option: String) {
        let value = option.lowercased()
        if let kind = PreviewAdapterKind(rawValue: value) { self = kind; return }
        if value == "half-block" || value == "half" { self = .halfBlock; return }
        if value == "chafa" || value == "symbol" { self = .symbols; return }
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
        case .symbols:
            return SymbolAdapter(colorDepth: capabilities.colorDepth)
        case .halfBlock:
            return HalfBlockAdapter(colorDepth: capabilities.colorDepth >= .trueColor ? .trueColor : .xterm256)
        case .ascii:
            return AsciiAdapter(darkBackground: darkBackground)
        }
    }

    /// "sixel", "kitty", "symbols", "halfblock", "ascii".
    public var description: String { rawValue }
}

/// How a kind of preview is best used: what the interface and the renderer ask of it.
public struct PreviewPolicy: Equatable, Sendable {
    /// Whether a quick (small, blurry) pass is worth showing before the full one: false where
    /// encoding costs as much for a small picture as for a large one (sixel, kitty), so the
    /// quick picture would only flash a pale, different-looking image for a moment.
    public var showsQuickPasses: Bool
    /// Whether the picture uses the terminal's 256-colour palette, so the theme must not
    /// redefine palette entries (exact theme colours are used only when this is false).
    public var usesPalette: Bool

    /// Whether the bytes are framed as a synchronized update (mode 2026). False for kitty: a
    /// picture larger than kitty's pending-mode buffer ends the mode early, and the closing mark
    /// then logs "Pending mode stop command issued while not in pending mode".
    public var synchronizedUpdate: Bool

    /// A policy.
    public init(showsQuickPasses: Bool, usesPalette: Bool, synchronizedUpdate: Bool = true) {
        self.showsQuickPasses = showsQuickPasses
        self.usesPalette = usesPalette
        self.synchronizedUpdate = synchronizedUpdate
    }
}

/// Draws an image into a rectangle of cells with escape sequences written straight to the
/// terminal, after ncurses has refreshed the screen with that rectangle left blank.
///
/// The returned bytes position the cursor themselves (absolute `CSI row;col H`) and leave the
/// SGR state reset; `PreviewWriter` frames them and owns what is on screen. The image keeps its
/// aspect ratio, is centred and letterboxed.
public protocol PreviewAdapter {
    /// Which kind of adapter this is.
    var kind: PreviewAdapterKind { get }
    /// How the interface should use it.
    var policy: PreviewPolicy { get }
    /// What the status bar calls it ("sixel", "half-block truecolor").
    var name: String { get }
    /// Samples (picture pixels) per cell on each axis for cells of `cellPixels` screen pixels:
    /// screen pixels for sixel and kitty, 1x2 for half blocks, 1x1 for characters.
    func samplesPerCell(_ cellPixels: CellPixelSize) -> (x: Int, y: Int)
    /// The bytes that draw `image` fitted into `rect`, for cells of `cellPixels` screen pixels.
    /// Empty when the rectangle is empty.
    func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize) -> [UInt8]
    /// The same bytes handed to `emit` in pieces as they are made, so the terminal can read the
    /// first while the rest is encoded (sixel: a few bands at a time); the default hands them whole.
    func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize, emit: ([UInt8]) -> Void)
    /// The cells a `width` x `height` picture drawn into `rect` covers (the letterbox is not covered).
    func footprint(width: Int, height: Int, in rect: CellRect, cellPixels: CellPixelSize) -> CellRect
    /// The bytes that remove a picture that text written over its cells does not remove
    /// (kitty deletes its image); empty for the others.
    func erase(_ rect: CellRect) -> [UInt8]
}

extension PreviewAdapter {
    /// The kind's name.
    public var name: String { kind.rawValue }

    /// The cells `ImageFit` covers with `samplesPerCell`, rounded outwards to whole cells.
    public func footprint(width: Int, height: Int, in rect: CellRect, cellPixels: CellPixelSize) -> CellRect {
        let samples = samplesPerCell(cellPixels)
        guard let fit = ImageFit.fitting(imageWidth: width, imageHeight: height, columns: rect.columns, rows: rect.rows,
                                         cellPixels: cellPixels, samplesPerCell: samples) else {
            return CellRect(row: rect.row, column: rect.column, columns: 0, rows: 0)
        }
        let left = fit.x / samples.x, top = fit.y / samples.y
        let right = (fit.x + fit.width + samples.x - 1) / samples.x
        let bottom = min(rect.rows, (fit.y + fit.height + samples.y - 1) / samples.y)
        return CellRect(row: rect.row + top, column: rect.column + left, columns: right - left, rows: bottom - top)
    }

    /// `draw(_:in:cellPixels:)` in one piece (none when it is empty).
    public func draw(_ image: RGBImage, in rect: CellRect, cellPixels: CellPixelSize, emit: ([UInt8]) -> Void) {
        let bytes = draw(image, in: rect, cellPixels: cellPixels)
        if !bytes.isEmpty { emit(bytes) }
    }

    /// Text written over the picture's cells replaces it: nothing to send.
    public func erase(_ rect: CellRect) -> [UInt8] { [] }
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

extension TerminalCapabilities {
    /// Whether a 16-colour terminal really shows colour (the Linux console, screen, "-color"
    /// terminals), unlike vt100, dumb or an unset TERM.
    var hasBasicColours: Bool {
        ["linux", "screen", "ansi", "rxvt", "cygwin", "putty", "konsole"].contains { term.hasPrefix($0) } || term.contains("color")
    }
}
