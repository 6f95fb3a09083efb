/// How many colours a terminal shows in escape sequences written straight to it.
public enum ColorDepth: Int, Comparable, Sendable, CustomStringConvertible {
    /// The 8/16 ANSI colours only (Linux console, vt100, `TERM=screen` without 256 colours).
    case basic = 16
    /// The xterm 256-colour palette (`SGR 38;5;n`).
    case xterm256 = 256
    /// 24-bit colour (`SGR 38;2;r;g;b`).
    case trueColor = 16_777_216

    /// Fewer colours sort first.
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// "16 colours", "256 colours", "truecolor".
    public var description: String {
        switch self {
        case .basic: return "16 colours"
        case .xterm256: return "256 colours"
        case .trueColor: return "truecolor"
        }
    }
}

/// A terminal multiplexer between the program and the real terminal.
public enum Multiplexer: String, Sendable {
    /// tmux ($TMUX, TERM=tmux*, TERM_PROGRAM=tmux).
    case tmux
    /// GNU screen ($STY, TERM=screen* outside tmux).
    case screen
}

/// What the terminal can do, found out once at start-up, before ncurses takes the terminal.
public struct TerminalCapabilities: Equatable, Sendable, CustomStringConvertible {
    /// $TERM ("" when unset).
    public var term: String
    /// $TERM_PROGRAM, when set (e.g. "WezTerm", "iTerm.app", "tmux").
    public var program: String?
    /// The multiplexer in between, if any. Sixel and kitty images need it to pass them through.
    public var multiplexer: Multiplexer?
    /// Colours available to escape sequences written directly (the graphics adapters).
    public var colorDepth: ColorDepth
    /// The terminal draws sixel graphics (DA1 attribute 4). Inside tmux this is tmux's own answer,
    /// so it is true only for a tmux that itself renders sixel (3.4+ built with sixel).
    public var sixel: Bool
    /// Number of sixel colour registers (XTSMGRAPHICS), nil when the terminal did not say.
    public var sixelColorRegisters: Int?
    /// The terminal speaks the kitty graphics protocol (query answered OK, or kitty/WezTerm/ghostty).
    public var kittyGraphics: Bool
    /// Size of one cell in pixels (TIOCGWINSZ, else `CSI 16 t`, else 10x20).
    public var cellPixels: CellPixelSize
    /// True when the terminal answered the DA1 query (so it is a live terminal, not a pipe).
    public var answeredQueries: Bool

    /// Capabilities given directly (tests, `--graphics` experiments).
    public init(term: String, program: String? = nil, multiplexer: Multiplexer? = nil,
                colorDepth: ColorDepth, sixel: Bool = false, sixelColorRegisters: Int? = nil,
                kittyGraphics: Bool = false, cellPixels: CellPixelSize = .fallback,
                answeredQueries: Bool = false) {
        self.term = term
        self.program = program
        self.multiplexer = multiplexer
        self.colorDepth = colorDepth
        self.sixel = sixel
        self.sixelColorRegisters = sixelColorRegisters
        self.kittyGraphics = kittyGraphics
        self.cellPixels = cellPixels
        self.answeredQueries = answeredQueries
    }

