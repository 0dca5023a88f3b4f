r"""What a lever is for, and what a verdict is, on the forecasts of many variants at once.

Interests stay put: a lever changes what the model is given (where an actor stands at the
table, how hard it pushes, what it brings), never what an actor wants. So every gain here is
measured with the positions and saliences of the *unchanged* batch (per draw), from the
status quo to the variant's forecasts (:func:`statecraft.analysis.winners.gains`).

Goals:

- ``gain``: the actor's salience-weighted gain over the goal's issues (those with a status
  quo), :math:`G_a = \sum_j s_{aj}(|q_j - x_{aj}| - |o_j - x_{aj}|)/D_j \,/\, \sum_j s_{aj}`;
- ``target``: closeness of the forecasts to target values, :math:`-\frac{1}{T}\sum_t
  |o_{j_t} - v_t| / D_{j_t}` (0 when every target is met).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from statecraft.analysis.winners import TIE, biggest_winner, gains
from statecraft.arrays import Batch

__all__ = ["Goal", "goal_gradient", "goal_values", "margins", "winner_labels"]


@dataclass(frozen=True)
class Goal:
    """An actor's own gain on some issues (``targets`` empty), or target values on issues."""

    actor: str
    a: int
    columns: tuple[int, ...]
    targets: Mapping[int, float] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "target" if self.targets else "gain"


def _gain_terms(goal: Goal, batch: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per draw: the actor's positions (D, I), its salience weights over the goal's issues
    with a status quo, normalised to sum 1 (D, I; 0 elsewhere), and the status quo."""
    x = batch.position[:, goal.a, :]
    s = np.where(np.isnan(x), 0.0, batch.salience[:, goal.a, :])
    keep = np.zeros(batch.n_issues, dtype=bool)
    keep[list(goal.columns)] = True
    keep &= batch.has_status_quo
    s = np.where(keep[None, :], s, 0.0)
    total = s.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, s / total, 0.0)
    return np.nan_to_num(x), share, np.nan_to_num(batch.status_quo)


def goal_values(goal: Goal, forecasts: np.ndarray, batch: Batch) -> np.ndarray:
    """The goal's value for forecasts (..., D, I) of variants of ``batch``'s D draws."""
    width = batch.width
    if goal.targets:
        cols = list(goal.targets)
        t = np.array([goal.targets[c] for c in cols])
        return np.asarray(-np.mean(np.abs(forecasts[..., cols] - t) / width[cols], axis=-1))
    x, share, q = _gain_terms(goal, batch)
    o = np.where(share > 0, forecasts, 0.0)
    per = (np.abs(q - x) - np.abs(o - x)) / width
    return np.asarray(np.where(share > 0, share * per, 0.0).sum(axis=-1))


def goal_gradient(goal: Goal, forecasts: np.ndarray, batch: Batch) -> np.ndarray:
    """d goal / d forecast of each issue, (D, I), at forecasts (D, I) (a one-sided
    derivative is 0 where a forecast sits exactly on the actor's position or the target)."""
    width = batch.width
    if goal.targets:
        out = np.zeros_like(forecasts)
        for c, t in goal.targets.items():
            out[:, c] = -np.sign(forecasts[:, c] - t) / width[c] / len(goal.targets)
        return out
    x, share, _ = _gain_terms(goal, batch)
    return np.asarray(np.where(share > 0, -share * np.sign(forecasts - x) / width, 0.0))


def _all_gains(forecasts: np.ndarray, batch: Batch, rows: Sequence[int]) -> np.ndarray:
    """Every ranked actor's gain (..., D, ranked), over the issues with a status quo and a
    forecast: where the model gives none (NaN), the issue counts for nobody in that draw, as
    :func:`statecraft.analysis.winners.winners` leaves out an issue without an outcome."""
    cols = np.flatnonzero(batch.has_status_quo)
    x = batch.position[:, rows][:, :, cols]
    o = forecasts[..., cols]
    s = np.where(np.isnan(o)[..., None, :], 0.0, batch.salience[:, rows][:, :, cols])
    gain, _ = gains(x, s, o, batch.status_quo[:, cols], batch.width[cols])
    return gain


def winner_labels(forecasts: np.ndarray, batch: Batch, rows: Sequence[int]) -> np.ndarray:
    """The biggest winner (an index into ``rows``, -1 for none) of every variant and draw
    (:func:`statecraft.analysis.winners.biggest_winner`)."""
    if not rows or not batch.has_status_quo.any():  # nobody is ranked: no winner anywhere
        return np.full(forecasts.shape[:-1], -1)
    gain = _all_gains(forecasts, batch, rows)
    flat = gain.reshape(-1, gain.shape[-1])
    return biggest_winner(flat).reshape(gain.shape[:-1])


def margins(forecasts: np.ndarray, batch: Batch, rows: Sequence[int], winner: int) -> np.ndarray:
    """How far ``winner`` leads the best of the others (..., D): at or below ``TIE`` it is
    no longer the biggest winner alone."""
    gain = _all_gains(forecasts, batch, rows)
    others = np.delete(gain, winner, axis=-1)
    best_other = others.max(axis=-1) if others.shape[-1] else np.zeros(gain.shape[:-1])
    lead = gain[..., winner] - np.maximum(best_other, TIE)
    return np.asarray(lead)
