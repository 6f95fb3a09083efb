#!/usr/bin/python3
"""Slider latency in a real graphics terminal (not a test; numbers for notes).

    latency_xterm.py BINARY HOME [--presses 20] [--model FAMILY] [--geometry 190x58] [--terminal xterm|kitty]

Starts Xvfb, runs `xterm -ti vt340` (sixel, 256 colour registers) or kitty (its graphics
protocol; Mesa's software OpenGL) at GEOMETRY cells with the workstation on the demo photo
(ATELIER_TRACE on), focuses the Controls and presses h / l alternately (alpha 0.95 <-> 1.00)
through the XTEST extension, as a keyboard would. Keys reach the workstation through the
terminal and its pty, the pictures go back through the terminal's parser to the X server, so the
measured path is the real one end to end.

For every press it reports:
- key -> final picture on screen: from the XTEST key press to the last change of the X
  window's pixels (two horizontal strips across the preview, grabbed every few ms from the X
  server, until 400 ms pass without a change after the workstation wrote the full picture);
  this includes the terminal parsing and painting the picture;
- key read -> full picture written (the workstation's own trace: `key` to `drawn gN full`),
  split into the full pass's render time (engine), the encoding, the write to the terminal
  and the rest (queueing, waiting for a core).
It also reports the size of the full picture's bytes and the CPU time the terminal process and
the X server spent per press (from /proc: what the terminal's parsing and painting cost, whatever
the machine's load; the X server's figure includes this script's strip grabs).
With kitty it also counts the lines kitty logged (e.g. "Pending mode stop command").

Needs Debian's xvfb, xterm (or kitty) and python3-xlib: `Scripts/install-deps.sh --bench`, then
run it with Debian's /usr/bin/python3 (a python3 from pyenv or a venv lacks python3-xlib).
"""
import os, statistics, subprocess, sys, tempfile, time

try:
    from Xlib import X, XK, display
    from Xlib.ext import xtest
except ImportError:
    raise SystemExit(f"latency_xterm.py: {sys.executable} has no python3-xlib; run Scripts/install-deps.sh --bench "
                     "and start this script with /usr/bin/python3")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tracelog import full_drawn, per_press, read, summary, wait_for  # noqa: E402


def terminal_window(d, name):
    """The terminal's top-level window (no window manager runs under Xvfb)."""
    for child in d.screen().root.query_tree().children:
        cls = child.get_wm_class()
        if cls and name in [c.lower() for c in cls]:
            return child
    return None


