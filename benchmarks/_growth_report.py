"""Fits, theory, tables and charts of benchmarks/growth.py (see its docstring)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

AXES = ("actors", "issues", "draws")
# Points fitted: a study of 0.1 s of CPU or more (one of 5 actors, 2 issues and 20 draws,
# fixed part and all, takes 2 to 90 ms); memory 20 MiB or more above that before the study.
FIT_FLOOR_S, FIT_FLOOR_MIB = 0.1, 20.0


def _nlogn(n: float) -> float:
    return n * max(math.log2(n), 1.0)


# Time per study as a function of (actors n, issues m, draws D), up to a constant: from the
# code (docs/performance.md, "How cost grows", says why for each).
THEORY: dict[str, Callable[[float, float, float], float]] = {
    "compromise": lambda n, m, d: n * m * d,
    "median": lambda n, m, d: _nlogn(n) * m * d,
    "nash": lambda n, m, d: n * m * d,
    "kalai-smorodinsky": lambda n, m, d: n * m * d,
    "expected-utility": lambda n, m, d: n * _nlogn(n) * m * d,
    "exchange": lambda n, m, d: _nlogn(n * n * m * m) * d,
    "spatial": lambda n, m, d: (n**3 + n * n * m) * d,
}
FORMULA = {
    "compromise": "n m D",
    "median": "n log n m D",
    "nash": "80 n m D",
    "kalai-smorodinsky": "80 n m D",
    "expected-utility": "R n^2 log n m D",
    "exchange": "R n^2 m^2 log(nm) D",
    "spatial": "T (n^3 + n^2 m) D",
}


def fit_slope(x: Sequence[float], y: Sequence[float]) -> float:
    """The slope of log y on log x (least squares, ``numpy.polyfit``)."""
    return float(np.polyfit(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), 1)[0])


def fitted(records: Sequence[dict[str, Any]], axis: str, what: str = "time") -> dict[str, Any]:
    """The fitted and theoretical slopes of one model's axis, on the points past the fixed
    cost (module docstring); ``slope`` is None with fewer than two such points."""
    ok = [r for r in records if r["status"] == "ok"]
    if what == "time":
        used = [(r[axis], r["study_cpu"]) for r in ok if r["study_cpu"] >= FIT_FLOOR_S]
    else:
        used = [
            (r[axis], r["peak_mib"] - r["base_mib"])
            for r in ok
            if r["peak_mib"] - r["base_mib"] >= FIT_FLOOR_MIB
        ]
    out: dict[str, Any] = {"points": [u[0] for u in used], "slope": None, "theory": None}
    if len(used) >= 2:
        out["slope"] = fit_slope(*zip(*used, strict=True))
    if records and len(used) >= 2 and what == "time":
        r0 = records[0]
        cost = THEORY[r0["model"]]
        size = {k: r0[k] for k in AXES}
        values = [cost(*(v if k == axis else size[k] for k in AXES)) for v, _ in used]
        out["theory"] = fit_slope(out["points"], values)
    return out


def _cell(r: dict[str, Any] | None, cap: float) -> str:
    if r is None:
        return ""
    if r["status"] == "ok":
        return f"{r['study_cpu']:.3g} s / {r['study_wall']:.3g} s, {r['peak_mib']:.0f} MiB"
    return {"not reached": f"not reached (> {cap:g} s)", "skipped": "not tried"}.get(
        r["status"], r["status"]
    )


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def tables(run: dict[str, Any]) -> str:
    """The run's markdown: the points of every axis, the exponents and the largest sizes."""
    records, models, cap = run["records"], run["models"], run["cap"]
    lines: list[str] = []
    for axis in AXES:
        lines += [f"\n{axis} (cell: study CPU / wall time, peak resident memory)\n"]
        lines += ["| " + " | ".join([axis, *models]) + " |", "|---" * (len(models) + 1) + "|"]
        values = sorted({r[axis] for r in records if r.get("axis") == axis})
        for v in values:
            cells = []
            for model in models:
                hit = [r for r in records if r.get("axis") == axis and r["model"] == model]
                cells.append(_cell(next((r for r in hit if r[axis] == v), None), cap))
            lines.append(f"| {v:,} | " + " | ".join(cells) + " |")
    lines += [
        "\n| model | cost | defaults: actors, issues, draws | axis | time exponent: fitted "
        "(CPU) | theory | points fitted | memory exponent: fitted |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for model in models:
        for axis in AXES:
            mine = [r for r in records if r.get("axis") == axis and r["model"] == model]
            if not mine:
                continue
            t, mem = fitted(mine, axis), fitted(mine, axis, "memory")
            base = ", ".join(f"{v:,}" for v in run["defaults"][model])
            pts = ", ".join(f"{p:,}" for p in t["points"]) or "none"
            pts += "" if t["slope"] is not None else " (too few to fit)"
            lines.append(
                f"| {model} | {FORMULA[model]} | {base} | {axis} | {_fmt(t['slope'])} | "
                f"{_fmt(t['theory'])} | {pts} | {_fmt(mem['slope'])} |"
            )
    if run.get("largest"):
        lines += [
            f"\n| model | issues | draws | most actors in {run['largest'][0]['limit_s']:g} s "
            "CPU and 2 GiB | its study CPU, wall, peak | first size past the limits |",
            "|---|---|---|---|---|---|",
        ]
        for g in run["largest"]:
            b, fail = g["best"], g["failed_at"]
            figures = _cell(b, cap) if b else ""
            why = ""
            if fail:
                r = next(r for r in g["tried"] if r["actors"] == fail)
                why = f"{fail:,}: " + (_cell(r, g["limit_s"]) if r["status"] != "ok" else "")
                if r["status"] == "ok":
                    why += f"{r['study_cpu']:.3g} s CPU, {r['peak_mib']:.0f} MiB"
            most = f"{g['actors']:,}" if g["actors"] else "under 10"
            if not fail and g["actors"]:
                most = f"{most} or more (the search stops at {g['searched_to']:,})"
            lines.append(
                f"| {g['model']} | {g['issues']} | {g['draws']:,} | {most} | {figures} | {why} |"
            )
    tried = [r for g in run.get("largest", []) for r in g["tried"]]
    loads = [r["load"] for r in [*records, *tried] if "load" in r]
    if loads:
        lines.append(
            "\nLoad average (1 min) at the start of each point, the searches' too: "
            f"min {min(loads):.1f}, "
            f"median {statistics.median(loads):.1f}, max {max(loads):.1f}; "
            f"{run['cpus']} CPUs; the run took {run['took'] / 60:.0f} min."
        )
    return "\n".join(lines)


def charts(run: dict[str, Any], folder: Path) -> list[Path]:
    """One PNG per axis measured: study CPU time and peak resident memory, log-log, a line
    per model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    from matplotlib.ticker import FuncFormatter, NullFormatter

    colours = dict(zip(run["models"], plt.get_cmap("tab10").colors, strict=False))
    markers = "osD^vP*X"

    def number(v: float) -> str:
        return f"{v:,.0f}" if v >= 1 else f"{v:g}"

    plain = FuncFormatter(lambda v, _: number(v))
    few_labels = FuncFormatter(
        lambda v, _: number(v) if round(v / 10 ** math.floor(math.log10(v))) in (2, 3, 5) else ""
    )
    for axis in [a for a in AXES if any(r.get("axis") == a for r in run["records"])]:
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5), dpi=110)
        for model in run["models"]:
            mine = [r for r in run["records"] if r.get("axis") == axis and r["model"] == model]
            ok = [r for r in mine if r["status"] == "ok"]
            if not mine:
                continue
            marker = markers[run["models"].index(model) % len(markers)]
            style = {"color": colours[model], "marker": marker, "markersize": 5, "label": model}
            left.plot([r[axis] for r in ok], [r["study_cpu"] for r in ok], **style)
            right.plot([r[axis] for r in ok], [r["peak_mib"] for r in ok], **style)
            over = [r[axis] for r in mine if r["status"] == "not reached"]
            left.plot(over, [run["cap"]] * len(over), "^", color=colours[model], markersize=10)
        left.axhline(run["cap"], color="grey", linewidth=0.8, linestyle=":")
        left.set_ylabel("CPU time of the study (s)")
        right.set_ylabel("peak resident memory of the process (MiB)")
        for ax in (left, right):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel(f"{axis} (log scale)")
            ax.grid(True, which="major", alpha=0.3)
            for which, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
                which.set_major_formatter(plain)
                # within a decade or so the minor ticks carry the labels: 2, 3 and 5 times
                few = hi / lo < 20
                which.set_minor_formatter(few_labels if few else NullFormatter())
        left.set_title(f"time; triangle: stopped at the {run['cap']:g} s cap (not reached)")
        right.set_title("memory (whole process)")
        handles, labels = left.get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=10)
        fig.suptitle(f"Cost against {axis}, the other two at each model's defaults")
        fig.tight_layout(rect=(0, 0.07, 1, 1))
        path = folder / f"growth-{axis}.png"
        fig.savefig(path)
        plt.close(fig)
        written.append(path)
    return written
