#!/usr/bin/env python3
"""Latency of the workstation, measured from its ATELIER_TRACE log (not a test; numbers for notes).

    latency.py BINARY HOME [--presses 20] [--model FAMILY] [--skip-export]

BINARY is an `atelier` build (release for real numbers), HOME an ATELIER_HOME with the model
installed. Runs the workstation inside tmux at 80x24 (half-block preview, 256 px renders) and:

1. slider: focuses the controls and presses h / l alternately (alpha 0.95 <-> 1.00), waiting
   for each render; for every press it reports key -> first new picture on screen (the quick
   pass, or the full one when the pane is too small for a quick pass) and key -> full picture
   on screen. Features are cached after the first render, so this is the interactive case.
2. export: opens a 2048x2048 photo, sets full quality, starts a full-resolution export, and
   while it runs types cursor keys; for every key it reports the time from handing it to tmux to the screen update
   that answers it ("refresh" in the trace), i.e. what a person waits for.
"""
import os, re, subprocess, sys, tempfile, time, uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tracelog import full_drawn, per_press, read, summary, wait_for  # noqa: E402

def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock] + list(args), capture_output=True, text=True).stdout

def start(sock, binary, home, trace, args, cwd):
    env = f"env TERM=xterm-256color ATELIER_HOME={home} ATELIER_TRACE={trace}"
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", "-c", cwd,
                    f"{env} {binary} {' '.join(args)}; sleep 600"],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def slider(binary, home, presses, model=None):
    sock, trace = f"atelier-bench-{uuid.uuid4().hex[:8]}", tempfile.mktemp(suffix=".trace")
    start(sock, binary, home, trace, ["--demo"] + (["--model", model] if model else []), "/tmp")
    try:
        wait_for(trace, lambda e: e[1] == "drawn" and e[2][0].endswith("full"))
        tmux(sock, "send-keys", "-t", "0", "Tab")
        time.sleep(0.5)
        for i in range(presses):
            count = len(full_drawn(read(trace)))
            tmux(sock, "send-keys", "-t", "0", "h" if i % 2 == 0 else "l")
            end = time.time() + 10
            while time.time() < end and len(full_drawn(read(trace))) <= count:
                time.sleep(0.02)
            time.sleep(0.3)
    finally:
        tmux(sock, "kill-server")
        socket_path = os.path.join(os.environ.get("TMUX_TMPDIR") or "/tmp", f"tmux-{os.getuid()}", sock)
        if os.path.exists(socket_path):
            os.remove(socket_path)
    events = read(trace)
    first, full, renders = [], [], []
    for (t, gen, after) in per_press(events):
        drawn = [(tt, r[0]) for (tt, k, r) in after if k == "drawn" and re.fullmatch(f"g{gen}(quick|full)", r[0])]
        if drawn:
            first.append(drawn[0][0] - t)
        done = [tt for (tt, r) in drawn if r.endswith("full")]
        if done:
            full.append(done[0] - t)
        renders += [float(r[2]) for (_, k, r) in after if k == "frame" and r[0] == gen and r[1] == "full"][:1]
    return first, full, renders

def export(binary, home, presses, photo):
    sock, trace = f"atelier-bench-{uuid.uuid4().hex[:8]}", tempfile.mktemp(suffix=".trace")
    folder = tempfile.mkdtemp()
    start(sock, binary, home, trace, [photo], folder)
    sent = []
    try:
        wait_for(trace, lambda e: e[1] == "drawn" and e[2][0].endswith("full"))
        # Full quality (five levels) makes the export long enough to type during it.
        for key in ["Tab", "j", "j", "j", "l"]:
            tmux(sock, "send-keys", "-t", "0", key)
            time.sleep(0.2)
        wait_for(trace, lambda e: e[1] == "drawn" and re.fullmatch(r"g([2-9]|\d\d+)full", e[2][0]) is not None)
        tmux(sock, "send-keys", "-t", "0", "e")
        time.sleep(0.3)
        tmux(sock, "send-keys", "-t", "0", "Enter")
        wait_for(trace, lambda e: e[1] == "export" and e[2][0] == "started")
        time.sleep(0.5)
        for i in range(presses):
            key = "j" if i % 2 == 0 else "k"
            sent.append(time.time() * 1000)
            tmux(sock, "send-keys", "-t", "0", key)
            time.sleep(0.15)
        running = not any(e[1] == "export" and e[2][0] != "started" for e in read(trace))
        wait_for(trace, lambda e: e[1] == "export" and e[2][0] == "finished", timeout=600)
    finally:
        tmux(sock, "kill-server")
        socket_path = os.path.join(os.environ.get("TMUX_TMPDIR") or "/tmp", f"tmux-{os.getuid()}", sock)
        if os.path.exists(socket_path):
            os.remove(socket_path)
    events = read(trace)
    started = next(t for (t, k, r) in events if k == "export" and r[0] == "started")
    keys = [e for e in events if e[1] == "key" and e[2][0] in ("j", "k") and e[0] > started]
    answers, receipt = [], []
    for s, (t, _, _) in zip(sent, keys):
        refresh = next(tt for (tt, k, _) in events if k == "refresh" and tt >= t)
        receipt.append(t - s)
        answers.append(refresh - s)
    finished = next(t for (t, k, r) in events if k == "export" and r[0] == "finished")
    return answers, receipt, running, (finished - started) / 1000

if __name__ == "__main__":
    binary, home = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    presses = int(sys.argv[sys.argv.index("--presses") + 1]) if "--presses" in sys.argv else 20
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get("ATELIER_SHARED", os.path.join(here, "../../../../shared"))
    model = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv else None
    first, full, renders = slider(binary, home, presses, model)
    print(summary("slider key -> first new picture drawn", first))
    print(summary("slider key -> full picture drawn", full))
    print(summary("full-pass render time (engine)", renders))
    if "--skip-export" in sys.argv:
        sys.exit(0)
    answers, receipt, running, seconds = export(binary, home, presses, os.path.join(shared, "images/content/blossom.jpg"))
    print(summary("key -> screen answered during a full-resolution export", answers))
    print(summary("  of which key send -> key read", receipt))
    print(f"export still running after the last key: {running}; export took {seconds:.1f} s")
