import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the screen could not start.
public enum TerminalScreenError: Error, Equatable, CustomStringConvertible {
    /// Another `TerminalScreen` is running (ncurses drives one terminal per process here).
    case alreadyActive
    /// Input or output is not a terminal (piped, redirected, or run from CI).
    case notATerminal
    /// ncurses does not know the terminal type.
    case unknownTerminal(String)

    /// One line for stderr.
    public var description: String {
        switch self {
        case .alreadyActive:
            return "the terminal screen is already running"
        case .notATerminal:
            return "not a terminal: run atelier in an interactive terminal, not with redirected input or output"
        case let .unknownTerminal(term):
            return "ncurses does not know TERM=\(term.isEmpty ? "(unset)" : term); set TERM to e.g. xterm-256color"
        }
    }
}

/// The ncurses front: owns the terminal from `start` to `stop`, turns input into `KeyEvent`s and
/// offers the drawing primitives the app's panes use (see `TerminalScreen+Drawing.swift`).
///
/// Set-up: UTF-8 locale, cbreak, no echo, keypad, hidden cursor, input with a short timeout (so
/// the app loop can poll render results), the theme's colours as colour pairs, optional mouse.
/// The terminal is restored by `stop`, at exit, and on SIGINT/SIGTERM/SIGHUP/SIGQUIT (exit
/// status 128 + signal) and crashes. SIGWINCH arrives as `.resize` with `size` updated.
/// One screen at a time; use it from one thread.
///
/// A frame loop:
///
///     let caps = TerminalCapabilities.detect(environment: env, tty: ControllingTerminal.open())
///     let screen = try TerminalScreen.start(theme: theme, options: .init(mouse: true))
///     defer { screen.stop() }
///     let kind = graphicsOption.flatMap(PreviewAdapterKind.init(option:)) ?? .best(for: caps)
///     let preview = PreviewWriter(adapter: kind.makeAdapter(for: caps), cellPixels: caps.cellPixels)
///     while running {
///         if let event = screen.nextEvent() {          // nil after the input timeout
///             if event == .resize {
///                 preview.invalidate()
///                 if let cell = screen.measuredCellPixels() { preview.cellPixels = cell }
///             }
///             handle(event)
///         }
///         screen.clear()
///         if !screen.drawTooSmallNotice(minimum: CellSize(columns: 80, rows: 24)) {
///             screen.box(paneRect, title: "Styles", focused: true)   // ... the panes
///         }
///         screen.refresh()
///         preview.show(image, in: previewRect)          // writes only when something changed
///     }
public final class TerminalScreen {
    /// Start-up settings.
    public struct Options: Sendable {
        /// Report mouse presses as `.mouse` events.
        public var mouse: Bool
        /// How long `nextEvent` waits for input before returning nil.
        public var inputTimeoutMilliseconds: Int
        /// How long after Escape to wait for the rest of an escape sequence.
        public var escapeDelayMilliseconds: Int
        /// Redefine palette entries to the theme's exact colours when the terminal allows it
        /// (`can_change_color`, 256+ colours). It changes the terminal's palette for the session
        /// (restored at exit), which also shifts a 256-colour half-block preview: use it only with
        /// truecolor, sixel or kitty previews.
        public var exactColors: Bool
        /// Terminal input and output (standard input/output by default; a pty in tests).
        public var inputDescriptor: Int32
        /// See `inputDescriptor`.
        public var outputDescriptor: Int32
        /// Terminal type for ncurses; nil uses $TERM.
        public var terminalType: String?
        /// Report the first Ctrl-C (SIGINT) as the key `.ctrl("c")` instead of exiting, so the
        /// program can ask first; a second one before it is read exits as usual (130).
        public var interruptAsKey = false

        /// Defaults: no mouse, 50 ms input timeout, 25 ms escape delay, nearest palette colours.
        public init(mouse: Bool = false, inputTimeoutMilliseconds: Int = 50, escapeDelayMilliseconds: Int = 25,
                    exactColors: Bool = false, inputDescriptor: Int32 = STDIN_FILENO,
                    outputDescriptor: Int32 = STDOUT_FILENO, terminalType: String? = nil) {
            self.mouse = mouse
            self.inputTimeoutMilliseconds = inputTimeoutMilliseconds
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
            self.exactColors = exactColors
            self.inputDescriptor = inputDescriptor
            self.outputDescriptor = outputDescriptor
            self.terminalType = terminalType
        }
    }

    /// The screen size in cells (updated on `.resize`).
    public internal(set) var size: CellSize
    /// The theme whose colours are in use.
    public private(set) var theme: Theme
    /// Colours ncurses reports for the terminal (8, 16, 256, ...); 0 for monochrome.
    public let colorCount: Int
    /// True when the locale is UTF-8, so box drawing and block characters can be shown.
    public let unicode: Bool
    /// The options the screen was started with.
    public let options: Options

