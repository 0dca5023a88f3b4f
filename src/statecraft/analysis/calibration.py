"""Calibrated intervals: a forecast plus the model's own error on real decisions.

The input ranges of a scenario say how uncertain its coding is; they say nothing of how wrong
the model is when the coding is right. This module adds that second part. Each registered
model's errors on the DEU III development file, as shares of the issue's scale width,

    r = (actual - forecast) / (scale high - scale low),

ship with the package (``src/statecraft/data/model-errors.json``, written by
``scripts/fit_errors.py``; read by :func:`error_record`). A forecast's predictive
distribution is the forecast plus ``r`` times the width of its own scale, for every ``r`` of
the record, with what falls past either end of the scale piled on that end: outcomes cannot
leave the scale. :func:`predictive` does this for a histogram of forecasts (a Monte Carlo
study's, :data:`statecraft.analysis.uncertainty.BINS` bins), by convolution;
:func:`interval` for one point forecast.

Whether such intervals hold what they claim is measured, not assumed: the backtest deals the
proposals of a DEU table into folds (:func:`grouped_folds`), builds each issue's predictive
distribution from the residuals of the other folds only, and scores it
(:func:`cross_validated`) by the continuous ranked probability score (CRPS; Gneiting &
Raftery 2007, "Strictly proper scoring rules, prediction, and estimation", *JASA* 102:359-378,
eq. 21: CRPS(F, y) = E|X - y| - E|X - X'| / 2 for X, X' independent draws of F) and by the
share of outcomes inside its 80% and 95% intervals. docs/calibration.md states how the error
transfers to other scenarios and its limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from statecraft.analysis._blocks import BINS
from statecraft.io.model_errors import load_errors

__all__ = [
    "LEVELS",
    "Calibration",
    "ModelError",
    "convolve",
    "cross_validated",
    "crps",
    "error_record",
    "grouped_folds",
    "interval",
    "predictive",
    "quantiles",
    "residual_sample",
]

#: The interval levels the backtest scores: equal-tailed, 10%-90% and 2.5%-97.5%.
LEVELS = (0.8, 0.95)


def grouped_folds(proposals: Sequence[str], folds: int, seed: int) -> np.ndarray:
    """A fold number per issue: the proposals shuffled from ``seed`` and dealt in turn, so
    that the issues of one proposal (decided together) always share a fold."""
    unique = list(dict.fromkeys(proposals))
    if not 2 <= folds <= len(unique):
        raise ValueError(f"folds must lie between 2 and the number of proposals ({len(unique)})")
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = {unique[j]: k % folds for k, j in enumerate(order)}
    return np.array([fold_of[p] for p in proposals])


@dataclass(frozen=True)
class ModelError:
    """A model's shipped error record: its residuals as shares of the scale width, sorted,
    and what they were measured on."""

    model: str
    residuals: np.ndarray  # sorted; (actual - forecast) / (high - low)
    issues: int
    proposals: int
    source: Mapping[str, Any] = field(default_factory=dict)  # file, sha256, capability...
    folds: int = 0
    seed: int = 0
    cross_validated: Mapping[str, float] = field(default_factory=dict)  # crps_share, coverage

    def quantile(self, q: float) -> float:
        """The q-quantile of the residual shares (linear between order statistics)."""
        return float(np.quantile(self.residuals, q))


def error_record(model: str) -> ModelError | None:
    """The shipped error record of ``model`` (by its registered name), or None if none."""
    data = load_errors()
    entry = data["models"].get(model)
    if entry is None:
        return None
    cv = data["cross_validation"]
    return ModelError(
        model=model,
        residuals=np.array(entry["residuals"], dtype=float),
        issues=int(entry["issues"]),
        proposals=int(entry["proposals"]),
        source=dict(data["fitted_on"]),
        folds=int(cv["folds"]),
        seed=int(cv["seed"]),
        cross_validated=dict(entry["cross_validated"]),
    )


def _residuals(residuals: Any) -> np.ndarray:
    r = np.asarray(residuals, dtype=float)
    if r.ndim != 1 or r.size == 0:
        raise ValueError("residuals: expected a non-empty list of numbers")
    if not np.isfinite(r).all():
        raise ValueError("residuals: every residual must be a finite number")
    return r


def convolve(counts: Any, residuals: Any) -> np.ndarray:
    """The histogram of forecast + error: ``counts`` over :data:`BINS` equal bins of a scale,
    each residual share moving mass by ``round(r * BINS)`` bins (so to within half a bin),
    every residual with equal weight, and the mass pushed past either end piled into the end
    bin. The total mass is kept."""
    c = np.asarray(counts, dtype=float)
    if c.shape != (BINS,):
        raise ValueError(f"counts: expected a histogram of {BINS} bins, got shape {c.shape}")
    if not np.isfinite(c).all() or (c < 0).any():
        raise ValueError("counts: every count must be a finite number, 0 or more")
    shifts = np.clip(np.rint(_residuals(residuals) * BINS), -(BINS - 1), BINS - 1).astype(int)
    kernel = np.bincount(shifts + BINS - 1, minlength=2 * BINS - 1) / shifts.size
    full = np.convolve(c, kernel)  # index j lands in bin j - (BINS - 1)
    out = full[BINS - 1 : 2 * BINS - 1].copy()
    out[0] += full[: BINS - 1].sum()
    out[-1] += full[2 * BINS - 1 :].sum()
    return out


def predictive(counts: np.ndarray, model: str) -> np.ndarray | None:
    """``counts``: a forecast's histogram over BINS equal bins spanning the issue's scale
    [low, high] (statecraft.analysis.uncertainty.BINS = 2000; counts may be int or float).
    Returns the histogram (float, same bins, same total mass) of forecast + model error,
    the error being the model's out-of-fold residual share times the scale width, and mass
    pushed past either end piled into the end bin (outcomes cannot leave the scale).
    None when no error record exists for ``model``."""
    record = error_record(model)
    if record is None:
        return None
    return convolve(counts, record.residuals)


def residual_sample(forecast: float, low: float, high: float, residuals: Any) -> np.ndarray:
    """The predictive sample of a point forecast: forecast + r * (high - low) for every
    residual share r, held within [low, high]."""
    if not (np.isfinite([forecast, low, high]).all() and low < high):
        raise ValueError("forecast, low and high must be finite numbers with low < high")
    r = _residuals(residuals)
    return np.asarray(np.clip(forecast + (high - low) * r, low, high))


def quantiles(sample: Any, level: float) -> tuple[float, float]:
    """The equal-tailed interval holding ``level`` of a sample: its (1 - level) / 2 and
    (1 + level) / 2 quantiles, linear between order statistics (Hyndman & Fan 1996, type 7,
    NumPy's default)."""
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, got {level}")
    low, high = np.quantile(np.asarray(sample, dtype=float), [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def interval(
    forecast: float,
    low: float,
    high: float,
    level: float,
    model: str,
) -> tuple[float, float] | None:
    """The ``level`` interval of a point forecast on the scale [low, high] under ``model``'s
    shipped errors (:func:`quantiles` of :func:`residual_sample`); None when the model has
    no error record."""
    record = error_record(model)
    if record is None:
        return None
    return quantiles(residual_sample(forecast, low, high, record.residuals), level)


def crps(sample: Any, y: float) -> float:
    """The CRPS of the empirical distribution of ``sample`` at the outcome ``y``, exactly:
    E|X - y| - E|X - X'| / 2 (Gneiting & Raftery 2007, eq. 21), with E|X - X'| computed
    from the sorted sample x(1) <= ... <= x(m) as 2 / m^2 * sum_i (2i - m - 1) x(i).
    A point forecast's CRPS is its absolute error."""
    x = np.sort(np.asarray(sample, dtype=float).ravel())
    if x.size == 0 or not np.isfinite(x).all() or not np.isfinite(y):
        raise ValueError("crps: expected a non-empty sample of finite numbers and a finite y")
    return float(_crps_sorted(x[None, :], np.array([float(y)]))[0])


def _crps_sorted(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CRPS of each row of ``x`` (sorted along axis 1) at the matching ``y``."""
    m = x.shape[1]
    spread = 2.0 / m**2 * (x @ (2.0 * np.arange(1, m + 1) - m - 1))
    return np.asarray(np.abs(x - y[:, None]).mean(axis=1) - 0.5 * spread)


@dataclass(frozen=True)
class Calibration:
    """Out-of-fold calibration of one model's predictive distributions."""

    n: int  # issues scored (those with a forecast and residuals in other folds)
    crps: float | None  # mean CRPS, in the units of the scales
    coverage: Mapping[float, float | None]  # level -> share of outcomes inside the interval


def cross_validated(
    forecasts: np.ndarray,
    actual: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    fold: np.ndarray,
    levels: Sequence[float] = LEVELS,
) -> Calibration:
    """Score the predictive distribution of every forecast (NaN: none) built from the
    residual shares of the issues in the other folds only: mean CRPS, and the share of
    outcomes inside each equal-tailed interval (an outcome on an interval's end counts as
    inside, to within 1e-9 of the scale's width, for rounding)."""
    f, y = np.asarray(forecasts, dtype=float), np.asarray(actual, dtype=float)
    lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    width = hi - lo
    ok = np.isfinite(f) & np.isfinite(y)
    share = np.where(ok, (y - f) / width, np.nan)
    scores: list[np.ndarray] = []
    inside: dict[float, list[np.ndarray]] = {level: [] for level in levels}
    for k in np.unique(fold):
        test = ok & (fold == k)
        pool = share[ok & (fold != k)]
        if not test.any() or pool.size == 0:
            continue
        sample = np.clip(f[test, None] + width[test, None] * pool, lo[test, None], hi[test, None])
        sample.sort(axis=1)
        scores.append(_crps_sorted(sample, y[test]))
        tol = 1e-9 * width[test]
        for level in levels:
            q = np.quantile(sample, [(1 - level) / 2, (1 + level) / 2], axis=1)
            inside[level].append((q[0] - tol <= y[test]) & (y[test] <= q[1] + tol))
    if not scores:
        return Calibration(0, None, dict.fromkeys(levels))
    return Calibration(
        n=int(sum(s.size for s in scores)),
        crps=float(np.concatenate(scores).mean()),
        coverage={level: float(np.concatenate(v).mean()) for level, v in inside.items()},
    )
