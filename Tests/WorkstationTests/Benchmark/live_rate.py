#!/usr/bin/python3
"""Displayed frame rate of `atelier live` (not a test; numbers for notes).

    live_rate.py BINARY HOME [--seconds 20] [--size 640x360] [--rate 30] [--model FAMILY]
                 [--tmux 80x24 | --xterm 190x58]

Makes a clip from a shared photo with ffmpeg (a window panning across bridge.jpg, SIZE at RATE
frames/s, 10 s), runs `atelier live --loop CLIP` with ATELIER_TRACE on, in tmux (symbols preview)
or in `xterm -ti vt340` under Xvfb (sixel, as latency_xterm.py does), waits for the first live
picture on screen, then counts over SECONDS: pictures written to the terminal ("drawn lv...")
= the displayed frames/s, pictures stylized, and source frames skipped (dropped) in between.
Needs ffmpeg, tmux, or xvfb + xterm. Run it with a release build; say the load beside the figures.
"""
import os, subprocess, sys, tempfile, time, uuid

def read(trace):
    out = []
    if not os.path.exists(trace):
        return out
    for line in open(trace):
        parts = line.split()
        if len(parts) >= 2:
            out.append((float(parts[0]), parts[1], parts[2:]))
    return out

def main():
    binary, home = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    opt = lambda name, default: sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default
    seconds, size, rate, model = float(opt("--seconds", 20)), opt("--size", "640x360"), opt("--rate", "30"), opt("--model", None)
    work = tempfile.mkdtemp(prefix="atelier-live-rate-")
    shared = os.environ.get("ATELIER_SHARED", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../shared"))
    photo = os.path.join(shared, "images/content/bridge.jpg")
    w, h = size.split("x")
    clip = os.path.join(work, "clip.mp4")
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-loop", "1", "-framerate", rate, "-t", "10", "-i", photo,
                    "-vf", f"scale={int(w) * 2}:{int(h) * 2},crop={w}:{h}:x='n*2':y=40", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip],
                   check=True)
    trace = os.path.join(work, "trace")
    command = (f"cd {work} && env TERM=xterm-256color ATELIER_HOME={home} ATELIER_TRACE={trace} {binary} live --loop clip.mp4"
               + (f" --model {model}" if model else "") + "; sleep 600")
    stop = []
    if "--xterm" in sys.argv:
        geometry = opt("--xterm", "190x58")
        number = 90 + os.getpid() % 100
        xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "2560x1600x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop.append(lambda: (xvfb.terminate(), xvfb.wait()))
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{number}"):
                break
            time.sleep(0.05)
        term = subprocess.Popen(["xterm", "-ti", "vt340", "-geometry", f"{geometry}+0+0",
                                 "-xrm", "XTerm*numColorRegisters: 256", "-xrm", "XTerm*decGraphicsID: vt340",
                                 "-e", "sh", "-c", command], env=dict(os.environ, DISPLAY=f":{number}"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop.insert(0, lambda: (term.terminate(), term.wait()))
        where = f"xterm {geometry} (sixel)"
    else:
        geometry = opt("--tmux", "80x24")
        sock = "live-rate-" + uuid.uuid4().hex[:8]
        cols, rows = geometry.split("x")
        subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", cols, "-y", rows, command],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop.append(lambda: subprocess.run(["tmux", "-L", sock, "kill-server"], stderr=subprocess.DEVNULL))
        where = f"tmux {geometry} (symbols)"
    try:
        end = time.time() + 120
        while time.time() < end and not any(e[1] == "drawn" and e[2][0].startswith("lv") for e in read(trace)):
            time.sleep(0.1)
        time.sleep(2)  # past the first frames (model load, caches)
        t0 = time.time() * 1000
        time.sleep(seconds)
        t1 = time.time() * 1000
        events = [e for e in read(trace) if t0 <= e[0] <= t1]
    finally:
        for f in stop:
            f()
    drawn = [e for e in events if e[1] == "drawn" and e[2][0].startswith("lv")]
    live = [int(e[2][0]) for e in events if e[1] == "live"]
    span = (t1 - t0) / 1000
    start = [l for l in open(trace) if " start " in l]
    print(f"{where}, source {size} at {rate} fps, {span:.0f} s; {start[0].split(' ', 2)[2].strip() if start else ''}")
    print(f"displayed {len(drawn) / span:.2f} frames/s ({len(drawn)} pictures written), taken by the interface {len(live) / span:.2f}/s")
    if len(live) >= 2:
        advanced = live[-1] - live[0]
        print(f"source frames passed {advanced} (looping clip: {advanced / span:.1f}/s), dropped {advanced - (len(live) - 1)}")

main()
