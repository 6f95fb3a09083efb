import CNcursesw

/// A mouse button or wheel movement.
public enum MouseButton: Equatable, Hashable, Sendable {
    /// Left button.
    case left
    /// Middle button.
    case middle
    /// Right button.
    case right
    /// Wheel turned up (away from the user).
    case scrollUp
    /// Wheel turned down.
    case scrollDown
}

/// A mouse press at a screen cell (0-based row and column).
public struct MouseEvent: Equatable, Hashable, Sendable {
    /// Row of the cell under the pointer.
    public var row: Int
    /// Column of the cell under the pointer.
    public var column: Int
    /// Which button.
    public var button: MouseButton

    /// A press of `button` at (`row`, `column`).
    public init(row: Int, column: Int, button: MouseButton) {
        self.row = row
        self.column = column
        self.button = button
    }

    /// The event for ncurses' button state `bstate` (presses and clicks only; releases and
    /// motion give nil). Masks are those of NCURSES_MOUSE_VERSION 2.
    public static func decode(buttonState bstate: UInt, row: Int, column: Int) -> MouseEvent? {
        // NCURSES_MOUSE_MASK(b, m) = m << ((b - 1) * 5); PRESSED = 2, CLICKED = 4.
        func pressed(_ button: Int) -> Bool { bstate & (UInt(2 | 4) << ((button - 1) * 5)) != 0 }
        let button: MouseButton
        if pressed(1) { button = .left }
        else if pressed(2) { button = .middle }
        else if pressed(3) { button = .right }
        else if pressed(4) { button = .scrollUp }
        else if pressed(5) { button = .scrollDown }
        else { return nil }
        return MouseEvent(row: row, column: column, button: button)
    }
}

/// A key press (or resize, or mouse press), normalised from what ncurses reports.
///
/// Control characters become `.ctrl` with a lower-case letter (Ctrl-A is `.ctrl("a")`), except
/// the ones with names of their own: Tab (Ctrl-I), Enter (Ctrl-J, Ctrl-M), Escape (Ctrl-[) and
/// Backspace (Ctrl-H, DEL). Ctrl-C, Ctrl-Z, Ctrl-\ and usually Ctrl-S/Ctrl-Q are taken by the
/// terminal driver (signals, flow control) and never arrive.
public enum KeyEvent: Equatable, Hashable, Sendable {
    /// A printable character (any script, emoji included).
    case character(Character)
    /// Control plus a letter or one of ` [\]^_` (lower-case letters: `.ctrl("a")`).
    case ctrl(Character)
    /// Alt (Meta) plus a printable character: Escape immediately followed by it.
    case alt(Character)
    /// Arrow up.
    case up
    /// Arrow down.
    case down
    /// Arrow left.
    case left
    /// Arrow right.
    case right
    /// Shift + arrow left.
    case shiftLeft
    /// Shift + arrow right.
    case shiftRight
    /// Home.
    case home
    /// End.
    case end
    /// Page up.
    case pageUp
    /// Page down.
    case pageDown
    /// Insert.
    case insert
    /// Delete (forward).
    case delete
    /// Tab.
    case tab
    /// Shift + Tab.
    case backtab
    /// Enter / Return.
    case enter
    /// Escape on its own.
    case escape
    /// Backspace.
    case backspace
    /// Function key F1-F24 (`.function(1)` is F1).
    case function(Int)
    /// The terminal changed size (or the program was resumed): redraw everything.
    case resize
    /// A mouse press (only when the screen was started with mouse support).
    case mouse(MouseEvent)

    /// The event for a character code from `wget_wch` (it returned OK); nil for codes that
    /// cannot be shown or named.
    public static func decode(character code: UInt32) -> KeyEvent? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return .ctrl(" ")
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(96 + code))))
        case 28: return .ctrl("\\")
        case 29: return .ctrl("]")
        case 30: return .ctrl("^")
        case 31: return .ctrl("_")
        default:
            guard code >= 32, code != 127, !(0x80..<0xA0).contains(code),
                  let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// The event for a key code from `wget_wch` (it returned KEY_CODE_YES); nil for keys with no
    /// event (and for KEY_MOUSE, which needs `getmouse`).
    public static func decode(keyCode code: Int32) -> KeyEvent? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_SLEFT: return .shiftLeft
        case KEY_SRIGHT: return .shiftRight
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BTAB: return .backtab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_RESIZE: return .resize
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    /// A short human name for help screens: "a", "Ctrl-A", "Alt-x", "Up", "F5", "Shift-Tab".
    public var name: String {
        switch self {
        case let .character(c): return c == " " ? "Space" : String(c)
        case let .ctrl(c): return "Ctrl-" + String(c).uppercased()
        case let .alt(c): return "Alt-" + String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .shiftLeft: return "Shift-Left"
        case .shiftRight: return "Shift-Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backtab: return "Shift-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case let .function(n): return "F\(n)"
        case .resize: return "Resize"
        case let .mouse(m): return "Mouse \(m.button) at \(m.row),\(m.column)"
        }
    }
}
