"""How cost grows: time and peak memory of every model against actors, issues and draws.

For every registered model, a Monte Carlo study (``statecraft.analysis.uncertainty.simulate``,
seed 1) of a synthetic scenario is run at points along three axes, each axis varied with the
other two held at the model's defaults (:data:`DEFAULTS`). Each point is its own process
(``python benchmarks/growth.py --child ...``), which builds the scenario, runs the model once
on a tiny scenario (so that numba's cache is loaded before the clock starts), then times the
study: wall time (``time.perf_counter``) and CPU time of all its threads
(``time.process_time``). Its peak memory is the process's resident high-water mark
(``VmHWM`` in ``/proc/self/status``, read by the child itself at the end: ``ru_maxrss`` of a
child can carry its parent's peak across fork and exec); the resident memory just before
the study is kept too, and the memory slope is fitted on the peak above it.

A point whose study passes ``--cap`` seconds of CPU (or whose process passes 4 x that + 120
s of wall time, a backstop) is stopped and marked "not reached", and the larger points of
that axis are not tried; nothing is extrapolated. A point the library refuses (a model
that does not apply, a memory estimate over ``STATECRAFT_MEMORY``, set to 4G for the
children) is marked "refused".

The log-log slope is ``numpy.polyfit`` of log(CPU time) on log(size) over the points past the
fixed cost: those of 0.1 s of CPU or more (a study of 5 actors, 2 issues and 20 draws,
fixed part and all, takes 2 to 90 ms); memory: those at least 20 MiB above the resident
memory before the study. Beside it, the slope of the model's cost formula (``THEORY`` in
``_growth_report.py``, constants 1) over the same points.

Then, per model, the most actors it handles at its default issues and draws within 10 s of
CPU and 2 GiB of peak resident memory: doubling from 10 actors, then bisection to 15%.

The synthetic scenario (:func:`synthetic`): ``n`` actors with capability U(1, 100), and on
each of ``m`` issues (scale 0-100, status quo 50) a position U(0, 100) and a salience
U(0.1, 1), from ``numpy.random.default_rng((SEED, n, m))``; every number perturbed by 10%
(triangular), the scenario's own ``perturb``.

    .venv/bin/python benchmarks/growth.py [--quick] [--models a,b] [--axes actors,draws]
        [--cap 20] [--no-search] [--json FILE] [--replot FILE] [--img docs/img]

It prints markdown tables (points, fitted and theoretical exponents, largest scenarios) and
writes docs/img/growth-{actors,issues,draws}.png. ``--replot FILE`` redraws from a saved run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _growth_report import AXES, charts, tables

ROOT = Path(__file__).resolve().parents[1]
SEED = 2026
# Each model's defaults (actors, issues, draws): what the other two axes are held at, sized
# so that its axes reach far within the cap on a loaded 2-core machine.
DEFAULTS = {
    "compromise": (20, 5, 1_000),
    "median": (20, 5, 1_000),
    "nash": (20, 5, 1_000),
    "kalai-smorodinsky": (20, 5, 1_000),
    "expected-utility": (20, 4, 100),
    "exchange": (20, 4, 100),
    "spatial": (20, 4, 10),
}
GRID = {
    "actors": [10, 30, 100, 300, 1000],
    "issues": [1, 3, 10, 30, 100],
    "draws": [100, 1_000, 10_000, 100_000, 1_000_000],
}
QUICK_DEFAULTS = (6, 2, 20)
QUICK_GRID = {"actors": [5, 10, 20], "issues": [1, 2, 4], "draws": [10, 20, 40]}
LIMIT_S, LIMIT_MIB = 10.0, 2048.0
CHILD_MEMORY = "4G"


def synthetic(n: int, m: int, seed: int = SEED) -> Any:
    """The synthetic scenario of ``n`` actors and ``m`` issues (module docstring)."""
    import statecraft as sc

    rng = np.random.default_rng((seed, n, m))
    capability = rng.uniform(1, 100, n)
    position = rng.uniform(0, 100, (n, m))
    salience = rng.uniform(0.1, 1, (n, m))
    data = {
        "name": f"synthetic-{n}x{m}",
        "issues": [{"id": f"i{j}", "label": f"I{j}", "status_quo": 50} for j in range(m)],
        "actors": [
            {
                "id": f"a{k}",
                "capability": float(capability[k]),
                "stances": {
                    f"i{j}": {"position": float(position[k, j]), "salience": float(salience[k, j])}
                    for j in range(m)
                },
            }
            for k in range(n)
        ],
        "perturb": {"relative": 0.1},
    }
    return sc.Scenario.model_validate(data)


def _vm(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(model: str, n: int, m: int, draws: int) -> None:
    """One point, in this process: prints 'start' when the clock starts, then its figures."""
    from statecraft.analysis.uncertainty import simulate

    scenario = synthetic(n, m)
    simulate(synthetic(3, min(m, 2)), model, draws=4, seed=1)  # load the model (numba cache)
    base = _vm("VmRSS")
    print("start", flush=True)
    wall, cpu = time.perf_counter(), time.process_time()
    sim = simulate(scenario, model, draws=draws, seed=1)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    done = sum(1 for s in sim.issues if s.draws > 0)
    out = {"study_wall": wall, "study_cpu": cpu, "peak_mib": _vm("VmHWM"), "base_mib": base}
    out["done_issues"] = done
    print(json.dumps(out), flush=True)


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _proc_rss(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(model: str, n: int, m: int, draws: int, cap: float, mem_cap: float) -> dict[str, Any]:
    """One point in its own process: a record of its figures and status ('ok', 'not reached',
    'over memory', 'refused'); the study is stopped past ``cap`` s of CPU or ``mem_cap`` MiB."""
    rec: dict[str, Any] = {"model": model, "actors": n, "issues": m, "draws": draws}
    rec["load"] = os.getloadavg()[0]
    env = dict(os.environ, STATECRAFT_MEMORY=CHILD_MEMORY)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", model, str(n), str(m)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, str(draws)], stdout=out, stderr=err, env=env, start_new_session=True
        )
        began: float | None = None  # the process's CPU when the study started
        stop = ""
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if began is None:
                out.seek(0)
                if out.read().startswith(b"start"):
                    began = _proc_cpu(proc.pid)
            elapsed = time.perf_counter() - start
            studied = 0.0 if began is None else _proc_cpu(proc.pid) - began
            if studied > cap or elapsed > 4 * cap + 120:
                stop = "not reached"
            elif _proc_rss(proc.pid) > mem_cap:
                stop = "over memory"
            if stop:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        rec["proc_wall"] = time.perf_counter() - start
        rec["proc_cpu"] = usage.ru_utime + usage.ru_stime
        if stop:
            rec["status"] = stop
            return rec
        out.seek(0)
        lines = out.read().decode().strip().splitlines()
        if proc.returncode != 0 or not lines or lines[-1] == "start":
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-1:]
            rec.update(status="refused", note=" ".join(tail)[:200])
            return rec
    rec.update(json.loads(lines[-1]))
    ok = rec.pop("done_issues") == m
    rec["status"] = "ok" if ok else "refused"
    if not ok:
        rec["note"] = "the model does not apply to every issue"
    return rec


def defaults(model: str, quick: bool) -> tuple[int, int, int]:
    """The model's default (actors, issues, draws); a model not listed gets the slow ones."""
    return QUICK_DEFAULTS if quick else DEFAULTS.get(model, (20, 4, 10))


