#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Imaging

/// Puts the terminal back the way the shell had it when the program dies by a signal: the
/// handlers write a prepared reset sequence (leave the alternate screen, show the cursor, reset
/// attributes, keypad and mouse reporting off) and restore the saved termios. Only
/// async-signal-safe calls (write, tcsetattr, _exit, signal, raise) are made in the handlers.
///
/// - SIGINT with `interruptAsKey` on: the first one is only remembered (the screen reports it
///   as the key Ctrl-C, so the program can ask before quitting); one more before the program
///   took it restores and exits as below (a program that stopped reading keys still quits).
/// - SIGINT, SIGTERM, SIGHUP, SIGQUIT: restore, remove the half-written files registered with
///   `TemporaryFiles` (an export's temporaries and mask), then exit with status 128 + signal.
/// - SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE (crashes, Swift runtime traps such as
///   fatalError): restore, then die by the same signal with its default action (core dumps stay).
/// - SIGCONT: remember that the program was resumed, so the screen reports a `.resize`.
enum TerminalRestore {
    /// Everything the handlers touch, allocated once and never freed (no allocation in handlers).
    struct State {
        var armed: Int32 = 0
        var resumed: Int32 = 0
        var interruptAsKey: Int32 = 0
        var interrupted: Int32 = 0
        var outputFD: Int32 = STDOUT_FILENO
        var inputFD: Int32 = STDIN_FILENO
        var haveTermios: Int32 = 0
        var shellModes = termios()
        var count: Int = 0
        var bytes: UnsafeMutablePointer<UInt8> = .allocate(capacity: capacity)
    }

    /// Room for the reset sequence.
    static let capacity = 1024

    static let state: UnsafeMutablePointer<State> = {
        let p = UnsafeMutablePointer<State>.allocate(capacity: 1)
        p.initialize(to: State())
        return p
    }()

    static let exitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    private static var previous: [Int32: sighandler_t?] = [:]

    /// Prepares the reset bytes and saved terminal modes, then installs the handlers.
    static func arm(reset: [UInt8], outputFD: Int32, inputFD: Int32, shellModes: termios?, interruptAsKey: Bool = false) {
        let s = state
        let count = min(reset.count, capacity)
        for i in 0..<count { s.pointee.bytes[i] = reset[i] }
        s.pointee.count = count
        s.pointee.outputFD = outputFD
        s.pointee.inputFD = inputFD
        if let shellModes { s.pointee.shellModes = shellModes; s.pointee.haveTermios = 1 } else { s.pointee.haveTermios = 0 }
        s.pointee.resumed = 0
        s.pointee.interrupted = 0
        s.pointee.interruptAsKey = interruptAsKey ? 1 : 0
        s.pointee.armed = 1
        for sig in exitSignals { previous[sig] = signal(sig, onExitSignal) }
        for sig in fatalSignals { previous[sig] = signal(sig, onFatalSignal) }
        previous[SIGCONT] = signal(SIGCONT, onContinue)
    }

    /// Normal shutdown: the handlers are no longer needed; the previous ones come back.
    static func disarm() {
        state.pointee.armed = 0
        for (sig, handler) in previous { signal(sig, handler ?? SIG_DFL) }
        previous = [:]
    }

    /// True once after the program was resumed (SIGCONT) since the last call.
    static func takeResumed() -> Bool {
        guard state.pointee.resumed != 0 else { return false }
        state.pointee.resumed = 0
        return true
    }

    /// True once after a SIGINT that `interruptAsKey` turned into a key.
    static func takeInterrupt() -> Bool {
        guard state.pointee.interrupted != 0 else { return false }
        state.pointee.interrupted = 0
        return true
    }

    /// Writes the reset bytes and restores termios, once. Async-signal-safe.
    static func restoreNow() {
        let s = state
        guard s.pointee.armed != 0 else { return }
        s.pointee.armed = 0
        var written = 0
        while written < s.pointee.count {
            let n = write(s.pointee.outputFD, s.pointee.bytes + written, s.pointee.count - written)
            if n <= 0 { break }
            written += n
        }
        if s.pointee.haveTermios != 0 { _ = tcsetattr(s.pointee.inputFD, TCSANOW, &s.pointee.shellModes) }
    }
}

private let onExitSignal: @convention(c) (Int32) -> Void = { sig in
    let s = TerminalRestore.state
    if sig == SIGINT && s.pointee.armed != 0 && s.pointee.interruptAsKey != 0 && s.pointee.interrupted == 0 {
        s.pointee.interrupted = 1  // read as Ctrl-C by the next `nextEvent` (poll returns EINTR)
        return
    }
    TerminalRestore.restoreNow()
    TemporaryFiles.removeAllNow()
    _exit(128 + sig)
}

private let onFatalSignal: @convention(c) (Int32) -> Void = { sig in
    TerminalRestore.restoreNow()
    signal(sig, SIG_DFL)
    raise(sig)  // delivered with the default action as soon as the handler returns
}

private let onContinue: @convention(c) (Int32) -> Void = { _ in
    TerminalRestore.state.pointee.resumed = 1
}