    private var screen: OpaquePointer?
    private var inputFile: UnsafeMutablePointer<FILE>?
    private var outputFile: UnsafeMutablePointer<FILE>?
    private var colorNumbers: [ThemeRole: Int16] = [:]
    private var pairs: [PairKey: Int16] = [:]
    private var pairOrder: [PairKey] = []
    /// Pairs of palette entries for cells coloured directly (`colorCells`), by fg << 16 | bg.
    private var palettePairs: [Int32: Int16] = [:]
    private var stopped = false

    nonisolated(unsafe) private static var active = false
    nonisolated(unsafe) private static var exitHookInstalled = false

    private struct PairKey: Hashable { var foreground: ThemeRole; var background: ThemeRole }

    /// Takes over the terminal. Call `TerminalCapabilities.detect` before this.
    public static func start(theme: Theme, options: Options = Options()) throws -> TerminalScreen {
        guard !active else { throw TerminalScreenError.alreadyActive }
        guard isatty(options.inputDescriptor) == 1, isatty(options.outputDescriptor) == 1 else {
            throw TerminalScreenError.notATerminal
        }
        let unicode = Self.selectUTF8Locale()
        var shellModes = termios()
        let haveModes = tcgetattr(options.inputDescriptor, &shellModes) == 0

        let term = options.terminalType ?? getenv("TERM").map { String(cString: $0) } ?? ""
        guard let output = fdopen(dup(options.outputDescriptor), "w"),
              let input = fdopen(dup(options.inputDescriptor), "r") else { throw TerminalScreenError.notATerminal }
        guard let screen = newterm(term.isEmpty ? nil : term, output, input) else {
            fclose(output); fclose(input)
            throw TerminalScreenError.unknownTerminal(term)
        }
        set_term(screen)
        active = true
        // Pictures are written beside ncurses: no insert/delete of lines or characters under them
        // (scroll regions cannot be turned off; the preview writer's caller repaints whole lines
        // whenever rows move, see `PreviewWriter`).
        idlok(stdscr, false)
        idcok(stdscr, false)

        cbreak()
        noecho()
        keypad(stdscr, true)
        defineCommonKeys()
        _ = set_escdelay(Int32(max(1, options.escapeDelayMilliseconds)))
        wtimeout(stdscr, Int32(max(0, options.inputTimeoutMilliseconds)))
        curs_set(0)
        leaveok(stdscr, true)
        if has_colors() { start_color() }
        var reset: [UInt8] = []
        if options.mouse {
            let presses: UInt = 0b00110 | 0b00110 << 5 | 0b00110 << 10 | 0b00010 << 15 | 0b00010 << 20
            _ = mousemask(mmask_t(presses), nil)
            _ = mouseinterval(0)
            reset += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l".utf8)
        }

        let colorCount = has_colors() ? Int(COLORS) : 0
        let instance = TerminalScreen(screen: screen, input: input, output: output, theme: theme,
                                      colorCount: colorCount, unicode: unicode, options: options)
        for capability in ["sgr0", "cnorm", "rmkx", "rmcup"] + (options.exactColors ? ["oc"] : []) {
            reset += Self.terminfoString(capability)
        }
        TerminalRestore.arm(reset: reset, outputFD: options.outputDescriptor, inputFD: options.inputDescriptor,
                            shellModes: haveModes ? shellModes : nil, interruptAsKey: options.interruptAsKey)
        if !exitHookInstalled {
            exitHookInstalled = true
            atexit { TerminalScreen.restoreAtExit() }
        }
        current = instance
        instance.applyTheme(theme)
        return instance
    }

    nonisolated(unsafe) private static var current: TerminalScreen?

    private init(screen: OpaquePointer, input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>,
                 theme: Theme, colorCount: Int, unicode: Bool, options: Options) {
        self.screen = screen
        self.inputFile = input
        self.outputFile = output
        self.theme = theme
        self.colorCount = colorCount
        self.unicode = unicode
        self.options = options
        self.size = CellSize(columns: Int(getmaxx(stdscr)), rows: Int(getmaxy(stdscr)))
    }

    deinit { stop() }

    /// The cell size in pixels as the kernel reports it now (TIOCGWINSZ on the output), or nil
    /// when the terminal does not report pixels. Call it on `.resize`: a font change resizes too.
    public func measuredCellPixels() -> CellPixelSize? {
        var ws = winsize()
        guard ioctl(options.outputDescriptor, UInt(TIOCGWINSZ), &ws) == 0 else { return nil }
        return TerminalCapabilities.cellPixels(from: TerminalWindowSize(
            columns: Int(ws.ws_col), rows: Int(ws.ws_row), pixelWidth: Int(ws.ws_xpixel), pixelHeight: Int(ws.ws_ypixel)))
    }

