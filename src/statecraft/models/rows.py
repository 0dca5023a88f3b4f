"""Reductions over the last axis of a batch's arrays, done across rows instead.

NumPy reduces a short last axis (the actors of one issue, the issues of one actor) one row
at a time, which costs more per number than the arithmetic. These helpers move the axis
first (one contiguous copy) and reduce with whole-row operations, which NumPy runs as
vector loops:

- :func:`max_last` is exact in any order (NaN where any is NaN, like ``a.max(axis=-1)``),
  bar the sign of a maximum of zero where both zeros are there (every use compares the
  maximum with 0 or divides by it only where it is above 0);
- :func:`sum_last` adds in the order NumPy's own ``a.sum(axis=-1)`` adds a contiguous last
  axis (pairwise summation: eight running sums, blocks of 128 halved recursively), so it
  gives the same bytes; ``tests/test_rows.py`` checks it on every length up to a few
  thousand, so that a NumPy that changed its order would be found there.
"""

from __future__ import annotations

import numpy as np

__all__ = ["last_first", "max_last", "sum_last", "sum_rows"]

#: NumPy's pairwise summation adds runs of at most this many numbers with eight running sums.
_BLOCK = 128


def last_first(a: np.ndarray) -> np.ndarray:
    """``a`` with its last axis moved first, as a contiguous copy."""
    return np.ascontiguousarray(np.moveaxis(np.asarray(a, dtype=float), -1, 0))


def max_last(a: np.ndarray) -> np.ndarray:
    """``a.max(axis=-1)``: the same numbers (a maximum does not depend on the order; the
    sign of a zero maximum may differ)."""
    a = np.asarray(a, dtype=float)
    if a.ndim < 2:
        return np.asarray(a.max())  # a vector's only axis is its last
    return np.asarray(np.maximum.reduce(last_first(a)))  # over the first axis


def sum_last(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=-1)``, the same bytes (:func:`sum_rows` of the axis moved first)."""
    a = np.asarray(a, dtype=float)
    if a.ndim < 2:
        return np.asarray(a.sum())  # a vector's only axis is its last
    return sum_rows(last_first(a))


def sum_rows(rows: np.ndarray) -> np.ndarray:
    """The sum over the first axis of ``rows``, added in the order in which NumPy adds the
    numbers of a contiguous last axis (``rows`` is that axis moved first): the same bytes as
    ``np.moveaxis(rows, 0, -1).sum(axis=-1)``."""
    n = len(rows)
    if n < 8:  # one running sum, from 0
        out = np.zeros(rows.shape[1:])
        for k in range(n):
            out += rows[k]
        return out
    if n <= _BLOCK:
        r = rows[:8].copy()  # eight running sums
        stop = n - n % 8
        for k in range(8, stop, 8):
            r += rows[k : k + 8]
        out = (r[0] + r[1]) + (r[2] + r[3])
        out += (r[4] + r[5]) + (r[6] + r[7])
        for k in range(stop, n):
            out += rows[k]
        return np.asarray(out)
    half = n // 2
    half -= half % 8
    return np.asarray(sum_rows(rows[:half]) + sum_rows(rows[half:]))
