"""The report: one self-contained HTML file an analyst can mail or print.

Styles and charts (SVG) are inline; there is no JavaScript and nothing is fetched over the
network, so the file opens offline. A print stylesheet gives clean pages when a browser
prints it to PDF. Rendered with Jinja2 (autoescaped) from ``templates/report.html.j2``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statecraft._version import __version__
from statecraft.analysis.advise import advise as advise_actor
from statecraft.analysis.advise import check_advise
from statecraft.analysis.brief import Brief, brief
from statecraft.analysis.kernel import parse_memory
from statecraft.arrays import scenario_batch
from statecraft.models import Details, available_models, default_model
from statecraft.models.exchange import ExchangeDetails
from statecraft.runner import Forecast, forecast, weight_shares
from statecraft.scenario import Scenario

if TYPE_CHECKING:
    from jinja2 import Environment
    from matplotlib.figure import Figure

    from statecraft.analysis.counterfactual import Patch

__all__ = [
    "BOTTOM_LINE_DRAWS",
    "SECTIONS",
    "TORNADO_TOP",
    "Report",
    "Section",
    "render_report",
    "report",
]

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
class Section:
    """A section of the report drawn from a linked model's details (chosen by their class,
    :data:`SECTIONS`): its template, the model's name and title, its run and details."""

    template: str
    model: str
    title: str
    forecast: Forecast
    details: Details


#: The sections drawn from a linked model's details, by the class of the details.
SECTIONS: dict[type[Details], str] = {ExchangeDetails: "trades.html.j2"}


@dataclass(frozen=True)
class Report:
    """What the report shows; :meth:`html` renders it."""

    forecast: Forecast
    charts: dict[str, str]  # name -> inline SVG
    simulation: Any | None = None
    comparison: Any | None = None
    created: str = ""
    sections: tuple[Section, ...] = ()  # from the linked models' details
    captions: dict[str, str] = field(default_factory=dict)  # name -> caption
    reference: str | None = None  # the reference model (default_model()), where it ran
    bottom: Brief | None = None  # the bottom line, the report's first section
    risk: Any | None = None  # will the settlement hold? (a scenario with a status quo)
    advice: tuple[Any, ...] = ()  # what would it take? (the actors named, advise.html.j2)
    linked: dict[str, Forecast] = field(default_factory=dict)  # each linked model's own run
    sensitivity: Any | None = None  # one input at a time: the tornado section

    def html(self) -> str:
        env = template_environment()
        f = self.forecast
        linked = [m for run in self.linked.values() for m in run.models]
        models = [
            {
                "name": m.name,
                "title": m.title,
                "citation": m.citation,
                "options": ", ".join(f"{k}={v!r}" for k, v in m.options.items()),
            }
            for m in (*f.models, *linked)
        ]
        titles = {m.name: m.title for m in (*f.models, *linked)}
        return env.get_template("report.html.j2").render(
            sections=self.sections,
            f=f,
            s=f.scenario,
            charts=self.charts,
            captions=self.captions,
            simulation=self.simulation,
            comparison=self.comparison,
            models=models,
            titles=titles,
            reference=self.reference,
            bottom=self.bottom,
            risk=self.risk,
            advice=self.advice,
            advise_top=ADVISE_TOP,
            linked=self.linked,
            sensitivity=self.sensitivity,
            tornado_top=TORNADO_TOP,
            shares=weight_shares(f.scenario),
            sits_out=any(
                i not in a.stances for a in f.scenario.actors for i in f.scenario.issue_ids
            ),
            limits=LIMITS,
            version=__version__,
            created=self.created,
        )


