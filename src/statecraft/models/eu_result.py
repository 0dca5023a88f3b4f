"""One issue's run of the expected utility model, for people: trajectory, offers, dyads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.models.base import Details, PerIssue
from statecraft.models.eu_options import CONFRONTATION, KIND_NAMES, NO_OFFER, EUOptions
from statecraft.models.eu_rounds import SAME_POSITION

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["EUDetails", "EUResult"]


@dataclass(frozen=True)
class EUResult(Details):
    """One issue's run of the expected utility model: trajectory, risks and dyads."""

    actor_ids: tuple[str, ...]
    positions: np.ndarray  # (T+1, n): round 0 is the input
    median: np.ndarray  # (T+1,)
    mean: np.ndarray  # (T+1,)
    risk: np.ndarray  # (T, n)
    own: np.ndarray  # (T, n, n)
    other: np.ndarray  # (T, n, n)
    kind: np.ndarray  # (T, n, n)
    chosen: np.ndarray  # (T, n)
    final_own: np.ndarray  # (n, n): the views on the final positions
    final_other: np.ndarray
    final_kind: np.ndarray
    options: EUOptions = field(default_factory=EUOptions)

    @property
    def rounds(self) -> int:
        return int(self.risk.shape[0])

    def scaled(self, power: int) -> EUResult:
        return replace(
            self,
            positions=np.ldexp(self.positions, power),
            median=np.ldexp(self.median, power),
            mean=np.ldexp(self.mean, power),
        )

    @property
    def forecast(self) -> float:
        """The model's forecast: the weighted median of the final positions."""
        return float(self.median[-1])

    @property
    def last_move(self) -> float:
        """The largest move of any actor in the last round, in units of the initial range."""
        if self.rounds == 0:
            return 0.0
        span = float(np.ptp(self.positions[0]))
        moved = float(np.abs(self.positions[-1] - self.positions[-2]).max())
        return moved / span if span > 0 else 0.0

    @property
    def settled(self) -> bool:
        """Whether the positions had stopped moving when the bargaining stopped.

        True when every actor ends at one position, or when the last round moved no actor
        by more than :data:`SAME_POSITION` of the range. False means the forecast depends
        on when the bargaining is stopped, and the model may be cycling.
        """
        span = float(np.ptp(self.positions[0]))
        agreed = float(np.ptp(self.positions[-1])) <= SAME_POSITION * span
        return agreed or self.last_move <= SAME_POSITION

    def trajectory_records(self) -> list[dict[str, Any]]:
        """One record per round and actor, round 0 being the scenario: the position after the
        round, the risk exponent the actor bargained with in it, and the median and mean of
        the positions after it."""
        rows = []
        for t in range(self.rounds + 1):
            for k, actor in enumerate(self.actor_ids):
                rows.append(
                    {
                        "round": t,
                        "actor": actor,
                        "position": float(self.positions[t, k]),
                        "risk": float(self.risk[t - 1, k]) if t > 0 else None,
                        "median": float(self.median[t]),
                        "mean": float(self.mean[t]),
                    }
                )
        return rows

    def offers(self) -> list[dict[str, Any]]:
        """Every offer an actor saw, round by round: who would move toward whom, and how."""
        rows = []
        for t in range(self.rounds):
            for i, mover in enumerate(self.actor_ids):
                for j, other in enumerate(self.actor_ids):
                    kind = int(self.kind[t, i, j])
                    if kind == NO_OFFER:
                        continue
                    rows.append(
                        {
                            "round": t + 1,
                            "from": other,
                            "to": mover,
                            "kind": KIND_NAMES[kind],
                            "accepted": bool(self.chosen[t, i] == j),
                            "eu_own": float(self.own[t, i, j]),
                            "eu_other": float(self.other[t, i, j]),
                        }
                    )
        return rows

    def views(self, round_index: int = -1) -> list[dict[str, Any]]:
        """Each actor's view of every other in one round: the quadrant of (own, other) EU."""
        t = range(self.rounds)[round_index]
        return [
            {"round": t + 1, **row}
            for row in self._view_rows(self.own[t], self.other[t], self.kind[t])
        ]

    def _view_rows(
        self, own: np.ndarray, other: np.ndarray, kind: np.ndarray
    ) -> list[dict[str, Any]]:
        return [
            {
                "actor": viewer,
                "other": seen,
                "eu_own": float(own[i, j]),
                "eu_other": float(other[i, j]),
                "kind": KIND_NAMES[int(kind[i, j])],
            }
            for i, viewer in enumerate(self.actor_ids)
            for j, seen in enumerate(self.actor_ids)
            if i != j
        ]

    def confrontations(self) -> list[tuple[str, str]]:
        """The dyads headed for confrontation once the bargaining stops, each once, sorted.

        A dyad is in confrontation when, on the final positions, one of its actors expects
        both sides to gain from challenging the other (it would lose and have to give in).
        """
        pairs: set[tuple[str, str]] = set()
        for i, j in np.argwhere(self.final_kind == CONFRONTATION):
            a, b = sorted((self.actor_ids[i], self.actor_ids[j]))
            pairs.add((a, b))
        return sorted(pairs)

    def conflict_share(self) -> float:
        """The share of the issue's dyads headed for confrontation at the end (0..1)."""
        n = len(self.actor_ids)
        pairs = n * (n - 1) // 2
        return len(self.confrontations()) / pairs if pairs else 0.0

    def final_views(self) -> list[dict[str, Any]]:
        """Each actor's view of every other on the final positions: the (own, other) quadrant."""
        return self._view_rows(self.final_own, self.final_other, self.final_kind)

    def to_records(self) -> list[dict[str, Any]]:
        """The trajectory: one record per round and actor (see :meth:`trajectory_records`)."""
        return self.trajectory_records()

    def to_frame(self) -> pd.DataFrame:
        """The trajectory as a DataFrame: one row per round and actor."""
        import pandas as pd

        return pd.DataFrame.from_records(self.trajectory_records())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: rounds (positions, median, mean, accepted moves) and the end state."""
        accepted: dict[int, list[dict[str, Any]]] = {}
        for offer in self.offers():
            if offer["accepted"]:
                accepted.setdefault(offer["round"], []).append(
                    {"actor": offer["to"], "toward": offer["from"], "kind": offer["kind"]}
                )
        rounds = [
            {
                "round": t,
                "positions": dict(zip(self.actor_ids, map(float, self.positions[t]), strict=True)),
                "median": float(self.median[t]),
                "mean": float(self.mean[t]),
                "risk": (
                    dict(zip(self.actor_ids, map(float, self.risk[t - 1]), strict=True))
                    if t > 0
                    else None
                ),
                "moves": accepted.get(t, []),
            }
            for t in range(self.rounds + 1)
        ]
        return {
            "rounds": rounds,
            "forecast": self.forecast,
            "offers": self.offers(),
            "final_views": self.final_views(),
            "settled": self.settled,
            "last_move": self.last_move,
            "confrontations": [list(p) for p in self.confrontations()],
            "conflict_share": self.conflict_share(),
        }


@dataclass(frozen=True)
class EUDetails(PerIssue):
    """The expected utility model's results, one :class:`EUResult` per issue."""

    issues: Mapping[str, EUResult]

    def confrontations(self) -> dict[str, list[tuple[str, str]]]:
        """The dyads headed for confrontation at the end, per issue."""
        return {issue: d.confrontations() for issue, d in self.issues.items()}

    def escalation_index(self) -> float | None:
        """The share of dyads headed for confrontation at the end, averaged over the issues
        with two actors or more (None when there are none).

        0 means that, once bargaining stops, no actor expects a confrontation on any issue;
        1 that every pair of actors does on every issue.
        """
        shares = [d.conflict_share() for d in self.issues.values() if len(d.actor_ids) > 1]
        return sum(shares) / len(shares) if shares else None

    def forecast_fields(self) -> dict[str, Any]:
        return {
            "rounds": {i: d.to_dict()["rounds"] for i, d in self.issues.items()},
            "confrontations": {
                i: [list(p) for p in pairs] for i, pairs in self.confrontations().items()
            },
            "escalation_index": self.escalation_index(),
        }
