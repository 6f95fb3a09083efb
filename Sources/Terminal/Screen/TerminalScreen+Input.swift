import CNcursesw

/// Input: keys, mouse presses and resizes as `KeyEvent`s.
extension TerminalScreen {
    /// Waits up to the input timeout for the next event; nil when nothing happened.
    public func nextEvent() -> KeyEvent? {
        if TerminalRestore.takeResumed() { return resized() }
        if TerminalRestore.takeInterrupt() { return .ctrl("c") }
        var code: wint_t = 0
        let result = wget_wch(stdscr, &code)
        if TerminalRestore.takeResumed() { return resized() }
        if TerminalRestore.takeInterrupt() { return .ctrl("c") }
        switch result {
        case KEY_CODE_YES:
            let key = Int32(bitPattern: UInt32(code))
            if key == KEY_RESIZE { return resized() }
            if key == KEY_MOUSE {
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                return MouseEvent.decode(buttonState: UInt(event.bstate), row: Int(event.y), column: Int(event.x))
                    .map(KeyEvent.mouse)
            }
            return KeyEvent.decode(keyCode: key)
        case OK:
            let key = KeyEvent.decode(character: UInt32(code))
            guard key == .escape else { return key }
            switch afterEscape() {
            case .nothing: return .escape
            case let .alt(c): return .alt(c)
            case .unknownSequence: return nil
            }
        default:
            return nil
        }
    }

    /// Changes how long `nextEvent` waits (0: do not wait; negative: wait forever).
    public func setInputTimeout(milliseconds: Int) {
        wtimeout(stdscr, Int32(clamping: milliseconds))
    }

    func resized() -> KeyEvent {
        size = CellSize(columns: Int(getmaxx(stdscr)), rows: Int(getmaxy(stdscr)))
        clearok(curscr, true)
        return .resize
    }

    /// What follows an Escape that ncurses did not match as a key: nothing (plain Escape), a
    /// printable character (Alt+key), or the rest of an unknown escape sequence, which is read and
    /// dropped so its bytes do not turn into keys.
    enum AfterEscape { case nothing, alt(Character), unknownSequence }

    func afterEscape() -> AfterEscape {
        wtimeout(stdscr, 0)
        defer { wtimeout(stdscr, Int32(max(0, options.inputTimeoutMilliseconds))) }
        var code: wint_t = 0
        guard wget_wch(stdscr, &code) == OK else { return .nothing }
        if code == 0x5B || code == 0x4F {  // CSI "[" or SS3 "O": swallow up to the final byte
            var count = 0
            while count < 32, wget_wch(stdscr, &code) == OK {
                count += 1
                if (0x40...0x7E).contains(code) { break }
            }
            return .unknownSequence
        }
        if [0x5F, 0x50, 0x5D, 0x5E].contains(code) {
            // APC, DCS, OSC, PM: terminal replies (kitty's "ESC _ G i=31;OK ESC \\", colour
            // reports) arriving late, never keys: read to the string terminator and drop them.
            // (Alt+_, Alt+P, Alt+], Alt+^ are given up for this.)
            wtimeout(stdscr, 50)
            var count = 0, previous: wint_t = 0
            while count < 65536, wget_wch(stdscr, &code) == OK {
                count += 1
                if code == 0x07 || (previous == 0x1B && code == 0x5C) { break }
                previous = code
            }
            return .unknownSequence
        }
        if case let .character(c)? = KeyEvent.decode(character: UInt32(code)) { return .alt(c) }
        unget_wch(wchar_t(bitPattern: UInt32(code)))
        return .nothing
    }

    /// Teaches ncurses the cursor and function key sequences of both keypad modes, since
    /// multiplexers and some terminals ignore the terminfo's keypad-transmit mode.
    static func defineCommonKeys() {
        let keys: [(String, Int32)] = [
            ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
            ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
            ("\u{1B}[H", KEY_HOME), ("\u{1B}[F", KEY_END), ("\u{1B}OH", KEY_HOME), ("\u{1B}OF", KEY_END),
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[4~", KEY_END), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[8~", KEY_END),
            ("\u{1B}[2~", KEY_IC), ("\u{1B}[3~", KEY_DC), ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE),
            ("\u{1B}[Z", KEY_BTAB), ("\u{1B}[1;2D", KEY_SLEFT), ("\u{1B}[1;2C", KEY_SRIGHT),
            ("\u{1B}OP", KEY_F0 + 1), ("\u{1B}OQ", KEY_F0 + 2), ("\u{1B}OR", KEY_F0 + 3), ("\u{1B}OS", KEY_F0 + 4),
            ("\u{1B}[11~", KEY_F0 + 1), ("\u{1B}[12~", KEY_F0 + 2), ("\u{1B}[13~", KEY_F0 + 3), ("\u{1B}[14~", KEY_F0 + 4),
        ]
        for (sequence, code) in keys where key_defined(sequence) <= 0 {
            define_key(sequence, code)
        }
    }
}
