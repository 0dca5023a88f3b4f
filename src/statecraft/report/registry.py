"""One registry of the charts: what each shows, what it needs, how it is computed and drawn.

The command line's ``statecraft plot KIND``, the report's figures, the web app's
``POST /api/chart`` and the page's list of charts (``GET /api/charts``) all read
:data:`CHARTS`. An entry (:class:`Chart`) says:

- ``kind`` and a one-line ``description``;
- ``needs``: the result it is drawn from: a ``forecast``, a ``simulation`` (Monte Carlo), a
  ``comparison`` (counterfactual patches), a ``sensitivity`` study (one input at a time) or
  a ``backtest`` (of a DEU table, not a scenario), a ``risk`` analysis (of a scenario with
  a status quo, docs/risk.md) or a ``sweep`` of one or two inputs (docs/advise.md);
- ``details``: for a chart of a forecast, the capability the models' details must have (a
  method of the details, such as ``trajectory_records`` where a model bargains in rounds),
  never a model's name: it can be drawn only from a forecast in which some model run gives
  such details (:meth:`Chart.met_by`);
- ``takes`` and ``requires``: which of the :class:`ChartInputs` it reads, and which it
  cannot do without;
- ``compute``: the result from a scenario (or a DEU table) and the inputs, through the
  public API; ``draw``: the figure from the result (:mod:`statecraft.report.charts`);
- ``auto``: drawn, wherever its result is shown (the report, the web page), once its needs
  are met; ``per_issue``: then drawn once per issue; ``caption``: what it shows, in a
  sentence (``{issue}`` stands for the issue's label).

Adding a chart is adding its drawing function to :mod:`statecraft.report.charts` and one
entry here.

>>> [kind for kind, c in CHARTS.items() if c.needs == "forecast"]
['trajectories', 'issue-map', 'winners', 'quadrant', 'confrontations']
>>> CHARTS["trajectories"].details.method
'trajectory_records'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from statecraft.analysis.backtest import backtest
from statecraft.analysis.counterfactual import Patch, compare
from statecraft.analysis.risk import risk
from statecraft.analysis.sensitivity import one_at_a_time
from statecraft.analysis.timeline import Timeline, run_timeline
from statecraft.analysis.uncertainty import simulate
from statecraft.io.deu import DeuTable
from statecraft.models import default_model
from statecraft.report import charts
from statecraft.report.risk_chart import risk_bars
from statecraft.report.sweep_chart import compute_sweep, draw_sweep, draw_sweep_map
from statecraft.report.timeline_chart import timeline_chart
from statecraft.runner import Forecast, forecast
from statecraft.scenario import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "CHARTS",
    "Capability",
    "Chart",
    "ChartInputs",
    "MissingInput",
    "Needs",
    "get_chart",
]

Needs = Literal[
    "forecast", "simulation", "comparison", "sensitivity", "backtest", "risk", "timeline", "sweep"
]
Source = Scenario | DeuTable | Timeline

#: How a missing input is said, and the default name of the input in it ({flag}).
_MISSING = {
    "actor": ("the {kind} chart needs {flag}: whose view to draw", "an actor"),
    "patches": ("the {kind} chart needs at least one {flag}", "patch"),
    "sweep": ("the {kind} chart needs {flag}: the input to sweep and its range", "a sweep"),
}


class MissingInput(ValueError):
    """A chart asked for without an input it cannot do without; :meth:`phrase` names the
    input as a front end asks for it (``--actor`` on the command line)."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind = kind
        self.input = name
        super().__init__(self.phrase(_MISSING[name][1]))

    def phrase(self, flag: str) -> str:
        """The message with the input named ``flag``."""
        return _MISSING[self.input][0].format(kind=self.kind, flag=flag)