    /// Gives the terminal back: leaves the alternate screen, restores modes, colours and the
    /// signal handlers. Safe to call more than once.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        if let inputFile { fclose(inputFile) }
        if let outputFile { fclose(outputFile) }
        inputFile = nil
        outputFile = nil
        TerminalRestore.disarm()
        Self.active = false
        if Self.current === self { Self.current = nil }
    }

    private static func restoreAtExit() {
        guard active, let screen = current else { return }
        screen.stop()
    }

    // MARK: Colours

    /// Switches to `theme`: every colour pair is redefined and the whole screen repainted on the
    /// next `refresh`.
    public func applyTheme(_ theme: Theme) {
        self.theme = theme
        colorNumbers = [:]
        let roles = ThemeRole.allCases
        let exact = exactColorsInUse
        for (i, role) in roles.enumerated() {
            let c = theme[role]
            if exact {
                let slot = Int16(colorCount - roles.count + i)
                init_color(slot, Int16(Int(c.red) * 1000 / 255), Int16(Int(c.green) * 1000 / 255),
                           Int16(Int(c.blue) * 1000 / 255))
                colorNumbers[role] = slot
            } else {
                colorNumbers[role] = Int16(XtermPalette.nearest(c, amongFirst: colorCount))
            }
        }
        for key in pairOrder { definePair(key) }
        var blank = cchar_t()
        let space: [wchar_t] = [32, 0]
        setcchar(&blank, space, 0, pairNumber(CellStyle.text), nil)
        wbkgrndset(stdscr, &blank)
        clearok(curscr, true)
    }

    /// Attributes and pair for `style`.
    func attributes(_ style: CellStyle) -> (attr_t, Int16) {
        var attrs: attr_t = 0
        if style.bold { attrs |= 1 << 21 }        // A_BOLD
        if style.underline { attrs |= 1 << 17 }   // A_UNDERLINE
        if style.reverse { attrs |= 1 << 18 }     // A_REVERSE
        if colorCount == 0 && style.background != .background { attrs |= 1 << 18 }
        return (attrs, pairNumber(style))
    }

    private func pairNumber(_ style: CellStyle) -> Int16 {
        guard colorCount > 0 else { return 0 }
        let key = PairKey(foreground: style.foreground, background: style.background)
        if let n = pairs[key] { return n }
        let n = pairOrder.count + palettePairs.count + 1
        guard n < Int(COLOR_PAIRS), n <= Int(Int16.max) else { return 0 }
        pairs[key] = Int16(n)
        pairOrder.append(key)
        definePair(key)
        return Int16(n)
    }

    private func definePair(_ key: PairKey) {
        guard let n = pairs[key], var fg = colorNumbers[key.foreground], let bg = colorNumbers[key.background] else { return }
        if fg == bg && theme[key.foreground] != theme[key.background] && !exactColorsInUse {
            // Distinct theme colours that land on one palette entry: keep the text visible.
            fg = Int16(XtermPalette.nearest(theme[key.foreground], amongFirst: colorCount, excluding: Int(bg)))
        }
        init_pair(n, fg, bg)
    }

    /// The pair showing palette entries nearest `foreground` on `background` (entries the theme
    /// redefined are avoided); nil when the terminal has no colours or no pairs are left.
    func palettePair(_ foreground: TrueColor, on background: TrueColor) -> Int16? {
        guard colorCount >= 8 else { return nil }
        let usable = exactColorsInUse ? colorCount - ThemeRole.allCases.count : colorCount
        let fg = Int16(XtermPalette.nearest(foreground, amongFirst: usable))
        let bg = Int16(XtermPalette.nearest(background, amongFirst: usable))
        let key = Int32(fg) << 16 | Int32(bg)
        if let n = palettePairs[key] { return n }
        let n = pairOrder.count + palettePairs.count + 1
        guard n < Int(COLOR_PAIRS), n <= Int(Int16.max) else { return nil }
        init_pair(Int16(n), fg, bg)
        palettePairs[key] = Int16(n)
        return Int16(n)
    }

    private var exactColorsInUse: Bool { options.exactColors && can_change_color() && colorCount >= 256 }

    // MARK: Set-up helpers

    /// Selects the user's locale; when it is not UTF-8, tries C.UTF-8 for character handling.
    private static func selectUTF8Locale() -> Bool {
        setlocale(LC_ALL, "")
        if isUTF8() { return true }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            if isUTF8() { return true }
        }
        return false
    }

    private static func isUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// A terminfo string capability for the current terminal, empty when absent.
    private static func terminfoString(_ name: String) -> [UInt8] {
        let value = name.withCString { tigetstr($0) }
        guard let value, Int(bitPattern: value) != -1 else { return [] }
        return Array(String(cString: value).utf8)
    }
}
