"""The rows of issue 19 ("Scale"), whole process, before and after, measured in one run.

Each row runs a ``statecraft simulate`` command as its own process, ``--repeat`` times
(default 3), with the code before (``--before``: another install's ``statecraft``, e.g. a
checkout of main) and after (this checkout's, ``python -m statecraft.cli``), and prints the
median wall time, the median CPU time (user + system: on a shared machine the wall time
grows with other people's load, the CPU time much less), the peak resident memory, and the
ratios before/after. A run that passes ``--limit`` seconds is stopped and shown as such.

    .venv/bin/python benchmarks/scale.py --before ../main/.venv/bin/statecraft \
        [--repeat 3] [--limit 300] [--ktab-draws 10000] [--rows ec,karabakh-eu,...]

The first "after" run of a fresh checkout also compiles the expected utility kernel and the
draw map (numba caches them on disk); ``--cold`` clears those caches before the first run
to show it.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KTAB160 = ROOT.parent / "shared" / "data" / "cases" / "ktab" / "dummyData-a160.csv"

EU = ["-m", "expected-utility"]
ROWS: dict[str, list[str]] = {
    # "positions uncertain, a few years either side": +-3 years on the case's 4-10 scale
    "ec": ["ec-emissions-1994", *EU, "--draws", "10000", "--perturb", "0.5"],
    "karabakh-eu": ["karabakh-2020", *EU, "--draws", "10000"],
    "karabakh-compromise": ["karabakh-2020", "-m", "compromise", "--draws", "1000000"],
    "ktab-160": [str(KTAB160), "--perturb", "0.1", *EU, "--draws", "{ktab}"],
}


def run(command: list[str], limit: float) -> tuple[float, float, float] | None:
    """Wall seconds, CPU seconds and peak resident MiB of one process; None past ``limit``."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        deadline = start + limit
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                return None
            time.sleep(0.02)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            last = errors.read().decode(errors="replace").strip().splitlines()[-1:]
            raise RuntimeError(f"failed ({status}): {' '.join(command)}: {' '.join(last)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def median_of(command: list[str], repeat: int, limit: float) -> tuple[float, float, float] | None:
    runs = []
    for _ in range(repeat):
        got = run(command, limit)
        if got is None:
            return None
        runs.append(got)
    return tuple(statistics.median(r[k] for r in runs) for k in range(3))  # type: ignore[return-value]


def show(figures: tuple[float, float, float] | None, limit: float) -> str:
    if figures is None:
        return f"{'over ' + str(int(limit)) + ' s':>30}"
    wall, cpu, peak = figures
    return f"{wall:>9.2f} s {cpu:>8.2f} s {peak:>7.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", help="the statecraft command of the code before")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per run at most")
    parser.add_argument("--ktab-draws", type=int, default=10_000)
    parser.add_argument("--rows", default=",".join(ROWS))
    parser.add_argument("--cold", action="store_true", help="clear numba's cache first")
    args = parser.parse_args()
    if args.cold:
        package = ROOT / "src" / "statecraft"
        for pattern in ("models/__pycache__/_eu_*.nb?", "analysis/__pycache__/_triangular*.nb?"):
            for cache in package.glob(pattern):
                cache.unlink()
    after_cmd = [sys.executable, "-m", "statecraft.cli", "simulate"]
    print(f"{'row':<22}{'code':<8}{'wall (median)':>13}{'CPU':>11}{'peak':>11}")
    for name in args.rows.split(","):
        tail = [a.replace("{ktab}", str(args.ktab_draws)) for a in ROWS[name]]
        if name == "ktab-160" and not KTAB160.exists():
            print(f"{name:<22}skipped: {KTAB160} is not there")
            continue
        tail += ["--no-store"]
        results = {}
        try:
            if args.before:
                before_cmd = [args.before, "simulate", *tail]
                results["before"] = median_of(before_cmd, args.repeat, args.limit)
            results["after"] = median_of([*after_cmd, *tail], args.repeat, args.limit)
        except RuntimeError as exc:
            print(f"{name:<22}{exc}")
            continue
        for code, figures in results.items():
            print(f"{name:<22}{code:<8}{show(figures, args.limit)}")
        b, a = results.get("before"), results["after"]
        if b and a:
            ratios = f"{b[0] / a[0]:>9.2f}x {b[1] / a[1]:>8.2f}x {b[2] / a[2]:>7.2f}x"
            print(f"{'':<22}{'ratio':<8}{ratios}")
    print(
        f"({args.repeat} runs each; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the end)"
    )


if __name__ == "__main__":
    main()
