#!/usr/bin/python3
"""Slider latency in a real sixel terminal (not a test; numbers for notes).

    latency_xterm.py BINARY HOME [--presses 20] [--model FAMILY] [--geometry 190x58]

Starts Xvfb, runs `xterm -ti vt340` (sixel, 256 colour registers) at GEOMETRY cells with the
workstation on the demo photo (ATELIER_TRACE on), focuses the Controls and presses h / l
alternately (alpha 0.95 <-> 1.00) through the XTEST extension, as a keyboard would. Keys reach
the workstation through xterm and its pty, the pictures go back through xterm's sixel parser to
the X server, so the measured path is the real one end to end.

For every press it reports:
- key -> final picture on screen: from the XTEST key press to the last change of the X
  window's pixels (two horizontal strips across the preview, grabbed every few ms from the X
  server, until 400 ms pass without a change after the workstation wrote the full picture);
  this includes xterm parsing and painting the sixel;
- key read -> full picture written (the workstation's own trace: `key` to `drawn gN full`);
- the full pass's render time (engine) and the sixel encoding time.

Needs Debian's xvfb, xterm and python3-xlib (run with /usr/bin/python3).
"""
import os, re, statistics, subprocess, sys, tempfile, time

from Xlib import X, XK, display
from Xlib.ext import xtest


def read(trace):
    out = []
    for line in open(trace):
        parts = line.split()
        if len(parts) >= 2:
            out.append((float(parts[0]), parts[1], parts[2:]))
    return out


def wait_for(trace, predicate, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(trace) and any(predicate(e) for e in read(trace)):
            return
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting in {trace}")


def full_drawn(events):
    return [e for e in events if e[1] == "drawn" and e[2][0].endswith("full")]


def xterm_window(d):
    """The xterm's top-level window (no window manager runs under Xvfb)."""
    for child in d.screen().root.query_tree().children:
        cls = child.get_wm_class()
        if cls and "xterm" in [c.lower() for c in cls]:
            return child
    return None


def strips(window, geometry):
    """Two bands of pixel rows at 40% and 60% of the window's height, over its right half: inside
    the preview pane, clear of the panes whose text changes with the slider."""
    h, w = geometry.height, geometry.width
    return [window.get_image(w // 2, int(h * f), w // 2 - 16, 8, X.ZPixmap, 0xFFFFFFFF).data for f in (0.4, 0.6)]


def main():
    binary, home = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    opt = lambda name, default: sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default
    presses, model, geometry = int(opt("--presses", 20)), opt("--model", None), opt("--geometry", "190x58")
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
        command = (f"env TERM=xterm-256color ATELIER_HOME={home} ATELIER_TRACE={trace} {binary} --demo"
                   + (f" --model {model}" if model else "") + "; sleep 600")
        term = subprocess.Popen(["xterm", "-ti", "vt340", "-geometry", f"{geometry}+0+0",
                                 "-xrm", "XTerm*numColorRegisters: 256", "-xrm", "XTerm*decGraphicsID: vt340",
                                 "-e", "sh", "-c", command], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(trace, lambda e: e[1] == "drawn" and e[2][0].endswith("full"))
        d = display.Display(f":{number}")
        window = xterm_window(d)
        if window is None:
            raise SystemExit("no xterm window found")
        window.set_input_focus(X.RevertToParent, X.CurrentTime)
        d.sync()
        geo = window.get_geometry()
        start = [l for l in open(trace) if " start " in l]
        print(f"xterm {geometry} = {geo.width}x{geo.height} px; {start[0].split(' ', 2)[2].strip() if start else ''}")

        def press(name):
            code = d.keysym_to_keycode(XK.string_to_keysym(name))
            xtest.fake_input(d, X.KeyPress, code)
            xtest.fake_input(d, X.KeyRelease, code)
            d.sync()

        press("Tab")
        time.sleep(1.0)
        screen_times = []
        for i in range(presses):
            before = len(full_drawn(read(trace)))
            last = strips(window, geo)
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
            time.sleep(0.3)
        d.close()
    finally:
        if term:
            term.terminate()
            term.wait()
        xvfb.terminate()
        xvfb.wait()
    events = read(trace)
    written, renders, encodes = [], [], []
    for i, (t, kind, rest) in enumerate(events):
        if kind != "key" or rest[0] not in ("h", "l"):
            continue
        gen = next((r[0] for (_, k, r) in events[i:] if k == "submit"), None)
        if gen is None:
            continue
        done = [tt for (tt, k, r) in events[i:] if k == "drawn" and r[0] == f"g{gen}full"]
        if done:
            written.append(done[0] - t)
        renders += [float(r[2]) for (_, k, r) in events[i:] if k == "frame" and r[0] == gen and r[1] == "full"][:1]
        encodes += [float(r[1]) for (_, k, r) in events[i:] if k == "encoded" and r[0] == f"g{gen}full"][:1]
    print(summary("key -> final picture on screen (XTEST to last pixel change)", screen_times))
    print(summary("key read -> full picture written (trace)", written))
    print(summary("full-pass render (engine)", renders))
    print(summary("sixel encoding of the full picture", encodes))
    print(f"load: {open('/proc/loadavg').read().split()[:3]}")


def summary(name, values):
    if not values:
        return f"{name}: no samples"
    v = sorted(values)
    p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
    return f"{name}: median {statistics.median(v):.1f} ms, p90 {p90:.1f}, min {v[0]:.1f}, max {v[-1]:.1f}, n={len(v)}"


if __name__ == "__main__":
    main()