    /// Detects the terminal from `environment` and, when `tty` is given, by asking it (DA1 for
    /// sixel, the kitty graphics query, XTSMGRAPHICS, `CSI 16 t`) with a short timeout each round.
    /// Call once, before `TerminalScreen.start`. Never hangs: a silent terminal costs one timeout.
    public static func detect(environment: [String: String],
                              tty: (any TerminalQueryChannel)?,
                              timeoutMilliseconds: Int = 100) -> TerminalCapabilities {
        var caps = fromEnvironment(environment)
        guard let tty else { return caps }

        let window = tty.windowSize()
        if let window, let cell = cellPixels(from: window) { caps.cellPixels = cell }
        let askCellSize = window.flatMap(cellPixels(from:)) == nil

        var request: [UInt8] = []
        if caps.multiplexer == nil {
            // Kitty graphics query: a 1x1 RGB image that is checked, not stored (a=q).
            request += Array("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\".utf8)
        }
        if askCellSize { request += Array("\u{1B}[16t\u{1B}[14t".utf8) }
        request += Array("\u{1B}[c".utf8)  // DA1 last: every terminal answers it
        var replies = TerminalReplies(parsing: tty.exchange(request, timeoutMilliseconds: timeoutMilliseconds,
                                                            until: TerminalReplies.containsPrimaryAttributes))
        if replies.reportsSixel {
            // Only sixel terminals are asked for their colour registers: to others, CSI ? ... S
            // is unknown and a careless one might scroll.
            let second = TerminalReplies(parsing: tty.exchange(Array("\u{1B}[?1;1;0S\u{1B}[c".utf8),
                                                               timeoutMilliseconds: timeoutMilliseconds,
                                                               until: TerminalReplies.containsPrimaryAttributes))
            replies.sixelColorRegisters = second.sixelColorRegisters
        }
        caps.apply(replies, window: window)
        return caps
    }

    /// The part of detection that needs no terminal: $TERM, $COLORTERM, $TMUX, $STY,
    /// $KITTY_WINDOW_ID, $TERM_PROGRAM.
    public static func fromEnvironment(_ environment: [String: String]) -> TerminalCapabilities {
        let term = environment["TERM"] ?? ""
        let program = environment["TERM_PROGRAM"].flatMap { $0.isEmpty ? nil : $0 }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()

        var multiplexer: Multiplexer?
        if environment["TMUX"].map({ !$0.isEmpty }) == true || term.hasPrefix("tmux") || program == "tmux" {
            multiplexer = .tmux
        } else if environment["STY"].map({ !$0.isEmpty }) == true || term.hasPrefix("screen") {
            multiplexer = .screen
        }

        let kittyLike = environment["KITTY_WINDOW_ID"].map { !$0.isEmpty } == true || term == "xterm-kitty"
            || ["WezTerm", "ghostty"].contains(program ?? "") || term == "xterm-ghostty"
        let trueColorTerms = ["xterm-kitty", "foot", "foot-extra", "alacritty", "wezterm", "xterm-ghostty", "contour"]
        let trueColorPrograms = ["iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Apple_Terminal_truecolor"]

        let depth: ColorDepth
        if colorterm == "truecolor" || colorterm == "24bit" || term.hasSuffix("-direct")
            || trueColorTerms.contains(term) || trueColorPrograms.contains(program ?? "") || kittyLike {
            depth = .trueColor
        } else if term.contains("256") || multiplexer == .tmux || term.hasPrefix("xterm")
                    || term.hasPrefix("rxvt-unicode") || term.hasPrefix("konsole") || term.hasPrefix("gnome")
                    || term.hasPrefix("mlterm") || term.hasPrefix("putty") {
            depth = .xterm256
        } else {
            depth = .basic  // linux console, vt100/vt220, plain "screen", dumb, unset
        }

        return TerminalCapabilities(term: term, program: program, multiplexer: multiplexer,
                                    colorDepth: depth, kittyGraphics: kittyLike && multiplexer == nil)
    }

    /// Folds the terminal's answers in.
    mutating func apply(_ replies: TerminalReplies, window: TerminalWindowSize?) {
        answeredQueries = replies.primaryAttributes != nil
        sixel = replies.reportsSixel && multiplexer != .screen
        sixelColorRegisters = replies.sixelColorRegisters
        if let answer = replies.kittyGraphics, multiplexer == nil { kittyGraphics = answer }
        if let window, Self.cellPixels(from: window) != nil { return }
        if let cell = replies.cellPixels, Self.plausible(cell) {
            cellPixels = cell
        } else if let area = replies.textAreaPixels, let window, window.columns > 0, window.rows > 0 {
            let cell = CellPixelSize(width: area.width / window.columns, height: area.height / window.rows)
            if Self.plausible(cell) { cellPixels = cell }
        }
    }

    /// Cell size from the kernel's window size, when it reports pixels.
    static func cellPixels(from window: TerminalWindowSize) -> CellPixelSize? {
        guard window.columns > 0, window.rows > 0, window.pixelWidth > 0, window.pixelHeight > 0 else { return nil }
        let cell = CellPixelSize(width: window.pixelWidth / window.columns, height: window.pixelHeight / window.rows)
        return plausible(cell) ? cell : nil
    }

    private static func plausible(_ cell: CellPixelSize) -> Bool {
        (2...128).contains(cell.width) && (4...256).contains(cell.height)
    }

    /// One line for logs and `--version`-style reports, e.g.
    /// "xterm-256color, 256 colours, sixel (256 registers), cell 10x20px".
    public var description: String {
        var parts = [term.isEmpty ? "TERM unset" : term]
        if let multiplexer { parts.append("in \(multiplexer.rawValue)") }
        parts.append(colorDepth.description)
        if sixel { parts.append(sixelColorRegisters.map { "sixel (\($0) registers)" } ?? "sixel") }
        if kittyGraphics { parts.append("kitty graphics") }
        parts.append("cell \(cellPixels)")
        if !answeredQueries { parts.append("no query answers") }
        return parts.joined(separator: ", ")
    }
}
