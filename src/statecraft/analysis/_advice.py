"""The results of :mod:`statecraft.analysis.advise`: levers, flips and sweeps, each with
``to_frame()``, ``to_dict()`` (strict JSON) and a short repr."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from statecraft.notebook import Notebook, count
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Advice", "Flip", "FlipSearch", "Lever", "Sweep"]

_WHY_NULL = {
    "effect_per_unit": "no derivative: the lever is not a number (an actor leaving)",
    "robustness": "the scenario has no uncertain inputs to draw",
    "winner": "no single biggest winner: nobody gains, or the top gain is shared",
    "pair": "no pair of changes cheaper than the best single one changes the verdict",
    "verdict": "no single biggest winner: nobody gains, or the top gain is shared",
}


@dataclass(frozen=True)
class Lever:
    """One lever: an input, its effect on the goal per unit and across its plausible range
    (at the high end minus at the low end; for an actor leaving, without it minus with
    it), the direction that helps, and the share of draws in which that direction helps."""

    actor: str
    input: str
    kind: str
    issue: str | None
    value: float | None
    low: float | None
    high: float | None
    range_from: str  # "scenario" (the input's own range), "default" or "leave"
    effect_per_unit: float | None
    effect_range: float
    direction: str
    robustness: float | None
    method: str  # "closed form" or "perturbation"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Flip:
    """A change of one or two inputs that changes the verdict, and its cost in units of
    each input's plausible range."""

    inputs: tuple[str, ...]
    values: tuple[float, ...]  # the coded values
    to: tuple[float, ...]  # the values that change the verdict
    cost: float
    verdict: str | None  # the new verdict

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": list(self.inputs),
            "from": list(self.values),
            "to": list(self.to),
            "cost": self.cost,
            "verdict": self.verdict,
        }


@dataclass(frozen=True, repr=False)
class FlipSearch(Notebook):
    """The smallest changes that change a verdict: one input at a time (cheapest first) and
    the cheapest pair found by search (None when no pair beats the best single change)."""

    scenario: str
    model: str
    what: str  # "biggest winner" or "ISSUE >= THRESHOLD"
    verdict: str | None
    single: tuple[Flip, ...]
    pair: Flip | None
    searched: int  # how many inputs were moved

    @property
    def cheapest(self) -> Flip | None:
        options = [*self.single[:1], *([self.pair] if self.pair else [])]
        return min(options, key=lambda f: f.cost) if options else None

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{"kind": "single", **f.to_dict()} for f in self.single]
        if self.pair:
            rows.append({"kind": "pair", **self.pair.to_dict()})
        return pd.DataFrame.from_records(rows)

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        return dict(
            strict_json(
                {
                    "scenario": self.scenario,
                    "model": self.model,
                    "what": self.what,
                    "verdict": self.verdict,
                    "searched": self.searched,
                    "single": [f.to_dict() for f in self.single[:top]],
                    "pair": self.pair.to_dict() if self.pair else None,
                },
                why=_WHY_NULL,
            )
        )

    def _summary(self) -> list[str]:
        c = self.cheapest
        said = "nothing within reach" if c is None else f"{' + '.join(c.inputs)} ({c.cost:.2f})"
        return [
            f"FlipSearch of {self.scenario!r}: {self.what} = {self.verdict} under {self.model}",
            f"  {self.searched} inputs moved; cheapest flip: {said}",
        ]


