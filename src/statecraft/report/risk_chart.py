"""The chart of a risk analysis: the dyads ranked by their risk index, each with its 80%
interval (docs/risk.md). Made without pyplot, as every chart of :mod:`statecraft.report.charts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from statecraft.report.charts import PALETTE, _figure
from statecraft.textsafe import plain

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from statecraft.analysis.risk import Risk

__all__ = ["risk_bars"]


def risk_bars(result: Risk, top: int = 12) -> Figure:
    """The ``top`` riskiest dyads as horizontal bars (the median risk index), with their
    80% intervals as whiskers, riskiest at the top."""
    dyads = list(result.dyads[:top])
    fig = _figure(8.0, 1.2 + 0.35 * max(1, len(dyads)))
    ax = fig.subplots()
    labels = [plain(f"{result.name(d.a)} – {result.name(d.b)}") for d in dyads]
    y = list(range(len(dyads)))[::-1]
    medians = [d.risk.median for d in dyads]
    low = [max(0.0, d.risk.median - d.risk.interval80[0]) for d in dyads]
    high = [max(0.0, d.risk.interval80[1] - d.risk.median) for d in dyads]
    ax.barh(y, medians, color=PALETTE[1], xerr=[low, high], ecolor="#000000", capsize=3)
    ax.set_yticks(y, labels, fontsize="small")
    top_end = max([d.risk.interval80[1] for d in dyads] + [0.05])
    ax.set_xlim(0.0, min(1.0, 1.15 * top_end))
    ax.set_xlabel("risk index (0: no challenge that would prevail meets resistance; 1: the most)")
    ax.set_title(
        plain(f"Will the settlement hold? {result.scenario}, {result.draws:,} draws"),
        fontsize="medium",
    )
    return fig
