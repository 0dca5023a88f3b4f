r"""Who wins: each actor's gain from the status quo to an outcome, in its own utility.

For actor :math:`i` on issue :math:`j` with scale width :math:`D_j`, the utility of an
outcome :math:`o_j` is linear in the distance from the actor's position:

.. math:: u_{ij}(o_j) = 1 - \frac{|o_j - x_{ij}|}{D_j}

(1 at its own position, 0 at the far end of the scale from it when it stands at one end).
Across the issues on which the actor takes a position and that have a status quo
:math:`q_j`, utilities are averaged with the actor's saliences as weights, and the gain is

.. math:: G_i = \frac{\sum_j s_{ij} \left(u_{ij}(o_j) - u_{ij}(q_j)\right)}{\sum_j s_{ij}}

so :math:`G_i` lies in [-1, 1]: +1 would be an actor that cares about one issue only and
sees it move across the whole scale, from the far end to its own position. Actors whose
saliences on those issues are all 0 have gain 0; actors with no stance on any of them are
not ranked. The definition is documented in
``docs/winners.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.arrays import Batch
from statecraft.models.rows import sum_rows
from statecraft.notebook import Notebook, count
from statecraft.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ActorGain",
    "Winners",
    "biggest_winner",
    "draw_gains",
    "gains",
    "winner_counts",
    "winners",
]


#: Gains closer than this are the same gain (the headline's own threshold).
TIE = 1e-12


def gains(
    position: np.ndarray,
    salience: np.ndarray,
    outcome: np.ndarray,
    status_quo: np.ndarray,
    width: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Salience-weighted gains of every actor, and the per-issue gains, as arrays.

    ``position`` and ``salience`` are (..., actors, issues) with NaN position where an actor
    sits an issue out; ``outcome``, ``status_quo`` and ``width`` are (..., issues). Leading
    axes are batch axes. Returns ``(gain, per_issue)`` with shapes (..., actors) and
    (..., actors, issues); per-issue gains are NaN where the actor sits out.
    """
    x = np.asarray(position, dtype=float)
    s = np.where(np.isnan(x), 0.0, np.asarray(salience, dtype=float))
    o = np.asarray(outcome, dtype=float)[..., None, :]
    q = np.asarray(status_quo, dtype=float)[..., None, :]
    d = np.asarray(width, dtype=float)[..., None, :]
    per_issue = (np.abs(q - x) - np.abs(o - x)) / d
    total = s.sum(axis=-1)
    weighted = np.where(s > 0, s * per_issue, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        gain = np.where(total > 0, weighted / total, 0.0)
    return gain, per_issue


def _tied(what: str, names: Sequence[str], gain: float) -> str:
    if len(names) == 1:
        return f"{what}: {names[0]} ({gain:+.2f})"
    return f"{what}s, tied: {', '.join(names[:-1])} and {names[-1]} ({gain:+.2f} each)"


@dataclass(frozen=True)
class ActorGain:
    """One actor's gain, and the per-issue gains it is made of."""

    actor: str
    name: str
    gain: float
    by_issue: Mapping[str, float]


@dataclass(frozen=True, repr=False)
class Winners(Notebook):
    """Actors ranked by gain from the status quo to an outcome, best first."""

    label: str
    ranking: tuple[ActorGain, ...]
    issues: tuple[str, ...]
    skipped: tuple[str, ...] = field(default=())

    @property
    def best(self) -> ActorGain | None:
        return self.ranking[0] if self.ranking else None

    @property
    def worst(self) -> ActorGain | None:
        return self.ranking[-1] if self.ranking else None

    @property
    def headline(self) -> str:
        """One line: the biggest winner and the biggest loser."""
        if not self.ranking:
            return "No winners or losers: no issue has both a status quo and an outcome."
        best, worst = self.ranking[0], self.ranking[-1]
        if best.gain <= TIE and worst.gain >= -TIE:
            return "Nobody wins or loses: the outcome is the status quo for every actor."
        parts = []
        if best.gain > TIE:
            top = [g.name for g in self.ranking if g.gain >= best.gain - TIE]
            parts.append(_tied("biggest winner", top, best.gain))
        if worst.gain < -TIE:
            bottom = [g.name for g in self.ranking if g.gain <= worst.gain + TIE]
            parts.append(_tied("biggest loser", bottom, worst.gain))
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."

    def _summary(self) -> list[str]:
        over = f"{count(len(self.ranking), 'actor')} over {count(len(self.issues), 'issue')}"
        lines = [f"Winners ({self.label}): {over}"]
        lines.append(f"  {self.headline}")
        lines += [f"  {k + 1}. {g.name}: {g.gain:+.3f}" for k, g in enumerate(self.ranking[:4])]
        return lines

    def _headline(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame.from_records(
            [{"rank": k + 1, "actor": g.name, "gain": g.gain} for k, g in enumerate(self.ranking)]
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per actor, best first; per-issue gains as ``gain:<issue id>``."""
        return [
            {
                "rank": k + 1,
                "actor": g.actor,
                "name": g.name,
                "gain": g.gain,
                **{f"gain:{issue}": v for issue, v in g.by_issue.items()},
            }
            for k, g in enumerate(self.ranking)
        ]

    def to_frame(self) -> pd.DataFrame:
        """The ranking as a pandas DataFrame, one row per actor, best first."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())


def winners(scenario: Scenario, outcome: Mapping[str, float], *, label: str = "outcome") -> Winners:
    """Rank the actors of ``scenario`` by their gain from the status quo to ``outcome``.

    ``outcome`` maps issue ids to outcomes. Issues without a status quo or without an
    outcome are left out and listed in :attr:`Winners.skipped`. Ties keep scenario order.
    """
    used = [
        i
        for i in scenario.issues
        if i.status_quo is not None and outcome.get(i.id) is not None and np.isfinite(outcome[i.id])
    ]
    skipped = tuple(i.id for i in scenario.issues if i not in used)
    if not used:
        return Winners(label=label, ranking=(), issues=(), skipped=skipped)
    nan = float("nan")
    position = np.array(
        [
            [a.stances[i.id].position.value if i.id in a.stances else nan for i in used]
            for a in scenario.actors
        ]
    )
    salience = np.array(
        [
            [a.stances[i.id].salience.value if i.id in a.stances else 0.0 for i in used]
            for a in scenario.actors
        ]
    )
    gain, per_issue = gains(
        position,
        salience,
        np.array([outcome[i.id] for i in used]),
        np.array([i.status_quo.value for i in used if i.status_quo is not None]),
        np.array([i.scale.width for i in used]),
    )
    used_ids = {i.id for i in used}
    taking_part = [k for k, a in enumerate(scenario.actors) if used_ids & set(a.stances)]
    ranked = sorted(taking_part, key=lambda k: -gain[k])
    ranking = tuple(
        ActorGain(
            actor=scenario.actors[k].id,
            name=scenario.actors[k].display_name,
            gain=float(gain[k]),
            by_issue={
                i.id: float(per_issue[k, j])
                for j, i in enumerate(used)
                if i.id in scenario.actors[k].stances
            },
        )
        for k in ranked
    )
    return Winners(label=label, ranking=ranking, issues=tuple(i.id for i in used), skipped=skipped)


def draw_gains(batch: Batch, outcome: np.ndarray, ranked: Sequence[str]) -> np.ndarray | None:
    """Every ranked actor's gain (:func:`gains`) in every draw of a batch, (draws, ranked),
    from the batch's status quo to ``outcome`` (draws, issues), over the issues that have a
    status quo and a finite outcome in every draw; None where no issue has both."""
    has_status_quo = batch.has_status_quo
    finite = np.isfinite(outcome).all(axis=0)
    cols = [j for j in range(batch.n_issues) if has_status_quo[j] and finite[j]]
    if not cols:
        return None
    rows = [batch.actor_ids.index(a) for a in ranked]
    # Views, not copies, where every actor is ranked in the batch's order and every issue
    # counts (the usual case)
    every = rows == list(range(batch.n_actors))
    take_rows: slice | list[int] = slice(None) if every else rows
    take_cols: slice | list[int] = slice(None) if len(cols) == batch.n_issues else cols
    # Issues first, then actors, then draws: the sums over the issues are whole-row
    # additions, the same numbers as gains() gives (statecraft.models.rows)
    _, position, salience = batch.by_issue()  # no copy in a study's batches
    x = position[take_cols][:, take_rows]
    s = np.where(np.isnan(x), 0.0, salience[take_cols][:, take_rows])
    o = np.ascontiguousarray(outcome[:, cols].T)[:, None, :]
    q = np.ascontiguousarray(batch.status_quo[:, cols].T)[:, None, :]
    d = batch.width[cols][:, None, None]
    # In place, fewer temporaries: the same operations on the same numbers
    per_issue = np.subtract(q, x)
    np.abs(per_issue, out=per_issue)
    away = np.subtract(o, x)
    np.abs(away, out=away)
    per_issue -= away
    per_issue /= d
    total = sum_rows(s)
    per_issue *= s
    np.copyto(per_issue, 0.0, where=~(s > 0))
    weighted = sum_rows(per_issue)
    with np.errstate(invalid="ignore", divide="ignore"):
        gain = np.where(total > 0, weighted / total, 0.0)
    return np.ascontiguousarray(gain.T)


def biggest_winner(gain: np.ndarray) -> np.ndarray:
    """Per draw (row of ``gain``, draws x actors), the column of the biggest winner, or -1
    where there is none: nobody gains (the highest gain is not above 0, as when a model
    forecasts the status quo) or the highest gain is shared (within :data:`TIE`)."""
    if gain.shape[1] == 0:
        return np.full(gain.shape[0], -1)
    top = gain.argmax(axis=1)
    best = np.take_along_axis(gain, top[:, None], axis=1)[:, 0]
    shared = (gain >= best[:, None] - TIE).sum(axis=1) > 1
    return np.where((best > TIE) & ~shared, top, -1)


def winner_counts(gain: np.ndarray) -> np.ndarray:
    """How often each actor (column of ``gain``, draws x actors) is the biggest winner
    (:func:`biggest_winner`: draws with none count for nobody)."""
    winner = biggest_winner(gain)
    return np.bincount(winner[winner >= 0], minlength=gain.shape[1]).astype(np.int64)