@dataclass(frozen=True, repr=False)
class Advice(Notebook):
    """The levers of an actor's goal under one model, ranked by the size of their effect
    across the plausible range, with what flips the verdict."""

    scenario: str
    model: str
    actor: str
    goal: str  # "gain" or "target"
    targets: Mapping[str, float]
    issues: tuple[str, ...]
    goal_value: float
    levers: tuple[Lever, ...]
    draws: int
    uncertain: tuple[str, ...]  # the inputs drawn for robustness
    flips: FlipSearch | None = None
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """One row per lever, biggest effect first."""
        import pandas as pd

        return pd.DataFrame.from_records([lv.to_dict() for lv in self.levers])

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        return dict(
            strict_json(
                {
                    "scenario": self.scenario,
                    "model": self.model,
                    "actor": self.actor,
                    "goal": {"kind": self.goal, "targets": dict(self.targets)},
                    "issues": list(self.issues),
                    "goal_value": self.goal_value,
                    "draws": self.draws,
                    "uncertain_inputs": list(self.uncertain),
                    "levers": [lv.to_dict() for lv in self.levers[:top]],
                    "flips": self.flips.to_dict(top) if self.flips else None,
                    "notes": list(self.notes),
                },
                why=_WHY_NULL,
            )
        )

    def _headline(self) -> pd.DataFrame:
        """The levers, biggest effect first: input, effect across the range, direction,
        robustness."""
        cols = ["input", "effect_range", "direction", "robustness", "method"]
        return self.to_frame().reindex(columns=cols)

    def _summary(self) -> list[str]:
        lines = [
            f"Advice for {self.actor} in {self.scenario!r} under {self.model}: "
            f"{len(self.levers)} levers ({self.goal} {self.goal_value:.4g})"
        ]
        lines += [f"  {lv.input}: effect {lv.effect_range:+.4g}" for lv in self.levers[:3]]
        if self.flips is not None:
            lines += self.flips._summary()[1:]
        return lines


@dataclass(frozen=True, repr=False)
class Sweep(Notebook):
    """The forecasts and the biggest winner at each point of a grid of one or two inputs."""

    scenario: str
    model: str
    inputs: tuple[str, ...]
    axes: tuple[tuple[float, ...], ...]  # the values of each input
    issues: tuple[str, ...]
    forecasts: Sequence[Sequence[float]]  # (points, issues), points in row-major grid order
    winners: tuple[str | None, ...]

    @property
    def values(self) -> list[tuple[float, ...]]:
        """Each point's input values, in the order of :attr:`forecasts`."""
        if len(self.axes) == 1:
            return [(v,) for v in self.axes[0]]
        return [(a, b) for a in self.axes[0] for b in self.axes[1]]

    def changes(self) -> list[int]:
        """The points (of a one-input sweep) where the winner differs from the point before."""
        return [k for k in range(1, len(self.winners)) if self.winners[k] != self.winners[k - 1]]

    def without_forecast(self) -> list[bool]:
        """Whether, at each point, the model gave no forecast of any issue (its winner is
        then None, as where the top gain is shared)."""
        return [all(math.isnan(x) for x in row) for row in self.forecasts]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = []
        for value, row, winner in zip(self.values, self.forecasts, self.winners, strict=True):
            rec: dict[str, Any] = dict(zip(self.inputs, value, strict=True))
            rec.update({f"forecast:{i}": f for i, f in zip(self.issues, row, strict=True)})
            rec["winner"] = winner
            rows.append(rec)
        return pd.DataFrame.from_records(rows)

    def to_dict(self) -> dict[str, Any]:
        one = len(self.inputs) == 1
        points = [
            {
                "value": value[0] if one else list(value),
                "forecasts": dict(zip(self.issues, row, strict=True)),
                "winner": winner,
            }
            for value, row, winner in zip(self.values, self.forecasts, self.winners, strict=True)
        ]
        return dict(
            strict_json(
                {
                    "scenario": self.scenario,
                    "model": self.model,
                    "inputs": list(self.inputs),
                    "grid": [len(a) for a in self.axes],
                    "points": points,
                },
                why={**_WHY_NULL, "forecasts": "the model gave no forecast of the issue"},
            )
        )

    def _summary(self) -> list[str]:
        grid = " x ".join(str(len(a)) for a in self.axes)
        changes = len(self.changes()) if len(self.inputs) == 1 else None
        named = sorted({w for w in self.winners if w is not None})
        if None in self.winners:  # a point where nobody wins alone, or with no forecast
            named.append("no winner")
        return [
            f"Sweep of {', '.join(self.inputs)} in {self.scenario!r} ({grid} points) "
            f"under {self.model}",
            f"  winners: {', '.join(named)}"
            + ("" if changes is None else f"; the winner changes {count(changes, 'time')}"),
        ]