def template_environment() -> Environment:
    """The Jinja2 environment of the reports' templates (report/templates), autoescaped, with
    the filters ``num`` (:func:`number`) and ``pct`` (:func:`percent`)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("statecraft", "report/templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["pct"] = percent
    return env


def number(value: float | None, decimals: int = 1, sign: bool = False) -> str:
    """A number of a table of the report: ``decimals`` decimals, four significant digits
    from 1e12 up (scales near 1e308), and "–" for None and what is not a finite number
    (every table that can show one says why beneath it)."""
    if value is None or not math.isfinite(value):
        return "–"
    plus = "+" if sign else ""
    if abs(value) >= 1e12:
        return f"{value:{plus}.4g}"
    return f"{value:{plus}.{decimals}f}"


def percent(p: float) -> str:
    """A probability as a percentage: "<1%" above 0 and under 0.5%."""
    if not p > 0:
        return "0%"
    return "<1%" if p < 0.005 else f"{p:.0%}"


#: Levers (and single changes that flip the verdict) shown per actor in "What would it take?".
ADVISE_TOP = 8

#: Draws of the bottom line of a report made without ``draws``.
BOTTOM_LINE_DRAWS = 1000
#: The inputs the tornado section shows per issue (its table and its charts).
TORNADO_TOP = 5


def report(
    scenario: Scenario,
    *,
    draws: int = 0,
    seed: int = 0,
    patches: Sequence[Patch] = (),
    model: str | None = None,
    advise: Sequence[str] = (),
    memory: int | str | None = None,
) -> Report:
    """Forecast a scenario with every model, draw its charts and, when asked, simulate it
    (``draws``) and compare it with counterfactual ``patches`` under ``model`` (default: the
    first registered model).

    The figures are the charts of the registry (:data:`~statecraft.report.registry.CHARTS`)
    drawn wherever their result is shown (``auto``) whose needs the results meet: those of
    the forecast always (those that need a capability of the models' details, such as rounds,
    where a model run has it), the simulation's with ``draws`` and the comparison's with
    ``patches``. Every linked model that applies runs too, and the class of its details picks
    its section (:data:`SECTIONS`; none for a class without one). The report opens with the
    bottom line (:func:`~statecraft.analysis.brief.brief` of the one-issue models that apply,
    on ``draws`` draws, or :data:`BOTTOM_LINE_DRAWS` without them). For each actor of
    ``advise``, the section "What would it take?" gives its levers under ``model``
    (:func:`~statecraft.analysis.advise.advise`, robust over as many draws) and what would
    change the verdict. ``memory`` is the memory budget of every study that draws (the
    simulation, the comparison, the bottom line, the risk and the levers), as for
    :func:`~statecraft.analysis.uncertainty.simulate`.
    """
    from statecraft.report import charts
    from statecraft.report.registry import CHARTS, COMPUTE, ChartInputs

    parse_memory(memory)  # a bad budget is refused before any work
    for actor in advise:
        if actor not in scenario.actor_ids:
            raise ValueError(
                f"no actor {actor!r} in {scenario.name} to advise; the actors are: "
                f"{', '.join(scenario.actor_ids)}"
            )
    inputs = ChartInputs(
        model=model or default_model(), draws=draws, seed=seed, patches=patches, memory=memory
    )
    if advise:  # the levers' memory, before any study is run
        check_advise(scenario, inputs.the_model, draws or BOTTOM_LINE_DRAWS, memory)
    results: dict[str, Any] = {"forecast": COMPUTE["forecast"](scenario, inputs)}
    if draws > 0:
        results["simulation"] = COMPUTE["simulation"](scenario, inputs)
    if patches:
        results["comparison"] = COMPUTE["comparison"](scenario, inputs)
    results["sensitivity"] = COMPUTE["sensitivity"](scenario, inputs)
    if any(i.status_quo is not None for i in scenario.issues) and len(scenario.actors) > 1:
        settled = replace(inputs, draws=draws or BOTTOM_LINE_DRAWS)
        results["risk"] = COMPUTE["risk"](scenario, settled)
    made: dict[str, str] = {}
    captions: dict[str, str] = {}
    for chart in CHARTS.values():
        result = results.get(chart.needs)
        if not chart.auto or result is None or not chart.met_by(result):
            continue
        for item in scenario.issues if chart.per_issue else [None]:
            key = chart.kind if item is None else f"{chart.kind}-{item.id}"
            shown = inputs if item is None else replace(inputs, issue=item.id)
            made[key] = svg(chart.draw(result, shown), key)
            captions[key] = chart.caption_for(None if item is None else item.label)
    sens = results["sensitivity"]
    for item in scenario.issues:  # the tornado of every issue that some input moves
        if sens.tornado(item.id):
            key = f"tornado-{item.id}"
            made[key] = svg(charts.tornado(sens, item.id, top=TORNADO_TOP), key)
            captions[key] = CHARTS["tornado"].caption_for(item.label)
    f: Forecast = results["forecast"]
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    reference = default_model() if default_model() in f.model_names else None
    bottom = brief(scenario, draws=draws or BOTTOM_LINE_DRAWS, seed=seed, memory=memory)
    advice = tuple(
        advise_actor(
            scenario,
            actor,
            model=inputs.the_model,
            draws=draws or BOTTOM_LINE_DRAWS,
            seed=seed,
            flips=k == 0,  # the verdict is the same for every actor: searched once
            memory=memory,
        )
        for k, actor in enumerate(dict.fromkeys(advise))
    )
    linked = _linked(scenario)
    return Report(
        f,
        made,
        results.get("simulation"),
        results.get("comparison"),
        created,
        _sections(linked),
        captions,
        reference,
        bottom,
        results.get("risk"),
        advice,
        {name: run for name, (_, run) in linked.items()},
        sens,
    )


def _linked(scenario: Scenario) -> dict[str, tuple[str, Forecast]]:
    """Every linked model that applies to the scenario, by name: its title and its run
    (each model runs alone, as ``forecast(scenario, name)`` would)."""
    batch = scenario_batch(scenario)
    out = {}
    for name, cls in available_models().items():
        if not cls.links_issues or len(cls().not_applicable(batch)) == batch.n_issues:
            continue
        out[name] = (cls.title, forecast(scenario, name))
    return out


def _sections(linked: dict[str, tuple[str, Forecast]]) -> tuple[Section, ...]:
    """The sections of the linked models whose details' class has one (:data:`SECTIONS`)."""
    out = []
    for name, (title, run) in linked.items():
        details = run.linked.get(name)
        template = SECTIONS.get(type(details)) if details is not None else None
        if template is not None and details is not None:
            out.append(Section(template, name, title, run, details))
    return tuple(out)


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
