"""What the renderers share: numbers as text, JSON and CSV on standard output.

The tables of each result are in the ``render_*`` modules: ``render_forecast`` (a forecast),
``render_details`` (the models' details, chosen by their class), ``render_analysis``
(simulations, counterfactuals, sensitivity) and ``render_backtest``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import typer

_SPARK = " ▁▂▃▄▅▆▇█"


def count(n: int, noun: str) -> str:
    """``1 actor``, ``2 actors``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def decimals(width: float) -> int:
    """How many decimals to show of a number on a scale this wide."""
    return 1 if width >= 50 else 2 if width >= 10 else 3


def fmt(value: float | None, decimals: int) -> str:
    """A number with these decimals, or a dash for None."""
    return "–" if value is None else f"{value:.{decimals}f}"


def sparkline(counts: Any, bins: int = 24) -> str:
    """A text histogram: the counts regrouped into ``bins`` columns of block characters."""
    import numpy as np

    groups = np.array_split(np.asarray(counts), bins)
    sums = np.array([g.sum() for g in groups], dtype=float)
    top = sums.max()
    if top <= 0:
        return ""
    levels = np.ceil(sums / top * (len(_SPARK) - 1)).astype(int)
    return "".join(_SPARK[k] for k in levels)


def print_json(data: Any) -> None:
    """JSON-ready data on standard output, indented, not escaping non-ASCII text."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def print_records_csv(records: Sequence[Mapping[str, Any]]) -> None:
    """Flat records as CSV on standard output, with the first record's keys as header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    sys.stdout.write(out.getvalue())


def print_frame_csv(frame: Any) -> None:
    """A pandas DataFrame as CSV on standard output, without its index."""
    sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