@dataclass(frozen=True)
class ChartInputs:
    """What a chart may be drawn with: the ``issue`` (default: the first) and ``actor``;
    the ``model`` of a simulation, a comparison or a sensitivity study (default: the first
    registered model); the ``models`` of a forecast (default: every one-issue model that
    applies) or a backtest (default: all); counterfactual ``patches``; Monte Carlo
    ``draws`` and ``seed``; model ``options``; the ``sweep`` of a sweep chart: one or two
    (input, from, to, steps), the input as ``actor:issue:field`` or ``actor:capability``;
    the ``memory`` budget of the studies that draw (None: the default, 512 MiB)."""

    issue: str | None = None
    actor: str | None = None
    model: str | None = None
    models: Sequence[str] | None = None
    patches: Sequence[Patch] = ()
    draws: int = 2000
    seed: int = 0
    options: Mapping[str, Any] = field(default_factory=dict)
    sweep: Sequence[tuple[str, float, float, int]] = ()
    memory: int | str | None = None

    @property
    def the_model(self) -> str:
        """The model of a simulation, comparison or sensitivity study."""
        return self.model or default_model()


class Capability(NamedTuple):
    """What a model's details must have: a method, and what it gives, in words."""

    method: str
    gives: str


@dataclass(frozen=True)
class Chart:
    """One kind of chart (see the module's docstring)."""

    kind: str
    description: str
    needs: Needs
    compute: Callable[[Source, ChartInputs], Any]
    draw: Callable[[Any, ChartInputs], Figure]
    details: Capability | None = None
    takes: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    per_issue: bool = False
    auto: bool = False
    caption: str = ""

    @property
    def reads(self) -> Literal["scenario", "deu-table", "timeline"]:
        """What it is computed from: a scenario, a DEU table (a backtest) or a timeline."""
        if self.needs == "timeline":
            return "timeline"
        return "deu-table" if self.needs == "backtest" else "scenario"

    def met_by(self, result: Any) -> bool:
        """Whether it can be drawn from ``result`` (a forecast must have run a model whose
        details have the capability the chart needs)."""
        if self.details is None:
            return True
        return isinstance(result, Forecast) and result.model_with(self.details.method) is not None

    def check(self, source: Source, inputs: ChartInputs) -> None:
        """Refuse, before any work, inputs the chart cannot be drawn with."""
        for name in self.requires:
            if not getattr(inputs, name):
                raise MissingInput(self.kind, name)
        known = source.issue_ids if isinstance(source, Scenario) else None
        if known is not None and inputs.issue is not None and inputs.issue not in known:
            raise ValueError(f"unknown issue {inputs.issue!r}; the issues are: {', '.join(known)}")

    def make(self, source: Source, inputs: ChartInputs) -> Figure:
        """Check the inputs, compute the result and draw it."""
        self.check(source, inputs)
        result = self.compute(source, inputs)
        if not self.met_by(result):
            assert self.details is not None
            raise ValueError(
                f"the {self.kind} chart needs a model that gives {self.details.gives}, and "
                "none of the models run does"
            )
        return self.draw(result, inputs)

    def caption_for(self, issue_label: str | None = None) -> str:
        """The caption, with the issue's label where it has a place for one."""
        return self.caption.replace("{issue}", issue_label or "")

    def to_dict(self) -> dict[str, Any]:
        """What a front end needs to offer it (the web app's ``GET /api/charts``)."""
        return {
            "kind": self.kind,
            "description": self.description,
            "needs": self.needs,
            "reads": self.reads,
            "details": None if self.details is None else self.details.method,
            "details_give": None if self.details is None else self.details.gives,
            "takes": list(self.takes),
            "requires": list(self.requires),
            "per_issue": self.per_issue,
            "auto": self.auto,
            "caption": self.caption,
        }


# --- computing what a chart needs, through the public API -------------------------------------


def _scenario(source: Source) -> Scenario:
    if not isinstance(source, Scenario):
        raise ValueError("this chart is drawn from a scenario, not from a DEU table")
    return source


def compute_forecast(source: Source, inputs: ChartInputs) -> Forecast:
    """The forecast of the chosen models (default: every one-issue model that applies)."""
    models = list(inputs.models) if inputs.models else None
    return forecast(_scenario(source), models, options=inputs.options, seed=inputs.seed)