def grid(model: str, axis: str, quick: bool) -> list[int]:
    """The sizes of one axis, the model's default among them (the exchange model needs two
    issues or more)."""
    default = defaults(model, quick)[AXES.index(axis)]
    values = sorted({*(QUICK_GRID if quick else GRID)[axis], default})
    return [v for v in values if not (model == "exchange" and axis == "issues" and v < 2)]


def sweep(model: str, axis: str, quick: bool, cap: float, log: Callable[[str], None]) -> list:
    """Every point of one axis, smallest first; past a point not reached, the rest skipped."""
    base = dict(zip(AXES, defaults(model, quick), strict=True))
    records: list[dict[str, Any]] = []
    for v in grid(model, axis, quick):
        size = {**base, axis: v}
        if records and records[-1]["status"] not in ("ok",):
            rec = {"model": model, **size, "status": "skipped"}
        else:
            rec = measure(model, size["actors"], size["issues"], size["draws"], cap, 4096.0)
        rec["axis"] = axis
        records.append(rec)
        log(_line(rec))
    return records


def _line(r: dict[str, Any]) -> str:
    figures = ""
    if r["status"] == "ok":
        figures = f" cpu {r['study_cpu']:.3f}s wall {r['study_wall']:.3f}s {r['peak_mib']:.0f}MiB"
    return (
        f"{r['model']} {r.get('axis', 'search')} n={r['actors']} m={r['issues']} "
        f"D={r['draws']}: {r['status']}{figures} load {r.get('load', float('nan')):.1f}"
    )


