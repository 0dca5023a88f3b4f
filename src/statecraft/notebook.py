"""How a result shows itself in a notebook: a repr of a few lines and a small HTML table.

Every result object of the public API (a scenario, a forecast, a simulation, a comparison, a
sensitivity study, a brief, a risk, a power shift, advice, a sweep, a flip search, a timeline
run, a backtest) mixes in :class:`Notebook`. Its ``repr`` is a few lines (what it is, its size, its
headline: a name, a number), never the object's every field; Jupyter shows ``_repr_html_``
instead: the same lines as a caption over the object's headline table, at most
:data:`HTML_ROWS` rows of it (``to_frame()`` has every row). The HTML is self-contained (one
``<table>``, inline styles, no script, nothing fetched) and every text is escaped, so a
hostile actor name such as ``<script>`` shows as text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HTML_ROWS", "REPR_LINES", "Notebook", "cell", "count", "few", "html_table"]

#: The most lines a repr shows.
REPR_LINES = 8
#: The most rows of the headline table the HTML repr shows.
HTML_ROWS = 20


def cell(value: Any) -> str:
    """A cell of the HTML table as text (before escaping): a float to four significant
    digits (``f"{x:.4g}"``), "–" for None and NaN, anything else by ``str``."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.4g}"
    try:  # numpy scalars
        import numpy as np

        if isinstance(value, np.floating):
            return cell(float(value))
        if isinstance(value, np.integer):
            return str(int(value))
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    return str(value)


def count(n: int, noun: str) -> str:
    """``1 actor``, ``2 actors``: a number and its noun, plural but for one."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def few(names: Iterable[str], n: int = 6) -> str:
    """The first ``n`` names, and how many more there are."""
    shown = list(names)
    return ", ".join(shown[:n]) + (f" and {len(shown) - n} more" if len(shown) > n else "")


def html_table(
    caption: Sequence[str], columns: Sequence[str], rows: Iterable[Sequence[Any]], total: int
) -> str:
    """An escaped HTML table: ``caption`` lines above, the ``rows`` shown, and a note of the
    rows left out when ``total`` is larger."""
    esc = html.escape
    shown = [list(r) for r in rows]
    head = "".join(f"<th>{esc(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="text-align:{"right" if _numeric(v) else "left"}">{esc(cell(v))}</td>'
            for v in r
        )
        + "</tr>"
        for r in shown
    )
    title = "<br>".join(esc(line.strip()) for line in caption)
    more = total - len(shown)
    tail = (
        f'<p style="font-size:smaller">… and {more:,} more row{"s" if more != 1 else ""} '
        "(<code>to_frame()</code> has them all)</p>"
        if more > 0
        else ""
    )
    return (
        '<div class="statecraft">'
        f'<table><caption style="text-align:left">{title}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}</div>"
    )


def _numeric(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)) or hasattr(
        value, "dtype"
    )


class Notebook:
    """Mixin: a repr of a few lines (:meth:`_summary`) and an HTML repr of the headline
    table (:meth:`_headline`, by default ``to_frame()``), for notebooks.

    A dataclass that mixes it in is declared with ``repr=False``, so that the dataclass does
    not write its own repr over this one.
    """

    def _summary(self) -> list[str]:
        """What the object is (first line) and its headline, a few lines."""
        raise NotImplementedError

    def _headline(self) -> pd.DataFrame:
        """The headline table (by default, ``to_frame()``)."""
        frame: pd.DataFrame = self.to_frame()  # type: ignore[attr-defined]
        return frame

    def __repr__(self) -> str:
        lines = self._summary()
        if len(lines) > REPR_LINES:
            lines = [*lines[: REPR_LINES - 1], f"  … ({len(lines) - REPR_LINES + 1} more)"]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.__repr__()

    def _repr_html_(self) -> str:
        frame = self._headline()
        rows = frame.head(HTML_ROWS).itertuples(index=False, name=None)
        return html_table(self._summary(), [str(c) for c in frame.columns], rows, len(frame))
