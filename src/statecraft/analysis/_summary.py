"""What a block of a Monte Carlo study keeps: integer counts and exact sums, nothing per draw.

Counts add up exactly, so block summaries merge to the same bytes however the blocks are
grouped (one process, many, Dask). Beside each model's forecast histograms and biggest-winner
counts, a study may keep its gains (:class:`GainPlan`): per model and ranked actor a histogram
of the gain (:data:`GAIN_BINS` bins across [-1, 1]) and how often the gain is above 0, and
histograms of the differences between chosen pairs of actors' gains (:data:`MARGIN_BINS`
bins across [-2, 2]); and the same against the actual outcome, drawn over its own range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from statecraft.analysis.winners import TIE, winner_counts

__all__ = ["GAIN_BINS", "GAIN_TOLERANCE", "MARGIN_BINS", "GainCounts", "GainPlan", "count_gains"]

#: Bins of a gain's histogram across [-1, 1]: quantiles are read to 1/1000 of a gain.
GAIN_BINS = 2000
#: Bins of a difference of two gains across [-2, 2]: the same width as a gain's bins.
MARGIN_BINS = 4000
#: A gain counts as a gain above this (rounding in a forecast equal to the status quo is
#: not a gain): the headline's and the biggest winner's own threshold.
GAIN_TOLERANCE = TIE


@dataclass(frozen=True)
class GainPlan:
    """What a study keeps of the gains beyond the biggest-winner counts: ``pairs`` of ranked
    actors (indices, first < second) whose gain differences it counts, and whether it also
    counts the gains against the actual outcome (``actual``). Fixed before the study (so
    every block counts the same things): it pickles to worker processes and Dask."""

    pairs: tuple[tuple[int, int], ...] = ()
    actual: bool = False


@dataclass
class GainCounts:
    """Counts of the ranked actors' gains over some draws."""

    best: np.ndarray  # (actors,): how often each has the highest gain
    positive: np.ndarray  # (actors,): how often its gain is above GAIN_TOLERANCE
    histogram: np.ndarray  # (actors, GAIN_BINS)
    margins: np.ndarray  # (pairs, MARGIN_BINS): gain of the first minus the second's

    def merge(self, other: GainCounts) -> None:
        self.best = self.best + other.best
        self.positive = self.positive + other.positive
        self.histogram = self.histogram + other.histogram
        self.margins = self.margins + other.margins


def _binned(values: np.ndarray, low: float, high: float, bins: int) -> np.ndarray:
    index = np.floor((values - low) / (high - low) * bins)
    return np.clip(index, 0, bins - 1).astype(np.int64)


def _histograms(values: np.ndarray, low: float, high: float, bins: int) -> np.ndarray:
    """One histogram per column of ``values`` (draws x columns): (columns, bins)."""
    columns = values.shape[1]
    flat = _binned(values, low, high, bins) + bins * np.arange(columns)[None, :]
    return np.bincount(flat.ravel(), minlength=columns * bins).reshape(columns, bins)


def count_gains(gain: np.ndarray, pairs: Sequence[tuple[int, int]]) -> GainCounts:
    """The counts of a chunk's gains (draws x actors) and of the differences of ``pairs``."""
    if pairs:
        first = np.array([a for a, _ in pairs])
        second = np.array([b for _, b in pairs])
        margins = _histograms(gain[:, first] - gain[:, second], -2.0, 2.0, MARGIN_BINS)
    else:
        margins = np.zeros((0, MARGIN_BINS), dtype=np.int64)
    return GainCounts(
        best=winner_counts(gain),
        positive=(gain > GAIN_TOLERANCE).sum(axis=0).astype(np.int64),
        histogram=_histograms(gain, -1.0, 1.0, GAIN_BINS),
        margins=margins,
    )


@dataclass
class Summary:
    """What a block (or a merge of blocks) keeps: counts and exact sums, nothing per draw."""

    draws: int
    counts: dict[tuple[str, str], np.ndarray]  # (issue, model) -> histogram (BINS,)
    sums: dict[tuple[str, str], list[float]]  # (issue, model) -> one sum per block
    valid: dict[tuple[str, str], int]
    best: dict[str, np.ndarray]  # model -> how often each ranked actor is the biggest winner
    confrontation: dict[tuple[str, str], np.ndarray]  # (issue, model) -> (n, n) counts
    gains: dict[str, GainCounts] = field(default_factory=dict)  # model -> (with a GainPlan)
    actual: GainCounts | None = None  # against the actual outcome (with a GainPlan)

    def merge(self, other: Summary) -> None:
        self.draws += other.draws
        for key, value in other.counts.items():
            self.counts[key] = self.counts[key] + value if key in self.counts else value
        for key, values in other.sums.items():
            self.sums.setdefault(key, []).extend(values)
        for key, count in other.valid.items():
            self.valid[key] = self.valid.get(key, 0) + count
        for model, value in other.best.items():
            self.best[model] = self.best[model] + value if model in self.best else value
        for key, value in other.confrontation.items():
            if key in self.confrontation:
                self.confrontation[key] = self.confrontation[key] + value
            else:
                self.confrontation[key] = value
        for model, counts in other.gains.items():
            self.add_gains(model, counts)
        if other.actual is not None:
            self.add_actual(other.actual)

    def add_gains(self, model: str, counts: GainCounts) -> None:
        old = self.gains.get(model)
        if old is None:
            self.gains[model] = _copy(counts)
        else:
            old.merge(counts)

    def add_actual(self, counts: GainCounts) -> None:
        if self.actual is None:
            self.actual = _copy(counts)
        else:
            self.actual.merge(counts)


def _copy(counts: GainCounts) -> GainCounts:
    """A copy that merging into never changes the original (a block's summary)."""
    return GainCounts(
        counts.best.copy(), counts.positive.copy(), counts.histogram.copy(), counts.margins.copy()
    )
