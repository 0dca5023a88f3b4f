"""The result of :func:`statecraft.analysis.risk.risk`: frozen dataclasses, a table for
pandas and strict JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from statecraft.analysis._blocks import BLOCK, block_note
from statecraft.notebook import Notebook
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Band", "DyadRisk", "Guarantor", "IssuePressure", "Risk"]


@dataclass(frozen=True)
class Band:
    """A figure over the draws: its median, 80% interval (10th and 90th percentiles) and
    mean. Quantiles are read from a histogram to 1/1000 (exact at 0)."""

    median: float
    interval80: tuple[float, float]
    mean: float

    def to_dict(self) -> dict[str, Any]:
        return {"median": self.median, "interval80": list(self.interval80), "mean": self.mean}


@dataclass(frozen=True)
class DyadRisk:
    """The risk index of one dyad (``docs/risk.md``); ``shift``, given an earlier moment,
    is the part that comes from the shift of power (already inside ``risk``)."""

    a: str
    b: str
    risk: Band
    shift: Band | None = None


@dataclass(frozen=True)
class IssuePressure:
    """The pressure on one issue of the settlement: the largest actor's pressure, per draw;
    ``leader`` is the actor with the largest mean pressure (None where nobody presses);
    ``by_actor`` every actor's mean pressure."""

    issue: str
    pressure: Band
    leader: str | None
    by_actor: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Guarantor:
    """How much the focus dyad's risk rises when this actor withdraws (negative: it falls,
    the actor adds to the risk rather than holding the settlement)."""

    actor: str
    effect: Band


#: Below this median effect an actor is not called one the settlement rests on.
RESTS_ON = 0.01


@dataclass(frozen=True, repr=False)
class Risk(Notebook):
    """The result of :func:`~statecraft.analysis.risk.risk`: the dyads' risk (riskiest
    first), the pressure on each issue, the guarantors of the focus dyad (most needed
    first) and the settlement's risk (the riskiest dyad's, per draw)."""

    scenario: str
    previous: str | None
    seed: int
    draws: int
    requested: int
    dyads: tuple[DyadRisk, ...]
    issues: tuple[IssuePressure, ...]
    focus: tuple[str, str]
    guarantors: tuple[Guarantor, ...]
    settlement: Band
    names: Mapping[str, str] = field(default_factory=dict)
    #: Draws per block of the random stream (4,096 unless the memory budget held fewer):
    #: part of what a seed reproduces, so it is kept with the result (in its JSON only
    #: where it is not 4,096).
    block: int = BLOCK
    #: The scenario whose settlement was measured and the earlier one (or None), as
    #: defended (what the run store keeps of the run).
    inputs: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @property
    def interrupted(self) -> bool:
        return self.draws < self.requested

    @property
    def block_note(self) -> str | None:
        """What a block size other than 4,096 means for reproducing the draws."""
        return block_note(self.block, self.requested)

    def dyad(self, a: str, b: str) -> DyadRisk:
        """The dyad of actors ``a`` and ``b`` (in either order)."""
        for d in self.dyads:
            if {d.a, d.b} == {a, b}:
                return d
        raise KeyError(f"no dyad {a!r}-{b!r}")

    def issue(self, issue: str) -> IssuePressure:
        for i in self.issues:
            if i.issue == issue:
                return i
        raise KeyError(f"no settlement issue {issue!r}")

    @property
    def rests_on(self) -> tuple[Guarantor, ...]:
        """The guarantors whose withdrawal raises the focus dyad's risk in at least 90% of
        the draws (the 80% interval's low end above 0) and by at least :data:`RESTS_ON` at
        the median: what the settlement rests on."""
        return tuple(
            g for g in self.guarantors if g.effect.interval80[0] > 0 and g.effect.median >= RESTS_ON
        )

    def name(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def to_records(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for d in self.dyads:
            rows.append(_row("dyad", f"{d.a}|{d.b}", d.risk))
        for i in self.issues:
            rows.append(_row("issue", i.issue, i.pressure))
        for g in self.guarantors:
            rows.append(_row("guarantor", g.actor, g.effect))
        rows.append(_row("settlement", "|".join(self.focus), self.settlement))
        return rows

    def to_frame(self) -> pd.DataFrame:
        """One row per dyad, issue and guarantor: ``what`` (dyad, issue, guarantor,
        settlement), ``key``, ``median``, ``p10``, ``p90``, ``mean``."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def to_dict(self) -> dict[str, Any]:
        data = {
            "scenario": self.scenario,
            "previous": self.previous,
            "seed": self.seed,
            "draws": self.draws,
            "requested": self.requested,
            "interrupted": self.interrupted,
            "settlement": self.settlement.to_dict(),
            "dyads": [
                {
                    "a": d.a,
                    "b": d.b,
                    "risk": d.risk.median,
                    "interval80": list(d.risk.interval80),
                    "mean": d.risk.mean,
                    **({} if d.shift is None else {"shift": d.shift.to_dict()}),
                }
                for d in self.dyads
            ],
            "issues": [
                {
                    "issue": i.issue,
                    "pressure": i.pressure.median,
                    "interval80": list(i.pressure.interval80),
                    "mean": i.pressure.mean,
                    "leader": i.leader,
                    "by_actor": dict(i.by_actor),
                }
                for i in self.issues
            ],
            "focus": list(self.focus),
            "guarantors": [
                {
                    "actor": g.actor,
                    "effect": g.effect.median,
                    "interval80": list(g.effect.interval80),
                    "mean": g.effect.mean,
                }
                for g in self.guarantors
            ],
            "rests_on": [g.actor for g in self.rests_on],
        }
        if self.block != BLOCK:  # the default is left out: the JSON as before the budget
            data["block"] = self.block
        return dict(strict_json(data, why={"dyads": "no draw", "issues": "no draw"}))

    def _summary(self) -> list[str]:
        top = self.dyads[0] if self.dyads else None
        lines = [f"Risk({self.scenario!r}, {self.draws:,} draws, seed {self.seed})"]
        if top is not None:
            lo, hi = top.risk.interval80
            lines.append(
                f"  riskiest dyad: {self.name(top.a)}-{self.name(top.b)} "
                f"{top.risk.median:.3f} [{lo:.3f}, {hi:.3f}]"
            )
        rests = self.rests_on
        if rests:
            what = ", ".join(f"{self.name(g.actor)} (+{g.effect.median:.3f})" for g in rests[:3])
            lines.append(f"  the {self.focus[0]}-{self.focus[1]} settlement rests on: {what}")
        for i in self.issues:
            lines.append(
                f"  pressure on {i.issue}: {i.pressure.median:.3f}"
                + (f" (from {self.name(i.leader)})" if i.leader else "")
            )
        return lines


def _row(what: str, key: str, band: Band) -> dict[str, Any]:
    return {
        "what": what,
        "key": key,
        "median": band.median,
        "p10": band.interval80[0],
        "p90": band.interval80[1],
        "mean": band.mean,
    }
