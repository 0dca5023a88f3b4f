"""The public entry points that read a scenario: a :class:`Scenario`, a built-in name or a
path, read with :func:`statecraft.load` and handed to the engine (which takes scenarios)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, Literal, ParamSpec, TypeVar

from statecraft.io import load
from statecraft.scenario import Scenario

if TYPE_CHECKING:  # imported where used, so that a command imports only its own analysis
    from statecraft.analysis.counterfactual import Comparison, Counterfactual
    from statecraft.analysis.risk import PowerShift, ProgressFn, Risk, Settlement
    from statecraft.analysis.timeline import RiskHook, Timeline, TimelineRun
    from statecraft.models import Model
    from statecraft.runner import Forecast

__all__ = [
    "advise",
    "brief",
    "compare",
    "forecast",
    "one_at_a_time",
    "power_shift",
    "risk",
    "simulate",
    "sobol_indices",
    "sweep",
    "timeline",
    "what_flips",
]

P = ParamSpec("P")
R = TypeVar("R")
ScenarioLike = Scenario | str | Path


def _scenario(scenario: ScenarioLike) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load(scenario)


def _reads_scenario(
    func: Callable[Concatenate[Scenario, P], R],
) -> Callable[Concatenate[ScenarioLike, P], R]:
    """The engine's function, taking a scenario, a built-in name or a path."""

    @functools.wraps(func)
    def run(scenario: ScenarioLike, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return func(_scenario(scenario), *args, **kwargs)

    run.__doc__ = (func.__doc__ or "").rstrip() + (
        "\n\n    ``scenario`` may also be a built-in scenario's name or a path (read with"
        "\n    :func:`statecraft.load`).\n"
    )
    return run


#: The engine's functions taken as they are, but for the scenario: each is wrapped (and its
#: analysis imported) the first time it is read (PEP 562), so that ``statecraft simulate``
#: does not import the analyses it does not run.
_WRAPPED = {
    "simulate": ("statecraft.analysis.uncertainty", "simulate"),
    "brief": ("statecraft.analysis.brief", "brief"),
    "one_at_a_time": ("statecraft.analysis.sensitivity", "one_at_a_time"),
    "sobol_indices": ("statecraft.analysis.sensitivity", "sobol_indices"),
    "advise": ("statecraft.analysis.advise", "advise"),
    "sweep": ("statecraft.analysis.advise", "sweep"),
    "what_flips": ("statecraft.analysis.advise", "what_flips"),
}

if TYPE_CHECKING:
    from statecraft.analysis.advise import advise as _advise
    from statecraft.analysis.advise import sweep as _sweep
    from statecraft.analysis.advise import what_flips as _what_flips
    from statecraft.analysis.brief import brief as _brief
    from statecraft.analysis.sensitivity import one_at_a_time as _one_at_a_time
    from statecraft.analysis.sensitivity import sobol_indices as _sobol_indices
    from statecraft.analysis.uncertainty import simulate as _simulate

    simulate = _reads_scenario(_simulate)
    brief = _reads_scenario(_brief)
    one_at_a_time = _reads_scenario(_one_at_a_time)
    sobol_indices = _reads_scenario(_sobol_indices)
    advise = _reads_scenario(_advise)
    sweep = _reads_scenario(_sweep)
    what_flips = _reads_scenario(_what_flips)


def __getattr__(name: str) -> Any:
    where = _WRAPPED.get(name)
    if where is None:
        raise AttributeError(f"module 'statecraft._front' has no attribute {name!r}")
    value = _reads_scenario(getattr(import_module(where[0]), where[1]))
    globals()[name] = value
    return value


def forecast(
    scenario: ScenarioLike,
    model: str | Model | Sequence[str | Model] | None = None,
    *,
    primary: str | None = None,
    options: Mapping[str, Any] | None = None,
    seed: int = 0,
) -> Forecast:
    """Forecast every issue of a scenario with one or more models, and rank the winners.

    ``scenario`` is a :class:`Scenario`, a built-in name or a path (read with
    :func:`statecraft.load`); the rest is :func:`statecraft.runner.forecast`'s.

    >>> f = forecast("ec-emissions-1994", "compromise")
    >>> round(f.value("emissions", "compromise"), 3)
    7.39
    """
    from statecraft.runner import forecast as run_forecast

    return run_forecast(_scenario(scenario), model, primary=primary, options=options, seed=seed)


def compare(
    scenario: ScenarioLike,
    patches: Sequence[Counterfactual],
    model: str | Model | None = None,
    *,
    draws: int = 0,
    seed: int = 0,
    options: dict[str, Any] | None = None,
    odds: bool = True,
    weights: str | Mapping[str, float] = "equal",
    memory: int | str | None = None,
) -> Comparison:
    """Forecast the scenario and each patched copy. Each counterfactual is a :class:`Patch`,
    a built-in patch's name or a patch file's path, a stack of them as text (``"a+b"``) or a
    list of them to stack in order (``[a, b]``: the later over the earlier, see
    :meth:`Patch.stack`); the rest is :func:`statecraft.analysis.counterfactual.compare`'s.

    >>> c = compare("karabakh-2020", ["us-engaged", ["us-engaged", "eu-engaged"]])
    >>> sorted(set(c.to_frame()["scenario"]))
    ['base', 'us-engaged', 'us-engaged+eu-engaged']
    """
    from statecraft.analysis.counterfactual import as_patch
    from statecraft.analysis.counterfactual import compare as run_compare

    s = _scenario(scenario)
    given = [as_patch(p, scenario=s) for p in patches]
    return run_compare(
        s,
        given,
        model,
        draws=draws,
        seed=seed,
        options=options,
        odds=odds,
        weights=weights,
        memory=memory,
    )


def risk(
    scenario: ScenarioLike,
    *,
    previous: ScenarioLike | None = None,
    draws: int = 2000,
    seed: int = 0,
    dyad: Sequence[str] | None = None,
    settlement: Settlement = "status_quo",
    progress: ProgressFn | None = None,
    memory: int | str | None = None,
) -> Risk:
    """Will the settlement hold? The risk index of every dyad, the pressure on each issue
    of the settlement and its guarantors, with their spread over the uncertain numbers.

    ``scenario`` and ``previous`` (the scenario at an earlier moment, for the shift of
    power) are each a :class:`Scenario`, a built-in name or a path; the rest is
    :func:`statecraft.analysis.risk.risk`'s (docs/risk.md).

    >>> r = risk("karabakh-2020", draws=200, seed=1)
    >>> sorted((r.dyads[0].a, r.dyads[0].b))
    ['artsakh', 'azerbaijan']
    """
    from statecraft.analysis.risk import risk as run_risk

    return run_risk(
        _scenario(scenario),
        previous=None if previous is None else _scenario(previous),
        draws=draws,
        seed=seed,
        dyad=dyad,
        settlement=settlement,
        progress=progress,
        memory=memory,
    )


def power_shift(before: ScenarioLike, after: ScenarioLike) -> PowerShift:
    """The shift of power between two moments of a scenario, on ``after``'s settlement, at
    the scenarios' values; each a :class:`Scenario`, a built-in name or a path
    (:func:`statecraft.analysis.risk.power_shift`, docs/risk.md)."""
    from statecraft.analysis.risk import power_shift as run_power_shift

    return run_power_shift(_scenario(before), _scenario(after))


def timeline(
    source: Timeline | str | Path,
    *,
    draws: int = 1000,
    seed: int = 0,
    hold: Sequence[str] = (),
    risk: RiskHook | Literal["conflict"] | None = "conflict",
    calibrated: bool = True,
    memory: int | str | None = None,
) -> TimelineRun:
    """Run a timeline: a :class:`~statecraft.analysis.timeline.Timeline`, a built-in
    timeline's name or a timeline file (read with
    :func:`~statecraft.analysis.timeline.load_timeline`); the rest is
    :func:`statecraft.analysis.timeline.run_timeline`'s: for every snapshot the forecasts,
    the verdict and the scores against the later events, with ``hold``'s actors kept at the
    base's capability and salience.

    >>> run = timeline("karabakh-2020-2023", draws=50)
    >>> [s.snapshot.id for s in run.snapshots]
    ['2021-12', '2022-11', '2023-08']
    """
    from statecraft.analysis.timeline import Timeline, load_timeline
    from statecraft.analysis.timeline import run_timeline as run_the_timeline

    t = source if isinstance(source, Timeline) else load_timeline(source)
    return run_the_timeline(
        t, draws=draws, seed=seed, hold=hold, risk=risk, calibrated=calibrated, memory=memory
    )
