"""What the web app's worker processes compute: one function per kind of request.

Each runs in a worker (:mod:`statecraft.web.workers`) and returns picklable values: the
result object, when the server records it in the run store, and what the response sends.
A :class:`~statecraft.StatecraftError` or ``ValueError`` raised here is refused with 422
and the error's words; the fork server imports this module, and so Statecraft and its
models, once, before any worker starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from statecraft import Scenario, advise, brief, compare, forecast, risk, simulate, sweep
from statecraft.api import CHARTS, ChartInputs, get_chart, read_deu

__all__ = [
    "advice",
    "bottom_line",
    "chart",
    "comparison",
    "forecast_charts",
    "prediction",
    "report",
    "settlement_risk",
    "study",
    "sweeping",
]


def forecast_charts(result: Any) -> list[str]:
    """The kinds of chart drawn from a forecast that this forecast can be drawn in: those
    whose needs its models' details meet."""
    return [k for k, c in CHARTS.items() if c.needs == "forecast" and c.met_by(result)]


def prediction(
    s: Scenario, models: list[str] | None, primary: str | None, options: dict[str, Any]
) -> tuple[Any, dict[str, Any], list[str]]:
    """A forecast (``statecraft forecast``): the result, its data and the charts it allows."""
    result = forecast(s, models, primary=primary, options=options)
    return result, result.to_dict(), forecast_charts(result)


def bottom_line(
    s: Scenario,
    models: list[str] | None,
    draws: int,
    seed: int,
    weights: str | dict[str, float],
    options: dict[str, Any],
    model_error: bool = True,
) -> dict[str, Any]:
    """The bottom line (``statecraft brief``) as JSON data."""
    return brief(
        s, models, draws=draws, seed=seed, weights=weights, options=options, calibrated=model_error
    ).to_dict()


def settlement_risk(
    s: Scenario,
    previous: Scenario | None,
    draws: int,
    seed: int,
    settlement: str,
    dyad: list[str] | None,
) -> dict[str, Any]:
    """Will the settlement hold? (``statecraft risk``) as JSON data."""
    return risk(
        s,
        previous=previous,
        draws=draws,
        seed=seed,
        settlement=settlement,  # type: ignore[arg-type]
        dyad=dyad,
    ).to_dict()


def comparison(
    s: Scenario, patches: Sequence[Any], models: Sequence[str], draws: int, seed: int
) -> list[tuple[Any, dict[str, Any]]]:
    """The scenario and its counterfactual patches (``statecraft compare``) under each
    model in turn, on the same draws (the same seed)."""
    out = []
    for model in models:
        result = compare(s, list(patches), model, draws=draws, seed=seed)
        out.append((result, result.to_dict()))
    return out


def advice(
    s: Scenario,
    actor: str,
    issues: list[str] | None,
    targets: dict[str, float],
    model: str,
    options: dict[str, Any],
    draws: int,
    seed: int,
    flips: bool,
    threshold: float | None,
) -> dict[str, Any]:
    """The levers of an actor's goal (``statecraft advise``) as JSON data."""
    return advise(
        s,
        actor,
        issues=issues,
        targets=targets,
        model=model,
        options=options,
        draws=draws,
        seed=seed,
        flips=flips,
        threshold=threshold,
    ).to_dict()


def sweeping(
    s: Scenario,
    axes: list[tuple[str, float, float, int]],
    model: str,
    options: dict[str, Any],
    seed: int,
) -> dict[str, Any]:
    """A sweep of one input, or a grid of two (``statecraft sweep``), as JSON data."""
    return sweep(
        s,
        *axes[0],
        second=axes[1] if len(axes) == 2 else None,
        model=model,
        options=options,
        seed=seed,
    ).to_dict()


def report(s: Scenario, patches: Sequence[Any], model: str, draws: int, seed: int) -> str:
    """The self-contained HTML report (``statecraft report``)."""
    from statecraft.api import report as make

    return make(s, draws=draws, seed=seed, patches=list(patches), model=model).html()


def chart(source: Scenario | str, kind: str, inputs: ChartInputs) -> str:
    """A chart of the registry as SVG text, for a scenario or for a DEU table's text."""
    from statecraft.api import svg

    made = get_chart(kind)
    drawn = made.make(
        source if isinstance(source, Scenario) else read_deu("table", text=source), inputs
    )
    return svg(drawn, made.kind)


def study(
    s: Scenario,
    model: str | list[str],
    draws: int,
    seed: int,
    options: dict[str, Any],
    progress: Callable[[int, int], None],
) -> tuple[Any, dict[str, Any]]:
    """A Monte Carlo study (``statecraft simulate``), saying how many draws are done."""
    result = simulate(s, model, draws=draws, seed=seed, options=options, progress=progress)
    return result, result.to_dict()
