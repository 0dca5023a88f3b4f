"""The report: one self-contained HTML file an analyst can mail or print.

Styles and charts (SVG) are inline; there is no JavaScript and nothing is fetched over the
network, so the file opens offline. A print stylesheet gives clean pages when a browser
prints it to PDF. Rendered with Jinja2 (autoescaped) from ``templates/report.html.j2``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statecraft._version import __version__
from statecraft.runner import Forecast, forecast
from statecraft.scenario import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from statecraft.analysis.counterfactual import Patch

__all__ = ["Report", "render_report", "report"]

LIMITS = (
    "The models turn the coded positions, saliences and capabilities into a forecast; they "
    "cannot be better than that coding, which is a judgement. Every number in the scenario "
    "table carries its source and note so that a reader can disagree with it.",
    "The models forecast bargained outcomes. Anchored on the status quo or on a weighted "
    "centre of positions, they cannot foresee a decisive military victory, a collapse, or an "
    "actor that ignores the bargaining altogether.",
    "Winners and losers are measured by how far the outcome moved toward what each actor "
    "declared it wanted, weighted by how much it cared; declared aims may not be real aims.",
    "On real EU legislative decisions (docs/backtest.md) the simple weighted mean is as "
    "accurate as any model here, with a mean absolute error of about a quarter of the scale.",
)


def svg(fig: Figure, name: str) -> str:
    """A figure as inline SVG markup: no XML declaration, no external references, text as
    text (no glyph definitions), and every id prefixed with ``name`` so that several SVGs
    can share one HTML page without clashing."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    # Prefix every id and every reference to one, so that ids stay unique on the page.
    text = re.sub(r'(\sid=")', rf"\1{name}-", text)
    text = re.sub(r'((?:xlink:)?href="#)', rf"\1{name}-", text)
    return re.sub(r"(url\(#)", rf"\1{name}-", text)


@dataclass(frozen=True)
class Report:
    """What the report shows; :meth:`html` renders it."""

    forecast: Forecast
    charts: dict[str, str]  # name -> inline SVG
    simulation: Any | None = None
    comparison: Any | None = None
    created: str = ""
    exchange: Forecast | None = None  # the exchange model's run, where issues can be traded

    def html(self) -> str:
        from jinja2 import Environment, PackageLoader, select_autoescape

        env = Environment(
            loader=PackageLoader("statecraft", "report/templates"),
            autoescape=select_autoescape(["html", "j2"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        f = self.forecast
        models = [
            {
                "name": m.name,
                "title": m.title,
                "citation": m.citation,
                "options": ", ".join(f"{k}={v!r}" for k, v in m.options.items()),
            }
            for m in (*f.models, *(self.exchange.models if self.exchange else ()))
        ]
        return env.get_template("report.html.j2").render(
            exchange=self.exchange,
            f=f,
            s=f.scenario,
            charts=self.charts,
            simulation=self.simulation,
            comparison=self.comparison,
            models=models,
            limits=LIMITS,
            version=__version__,
            created=self.created,
        )


def report(
    scenario: Scenario,
    *,
    draws: int = 0,
    seed: int = 0,
    patches: Sequence[Patch] = (),
    model: str = "compromise",
) -> Report:
    """Forecast a scenario with every model, draw its charts and, when asked, simulate it
    (``draws``) and compare it with counterfactual ``patches`` under ``model``."""
    from statecraft.report import charts

    f = forecast(scenario)
    made: dict[str, str] = {
        "issue-map": svg(charts.issue_map(f), "issue-map"),
        "winners": svg(charts.winners_chart(f), "winners"),
    }
    if "expected-utility" in f.model_names and f.details("expected-utility"):
        for item in scenario.issues:
            key = f"trajectories-{item.id}"
            made[key] = svg(charts.trajectories(f, item.id), key)
        made["confrontations"] = svg(charts.confrontations(f), "confrontations")
    simulation = comparison = None
    if draws > 0:
        from statecraft.analysis.uncertainty import simulate

        simulation = simulate(scenario, model, draws=draws, seed=seed)
        made["distributions"] = svg(charts.distributions(simulation), "distributions")
    if patches:
        from statecraft.analysis.counterfactual import compare

        comparison = compare(scenario, list(patches), model)
        made["counterfactuals"] = svg(charts.counterfactuals(comparison), "counterfactuals")
    exchange = None
    if len(scenario.issues) >= 2:  # the trades across issues that Stokman's model finds
        exchange = forecast(scenario, "exchange")
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Report(f, made, simulation, comparison, created, exchange)


def render_report(scenario: Scenario, path: str | Path, **kwargs: Any) -> Path:
    """Write the report of ``scenario`` to ``path`` (see :func:`report` for the options)."""
    target = Path(path)
    target.write_text(report(scenario, **kwargs).html(), encoding="utf-8")
    return target


#: What would make a browser fetch something: an external src or href, a CSS url() or
#: @import. The report must contain none.
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:)?//|url\(\s*["']?\s*(?:[a-z]+:)?//|@import""",
    re.IGNORECASE,
)
