"""The public forecast: a scenario, a built-in name or a path, read and run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from statecraft.io import load
from statecraft.models import Model
from statecraft.runner import Forecast
from statecraft.runner import forecast as run_forecast
from statecraft.scenario import Scenario

__all__ = ["forecast"]


def forecast(
    scenario: Scenario | str | Path,
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
    if not isinstance(scenario, Scenario):
        scenario = load(scenario)
    return run_forecast(scenario, model, primary=primary, options=options, seed=seed)
