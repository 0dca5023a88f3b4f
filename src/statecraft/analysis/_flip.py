"""What flips a verdict: the smallest change of the inputs that changes it.

The verdict is the biggest winner (:func:`statecraft.analysis.winners.biggest_winner`,
interests held at their coded values, :mod:`._goals`), or which side of a threshold an
issue's forecast falls. Changes are measured in units of each input's plausible range
(:class:`._levers.LeverInput`): moving a salience coded 0.5 with range 0.4 to 0.6 up to 0.7
costs 1.

- One input at a time: each input is moved up and down in steps of :data:`STEP` range units
  out to :data:`REACH` (never past what the number may be), all in one batched run; the
  first step that changes the verdict is then narrowed by bisection to 1/4096 of a step.
  A verdict that changes and changes back within one step is missed. Where both
  directions change it at the same cost, the change down is reported.
- Two at once: the :data:`PAIRS_FROM` inputs that bring the verdict closest per unit of
  change (the winner's lead over the runner-up, or the forecast's distance from the
  threshold) are paired, each moved in its own helpful direction (the faster one, up on
  a tie) on a grid of :data:`GRID` x :data:`GRID` steps up to the cost of the best single
  change (to twice :data:`REACH` without one); the cheapest pair that changes the verdict,
  within both inputs' bounds and cheaper than the best single change, is kept (to the
  grid's resolution). An input that brings the verdict no closer on its own is not
  paired; inputs whose progress is unknown (a NaN closeness) come after the others, in
  key order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from statecraft.analysis._levers import LeverInput, Variant, variant_forecasts
from statecraft.analysis.kernel import MEMORY_BUDGET
from statecraft.arrays import Batch
from statecraft.models import Model

__all__ = ["GRID", "PAIRS_FROM", "REACH", "STEP", "search_flips"]

STEP = 0.02
REACH = 2.0
PAIRS_FROM = 6
GRID = 16
_BISECT = 12

Labels = Callable[[np.ndarray], np.ndarray]  # forecasts (V, 1, I) -> labels (V,)
Scores = Callable[[np.ndarray], np.ndarray]  # forecasts (V, 1, I) -> closeness (V,), >0 kept


def _moves(item: LeverInput, sign: int, t: np.ndarray) -> np.ndarray:
    return item.value + sign * t * item.width


def _inside(item: LeverInput, value: float) -> bool:
    low, high = item.bounds
    return bool(low <= value <= high) and (item.kind in ("position", "salience") or value > 0)


def search_flips(
    model: Model,
    batch: Batch,
    inputs: Sequence[LeverInput],
    labels: Labels,
    scores: Scores,
    *,
    seed: int = 0,
    budget: int = MEMORY_BUDGET,
) -> tuple[list[tuple[LeverInput, float, float, int]], tuple | None]:  # type: ignore[type-arg]
    """The smallest single change of each input that changes the verdict, as (input, new
    value, cost in range units, new label) for the inputs where one was found, cheapest
    first; and the cheapest pair, as ((input, value), (input, value), cost, new label) or
    None."""
    base_f = variant_forecasts(model, batch, [()], seed=seed, budget=budget)[0]
    base = int(labels(base_f[None])[0])
    base_score = float(scores(base_f[None])[0])
    inputs = [i for i in inputs if i.width > 0]
    t = np.arange(1, round(REACH / STEP) + 1) * STEP
    variants: list[Variant] = []
    where: list[tuple[int, int, int]] = []  # (input, sign, step)
    for k, item in enumerate(inputs):
        for sign in (1, -1):
            for s, value in enumerate(_moves(item, sign, t)):
                if _inside(item, float(value)):
                    variants.append(((item, float(value)),))
                    where.append((k, sign, s))
    f = variant_forecasts(model, batch, variants, seed=seed, base=base_f, budget=budget)
    got = labels(f)
    score = scores(f)
    first: dict[tuple[int, int], int] = {}
    progress: dict[tuple[int, int], float] = {}
    for v, (k, sign, s) in enumerate(where):
        if got[v] != base and (k, sign) not in first:
            first[(k, sign)] = s
        if (k, sign) not in first:
            rate = (base_score - score[v]) / t[s]
            progress[(k, sign)] = max(progress.get((k, sign), -np.inf), rate)
    # Bisection between the last step that kept the verdict and the first that changed it
    keys = sorted(first)
    lo = np.array([t[first[key]] - STEP for key in keys])
    hi = np.array([t[first[key]] for key in keys])
    for _ in range(_BISECT if keys else 0):
        mid = (lo + hi) / 2
        vs: list[Variant] = [
            ((inputs[k], float(_moves(inputs[k], sign, np.array(m)))),)
            for (k, sign), m in zip(keys, mid, strict=True)
        ]
        changed = (
            labels(variant_forecasts(model, batch, vs, seed=seed, base=base_f, budget=budget))
            != base
        )
        hi = np.where(changed, mid, hi)
        lo = np.where(changed, lo, mid)
    found: dict[int, tuple[LeverInput, float, float, int]] = {}
    if keys:
        final: list[Variant] = [
            ((inputs[k], float(_moves(inputs[k], sign, np.array(h)))),)
            for (k, sign), h in zip(keys, hi, strict=True)
        ]
        new = labels(variant_forecasts(model, batch, final, seed=seed, base=base_f, budget=budget))
        for (k, _), h, (change,), label in zip(keys, hi, final, new, strict=True):
            if k not in found or h < found[k][2]:
                found[k] = (inputs[k], change[1], float(h), int(label))
    singles = sorted(found.values(), key=lambda r: (r[2], r[0].key))
    best = singles[0][2] if singles else 2 * REACH
    pair = _pairs(model, batch, inputs, first, progress, labels, base, best, base_f, seed, budget)
    return singles, pair


def _pairs(
    model: Model,
    batch: Batch,
    inputs: Sequence[LeverInput],
    first: dict[tuple[int, int], int],
    progress: dict[tuple[int, int], float],
    labels: Labels,
    base: int,
    best: float,
    base_f: np.ndarray,
    seed: int,
    budget: int = MEMORY_BUDGET,
) -> tuple | None:  # type: ignore[type-arg]
    rate: dict[int, tuple[float, int]] = {}
    for (k, sign), r in progress.items():
        if (k, sign) in first:
            r = np.inf
        if np.isfinite(r) and r <= 0:
            continue
        if k not in rate or r > rate[k][0]:
            rate[k] = (r, sign)
    for k, sign in first:
        rate[k] = (np.inf, sign)
    top = sorted(rate, key=lambda k: (-rate[k][0], inputs[k].key))[:PAIRS_FROM]
    grid = np.arange(1, GRID + 1) * (min(best, 2 * REACH) / GRID)
    variants: list[Variant] = []
    cost: list[float] = []
    for k1, k2 in itertools.combinations(top, 2):
        a, b = inputs[k1], inputs[k2]
        for t1, t2 in itertools.product(grid, grid):
            if t1 + t2 >= best:
                continue
            va = float(_moves(a, rate[k1][1], np.array(t1)))
            vb = float(_moves(b, rate[k2][1], np.array(t2)))
            if _inside(a, va) and _inside(b, vb):
                variants.append(((a, va), (b, vb)))
                cost.append(float(t1 + t2))
    if not variants:
        return None
    got = labels(variant_forecasts(model, batch, variants, seed=seed, base=base_f, budget=budget))
    hits = np.flatnonzero(got != base)
    if not len(hits):
        return None
    v = int(hits[np.argmin(np.asarray(cost)[hits])])
    return variants[v][0], variants[v][1], cost[v], int(got[v])
