"""What latency.py and latency_xterm.py share: the workstation's ATELIER_TRACE log and summaries.

A trace line is `<wall-clock ms> <event> <details...>` (see Sources/Workstation/App/TraceLog.swift).
"""
import os, statistics, time


def read(trace):
    """The log's events as (ms, event, [details])."""
    out = []
    for line in open(trace):
        parts = line.split()
        if len(parts) >= 2:
            out.append((float(parts[0]), parts[1], parts[2:]))
    return out


def wait_for(trace, predicate, timeout=60):
    """Waits until an event satisfies `predicate`; exits with a hint when none does in time."""
    end = time.time() + timeout
    while time.time() < end:
        if os.path.exists(trace) and any(predicate(e) for e in read(trace)):
            return True
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting in {trace} (a release binary outside the repository finds "
                     "--demo only from a `make install PREFIX=...` layout: run PREFIX/bin/atelier)")


def full_drawn(events):
    """The `drawn gNfull` events: a full picture written to the terminal."""
    return [e for e in events if e[1] == "drawn" and e[2][0].endswith("full")]


def per_press(events, keys=("h", "l")):
    """For every press of `keys` that started a render: (key time, generation, events after it)."""
    out = []
    for i, (t, kind, rest) in enumerate(events):
        if kind != "key" or rest[0] not in keys:
            continue
        gen = next((r[0] for (_, k, r) in events[i:] if k == "submit"), None)
        if gen is not None:
            out.append((t, gen, events[i:]))
    return out


def summary(name, values):
    """`name: median M ms, p90, min, max, n=` (or `no samples`)."""
    if not values:
        return f"{name}: no samples"
    v = sorted(values)
    p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
    return f"{name}: median {statistics.median(v):.1f} ms, p90 {p90:.1f}, min {v[0]:.1f}, max {v[-1]:.1f}, n={len(v)}"