def largest(
    model: str, quick: bool, log: Callable[[str], None], most: int = 20_480
) -> dict[str, Any]:
    """The most actors the model handles at its default issues and draws within
    :data:`LIMIT_S` of CPU and :data:`LIMIT_MIB` of peak memory: doubling, then bisection."""
    _, m, draws = defaults(model, quick)
    limit = 0.5 if quick else LIMIT_S
    most = 40 if quick else most
    tried: list[dict[str, Any]] = []

    def passes(n: int) -> bool:
        rec = measure(model, n, m, draws, limit, LIMIT_MIB)
        rec["axis"] = "search"
        tried.append(rec)
        log(_line(rec))
        return bool(rec["status"] == "ok" and rec["study_cpu"] <= limit)

    good, bad, n = 0, 0, 10
    while n <= most:
        if not passes(n):
            bad = n
            break
        good, n = n, n * 2
    while good and bad and bad - good > max(1, good * 15 // 100):
        mid = (good + bad) // 2
        good, bad = (mid, bad) if passes(mid) else (good, mid)
    best = next((r for r in tried if r["actors"] == good), None)
    return {
        "model": model,
        "issues": m,
        "draws": draws,
        "actors": good,
        "failed_at": bad,
        "limit_s": limit,
        "best": best,
        "tried": tried,
        "searched_to": most,
    }


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few small points")
    parser.add_argument("--models", help="comma-separated (default: every registered model)")
    parser.add_argument("--axes", default=",".join(AXES))
    parser.add_argument("--cap", type=float, help="CPU seconds per point (20; quick: 10)")
    parser.add_argument("--no-search", action="store_true", help="skip the largest scenarios")
    parser.add_argument("--json", type=Path, help="save the run's figures here")
    parser.add_argument("--replot", type=Path, help="tables and charts of a saved run")
    parser.add_argument("--img", type=Path, help="where the charts go (docs/img; quick: a temp)")
    args = parser.parse_args(argv)
    if args.replot:
        run = json.loads(args.replot.read_text())
    else:
        import statecraft as sc

        models = args.models.split(",") if args.models else list(sc.available_models())
        unknown = [m for m in models if m not in sc.available_models()]
        axes = args.axes.split(",")
        if unknown:
            parser.error(
                f"unknown model {unknown[0]!r}; the models are: " + ", ".join(sc.available_models())
            )
        if not set(axes) <= set(AXES) or not axes:
            parser.error(f"--axes takes some of {', '.join(AXES)} (got {args.axes!r})")
        if args.cap is not None and not args.cap > 0:
            parser.error(f"--cap must be a number of seconds above 0 (got {args.cap})")
        cap = args.cap or (10.0 if args.quick else 20.0)
        run = {"models": models, "cap": cap, "quick": args.quick, "cpus": os.cpu_count()}
        run["records"], run["largest"], run["took"] = [], [], 0.0
        run["defaults"] = {m: defaults(m, args.quick) for m in models}
        started = time.perf_counter()

        def log(text: str) -> None:
            print(text, file=sys.stderr, flush=True)

        def save() -> None:  # after every model, so that a stopped run keeps what it did
            run["took"] = time.perf_counter() - started
            if args.json:
                args.json.write_text(json.dumps(run, indent=1))

        for model in models:  # every axis of every model first, then the searches
            for axis in axes:
                run["records"] += sweep(model, axis, args.quick, cap, log)
                save()
        for model in [] if args.no_search else models:
            run["largest"].append(largest(model, args.quick, log))
            save()
    print(tables(run))
    img = args.img or (Path(tempfile.gettempdir()) / "growth-quick" if run["quick"] else None)
    for path in charts(run, img or ROOT / "docs" / "img"):
        print(f"wrote {path}")
    return run


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
