"""What the renderers share: numbers as text, JSON and CSV on standard output.

The tables of each result are in the ``render_*`` modules: ``render_forecast`` (a forecast),
``render_details`` (the models' details, chosen by their class), ``render_analysis``
(simulations, counterfactuals, sensitivity) and ``render_backtest``.
"""

from __future__ import annotations

import csv
import io
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import typer

from statecraft.api import textsafe

_SPARK = " ▁▂▃▄▅▆▇█"


def count(n: int, noun: str) -> str:
    """``1 actor``, ``2 actors``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def uncertain_numbers(coded: int, actual: int) -> str:
    """``125 uncertain numbers and 5 actual outcomes with a range``: the coded numbers a
    study draws, and apart the actual outcomes with a range (drawn too, for the winners
    against the actual; no model reads them), as simulate's and the brief's titles say."""
    also = f" and {count(actual, 'actual outcome')} with a range" if actual else ""
    return f"{count(coded, 'uncertain number')}{also}"


def decimals(width: float) -> int:
    """How many decimals to show of a number on a scale this wide (:data:`SIGNIFICANT` for
    a scale under 0.001 wide, whose numbers :func:`fmt` shows to four significant digits)."""
    if width < 1e-3:
        return SIGNIFICANT
    return 1 if width >= 50 else 2 if width >= 10 else 3


#: What :func:`decimals` gives for a scale too narrow for fixed decimals.
SIGNIFICANT = -1

#: The dash of a cell without a number; every table that shows one says why (:func:`dashes`).
DASH = "–"


def fmt(value: float | None, decimals: int, *, sign: bool = False) -> str:
    """A number with these decimals (a leading + with ``sign``), or :data:`DASH` for None
    and for what is not a finite number. Numbers of 1e12 or more (scales near 1e308), and
    every number of a scale under 0.001 wide, are shown to four significant digits: 1.7e+308,
    not 309 digits."""
    if value is None or not math.isfinite(value):
        return DASH
    plus = "+" if sign else ""
    if decimals < 0 or abs(value) >= 1e12:
        return f"{value:{plus}.4g}"
    return f"{value:{plus}.{decimals}f}"


def dashes(caption: str | None, reasons: Iterable[str]) -> str | None:
    """A table's caption with what its dashes mean: ``– = no status quo; ...``."""
    said = sorted(set(reasons))
    if not said:
        return caption
    line = f"{DASH} = " + "; ".join(said) + "."
    return f"{caption}\n{line}" if caption else line


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
    """JSON-ready data on standard output, indented, not escaping non-ASCII text; strict
    JSON: a number that is not finite is null, with the reason under ``"nulls"``
    (:func:`statecraft.textsafe.dumps`)."""
    typer.echo(textsafe.dumps(data, indent=2, ensure_ascii=False))


def print_records_csv(records: Sequence[Mapping[str, Any]]) -> None:
    """Flat records as CSV on standard output, with the first record's keys as header; text
    that a spreadsheet would run as a formula is neutralised (:func:`statecraft.textsafe.
    csv_records`)."""
    safe = textsafe.csv_records(records)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(safe[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe)
    sys.stdout.write(out.getvalue())


def print_frame_csv(frame: Any) -> None:
    """A pandas DataFrame as CSV on standard output, without its index; text that a
    spreadsheet would run as a formula is neutralised (:func:`statecraft.textsafe.csv_frame`)."""
    sys.stdout.write(textsafe.csv_frame(frame).to_csv(index=False, lineterminator="\n"))