def compute_simulation(source: Source, inputs: ChartInputs) -> Any:
    """A Monte Carlo study of the chosen model."""
    return simulate(
        _scenario(source),
        inputs.the_model,
        draws=inputs.draws,
        seed=inputs.seed,
        options=inputs.options,
        memory=inputs.memory,
    )


def compute_comparison(source: Source, inputs: ChartInputs) -> Any:
    """The scenario against its counterfactual patches, under the chosen model."""
    patches = list(inputs.patches)
    return compare(
        _scenario(source),
        patches,
        inputs.the_model,
        options=dict(inputs.options),
        memory=inputs.memory,
    )


def compute_sensitivity(source: Source, inputs: ChartInputs) -> Any:
    """One input at a time over its range, under the chosen model."""
    return one_at_a_time(_scenario(source), inputs.the_model, options=inputs.options)


def compute_risk(source: Source, inputs: ChartInputs) -> Any:
    """The risk analysis of the scenario's settlement (its status quos; docs/risk.md)."""
    return risk(_scenario(source), draws=inputs.draws, seed=inputs.seed, memory=inputs.memory)


def compute_backtest(source: Source, inputs: ChartInputs) -> Any:
    """The backtest of a DEU table (10 bootstrap resamples: the chart needs no intervals)."""
    if not isinstance(source, DeuTable):
        raise ValueError("the backtest chart is drawn from a DEU table, not from a scenario")
    return backtest(source, list(inputs.models) if inputs.models else None, replicates=10)


def compute_timeline(source: Source, inputs: ChartInputs) -> Any:
    """The run of a timeline: the brief of every snapshot on the inputs' draws and seed."""
    if not isinstance(source, Timeline):
        raise ValueError("the timeline chart is drawn from a timeline, not from a scenario")
    return run_timeline(source, draws=inputs.draws, seed=inputs.seed, memory=inputs.memory)


#: The computation of each kind of result.
COMPUTE: dict[Needs, Callable[[Source, ChartInputs], Any]] = {
    "forecast": compute_forecast,
    "simulation": compute_simulation,
    "comparison": compute_comparison,
    "sensitivity": compute_sensitivity,
    "backtest": compute_backtest,
    "risk": compute_risk,
    "timeline": compute_timeline,
    "sweep": compute_sweep,
}


def _chart(kind: str, description: str, needs: Needs, draw: Any, **more: Any) -> Chart:
    return Chart(kind, description, needs, COMPUTE[needs], draw, **more)


ROUNDS = Capability("trajectory_records", "rounds of bargaining")
VIEWS = Capability("final_views", "each actor's view of the others once bargaining stops")
CONFRONTATIONS = Capability("confrontations", "the dyads headed for confrontation")