def strips(window, geometry):
    """Two bands of pixel rows at 40% and 60% of the window's height, over its right half: inside
    the preview pane, clear of the panes whose text changes with the slider."""
    h, w = geometry.height, geometry.width
    return [window.get_image(w // 2, int(h * f), w // 2 - 16, 8, X.ZPixmap, 0xFFFFFFFF).data for f in (0.4, 0.6)]


def cpu_ms(pid):
    """User + system CPU time of process `pid` so far, in milliseconds."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main():
    binary, home = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    opt = lambda name, default: sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default
    presses, model, geometry = int(opt("--presses", 20)), opt("--model", None), opt("--geometry", "190x58")
    terminal = opt("--terminal", "xterm")
    columns, rows = geometry.split("x")
    kitty_log = tempfile.mktemp(suffix=".kitty.log")
    number = 90 + os.getpid() % 100
    trace = tempfile.mktemp(suffix=".trace")
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "2560x1600x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    term = None
    try:
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{number}"):
                break
            time.sleep(0.05)
        env = dict(os.environ, DISPLAY=f":{number}")
        term_name = "xterm-kitty" if terminal == "kitty" else "xterm-256color"
        command = (f"env TERM={term_name} ATELIER_HOME={home} ATELIER_TRACE={trace} {binary} --demo"
                   + (f" --model {model}" if model else "") + "; sleep 600")
        if terminal == "kitty":
            env["LIBGL_ALWAYS_SOFTWARE"] = "1"
            term = subprocess.Popen(["kitty", "--config", "NONE", "-o", "remember_window_size=no",
                                     "-o", f"initial_window_width={columns}c", "-o", f"initial_window_height={rows}c",
                                     "sh", "-c", command], env=env,
                                    stdout=subprocess.DEVNULL, stderr=open(kitty_log, "w"))
        else:
            term = subprocess.Popen(["xterm", "-ti", "vt340", "-geometry", f"{geometry}+0+0",
                                     "-xrm", "XTerm*numColorRegisters: 256", "-xrm", "XTerm*decGraphicsID: vt340",
                                     "-e", "sh", "-c", command], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(trace, lambda e: e[1] == "drawn" and e[2][0].endswith("full"))
        d = display.Display(f":{number}")
        window = terminal_window(d, terminal)
        if window is None:
            raise SystemExit(f"no {terminal} window found")
        window.set_input_focus(X.RevertToParent, X.CurrentTime)
        d.sync()
        geo = window.get_geometry()
        start = [l for l in open(trace) if " start " in l]
        print(f"{terminal} {geometry} = {geo.width}x{geo.height} px; {start[0].split(' ', 2)[2].strip() if start else ''}")

        def press(name):
            code = d.keysym_to_keycode(XK.string_to_keysym(name))
            xtest.fake_input(d, X.KeyPress, code)
            xtest.fake_input(d, X.KeyRelease, code)
            d.sync()

        press("Tab")
        time.sleep(1.0)
        screen_times, terminal_cpu, server_cpu = [], [], []
        for i in range(presses):
            before = len(full_drawn(read(trace)))
            last = strips(window, geo)
            cpu_before = (cpu_ms(term.pid), cpu_ms(xvfb.pid))
            sent = time.time() * 1000
            press("h" if i % 2 == 0 else "l")
            changed, wrote = None, None
            end = time.time() + 10
            while time.time() < end:
                now_strips = strips(window, geo)
                now = time.time() * 1000
                if now_strips != last:
                    changed, last = now, now_strips
                if wrote is None and len(full_drawn(read(trace))) > before:
                    wrote = now
                if wrote is not None and now - max(wrote, changed or wrote) > 400:
                    break
                time.sleep(0.002)
            if changed is not None:
                screen_times.append(changed - sent)
            terminal_cpu.append(cpu_ms(term.pid) - cpu_before[0])
            server_cpu.append(cpu_ms(xvfb.pid) - cpu_before[1])
            time.sleep(0.3)
        d.close()
    finally:
        if term:
            term.terminate()
            term.wait()
        xvfb.terminate()
        xvfb.wait()
    events = read(trace)
    written, renders, encodes, writes, waits, sizes = [], [], [], [], [], []
    for (t, gen, after) in per_press(events):
        frame = next(((tt, float(r[2])) for (tt, k, r) in after if k == "frame" and r[0] == gen and r[1] == "full"), None)
        encoded = next(((tt, float(r[1])) for (tt, k, r) in after if k == "encoded" and r[0] == f"g{gen}full"), None)
        drawn = next(((tt, r) for (tt, k, r) in after if k == "drawn" and r[0] == f"g{gen}full"), None)
        if drawn:
            written.append(drawn[0] - t)
            if len(drawn[1]) > 1:
                writes.append(float(drawn[1][1]))
        if frame:
            renders.append(frame[1])
        if encoded:
            encodes.append(encoded[1])
            sizes.append(next(float(r[3]) for (tt, k, r) in after if k == "encoded" and r[0] == f"g{gen}full"))
        if frame and encoded and drawn:
            # What is neither render, encoding nor writing: the key to the render's start, waiting
            # for a core, the hand-overs between threads.
            waits.append(drawn[0] - t - frame[1] - encoded[1] - (float(drawn[1][1]) if len(drawn[1]) > 1 else 0))
    print(summary("key -> final picture on screen (XTEST to last pixel change)", screen_times))
    print(summary("key read -> full picture written (trace)", written))
    print(summary("  full-pass render (engine)", renders))
    print(summary("  encoding the full picture (sixel or kitty)", encodes))
    print(summary("  writing it to the terminal (the terminal reading it)", writes))
    print(summary("  the rest (queueing, waiting for a core)", waits))
    if sizes:
        print(f"  full picture: median {statistics.median(sizes) / 1000:.0f} KB")
    print(summary(f"CPU of the terminal ({terminal}) per press", terminal_cpu))
    print(summary("CPU of the X server (Xvfb) per press, strip grabs included", server_cpu))
    print(f"load: {open('/proc/loadavg').read().split()[:3]}")
    if terminal == "kitty":
        lines = [l.strip() for l in open(kitty_log) if l.strip()]
        pending = sum("Pending mode" in l for l in lines)
        print(f"kitty logged {len(lines)} lines, {pending} of them 'Pending mode ...'" + (f"; first: {lines[0]}" if lines else ""))


if __name__ == "__main__":
    main()