#: Every chart by its kind: what it shows, what it needs and how it is drawn (docs/charts.md).
CHARTS: dict[str, Chart] = {
    c.kind: c
    for c in (
        _chart(
            "trajectories",
            "each actor's position round by round under a model that bargains in rounds "
            "(one issue)",
            "forecast",
            lambda f, i: charts.trajectories(f, i.issue),
            details=ROUNDS,
            takes=("issue", "models", "options"),
            per_issue=True,
            auto=True,
            caption="{issue}: positions by round (beyond four actors, a panel each, the "
            "others in grey); the forecast in bold.",
        ),
        _chart(
            "issue-map",
            "actors on each issue's scale; every model's forecast and the status quo",
            "forecast",
            lambda f, i: charts.issue_map(f),
            takes=("models", "options"),
            auto=True,
            caption="The actors on each issue's scale (marker size: capability; shade: "
            "salience) and each model's forecast.",
        ),
        _chart(
            "winners",
            "gain per actor under the forecast and under the actual outcome",
            "forecast",
            lambda f, i: charts.winners_chart(f),
            takes=("models", "options"),
            auto=True,
            caption="Gain per actor: how far the outcome moved toward what it wanted, "
            "weighted by salience (docs/winners.md).",
        ),
        _chart(
            "quadrant",
            "one actor's view of every other once bargaining stops (one issue)",
            "forecast",
            lambda f, i: charts.quadrant(f, str(i.actor), i.issue),
            details=VIEWS,
            takes=("issue", "actor", "models", "options"),
            requires=("actor",),
            caption="{issue}: one actor's expected utility of challenging each other actor, "
            "against that actor's of challenging it.",
        ),
        _chart(
            "confrontations",
            "how often each pair of actors is headed for confrontation",
            "forecast",
            lambda f, i: charts.confrontations(f),
            details=CONFRONTATIONS,
            takes=("models", "options"),
            auto=True,
            caption="On how many issues each pair is headed for confrontation.",
        ),
        _chart(
            "distributions",
            "Monte Carlo outcome distributions per issue, with intervals",
            "simulation",
            lambda s, i: charts.distributions(s),
            takes=("model", "draws", "seed", "options"),
            auto=True,
            caption="The distribution of the forecast per issue.",
        ),
        _chart(
            "tornado",
            "one-at-a-time sensitivity of a forecast (one issue)",
            "sensitivity",
            lambda s, i: charts.tornado(s, i.issue or s.scenario.issue_ids[0]),
            takes=("issue", "model", "options"),
            caption="{issue}: the inputs that move the forecast most, each from its low to "
            "its high value.",
        ),
        _chart(
            "counterfactuals",
            "the base forecast against counterfactual patches",
            "comparison",
            lambda c, i: charts.counterfactuals(c),
            takes=("patches", "model", "options"),
            requires=("patches",),
            auto=True,
            caption="The base forecast and each counterfactual.",
        ),
        _chart(
            "risk",
            "will the settlement hold? the dyads ranked by their risk index, with intervals",
            "risk",
            lambda r, i: risk_bars(r),
            takes=("draws", "seed"),
            auto=True,
            caption="The risk index of the riskiest dyads: the chance that one side "
            "challenges the settlement and the other resists (docs/risk.md); whiskers: the "
            "80% interval over the uncertain numbers.",
        ),
        _chart(
            "backtest",
            "predicted against actual outcomes, and error distributions per model",
            "backtest",
            lambda b, i: charts.backtest_chart(b),
            takes=("models",),
            caption="Forecast against outcome for the three best models (ranked by the paired "
            "difference from the compromise model, those scored on fewer issues last), and "
            "the errors of each model.",
        ),
        _chart(
            "timeline",
            "the risk of renewed conflict and each issue's forecast at every snapshot of a "
            "timeline, with the events marked",
            "timeline",
            lambda r, i: timeline_chart(r),
            takes=("draws", "seed"),
            caption="The followed dyad's risk index and 80% interval at every snapshot, the "
            "riskiest dyads, then each issue's forecast and 80% interval, the status quo, "
            "and the later events (grey lines; dots: their coded outcomes).",
        ),
        _chart(
            "sweep",
            "every issue's forecast and the biggest winner as one input moves, the points "
            "where the winner changes marked",
            "sweep",
            draw_sweep,
            takes=("sweep", "model", "options"),
            requires=("sweep",),
            caption="Each issue's forecast and the biggest winner across the input's values; "
            "dashed: the winner changes; dotted: the coded value.",
        ),
        _chart(
            "sweep-map",
            "a heat map of the biggest winner (or, with an issue, of its forecast) over a "
            "grid of two inputs",
            "sweep",
            draw_sweep_map,
            takes=("sweep", "issue", "model", "options"),
            requires=("sweep",),
            caption="The biggest winner (or the issue's forecast) over a grid of two inputs; "
            "the cross: their coded values.",
        ),
    )
}


def get_chart(kind: str) -> Chart:
    """The chart of a kind; an unknown kind raises ValueError naming the kinds."""
    try:
        return CHARTS[kind]
    except KeyError:
        raise ValueError(f"unknown chart {kind!r}; the charts are: {', '.join(CHARTS)}") from None
