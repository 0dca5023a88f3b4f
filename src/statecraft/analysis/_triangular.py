"""Triangular and uniform draws in one compiled pass, with the bytes NumPy's own give.

``Generator.triangular(left, mode, right, size)`` takes, for each draw, one double ``U`` from
the bit generator (the double ``Generator.random`` gives) and maps it by the inverse of the
triangular distribution function (NumPy's ``random_triangular`` in
``numpy/random/src/distributions/distributions.c``)::

    base = right - left;  leftbase = mode - left;  ratio = leftbase / base
    U <= ratio:  left + sqrt(U * (leftbase * base))
    else:        right - sqrt((1 - U) * ((right - mode) * base))

``Generator.uniform(low, high, size)`` maps it to ``low + (high - low) * U``
(``random_uniform``, the width formed once). NumPy calls a C function per draw for these,
about 12 ns a triangular draw here. Filling consecutive rows of a block with one
``Generator.random(out=rows)`` (the same doubles in the same order as row after row) and
mapping them in place in one compiled loop (:func:`map_rows`) takes about 3 ns, with every
operation the same IEEE one in the same order, so the draws are the same bytes
(``tests/test_draw_engine.py`` compares them).

Import this module only where numba is installed and the study is large
(:func:`statecraft.analysis.draws.compiled_pays`): numba takes a moment to import.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["TRIANGULAR", "UNIFORM", "map_rows"]

#: The kinds of row :func:`map_rows` maps.
TRIANGULAR, UNIFORM = 0, 1


@numba.njit(cache=True, nogil=True, error_model="numpy")
def map_rows(
    u: np.ndarray, kinds: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray
) -> None:
    """Map each row ``r`` of uniform doubles ``u`` (rows x draws, values in [0, 1)) in place:
    to triangular draws on [low[r], high[r]] with mode ``mode[r]`` where ``kinds[r]`` is
    :data:`TRIANGULAR`, to uniform draws on [low[r], high[r]) where it is :data:`UNIFORM`,
    each as NumPy maps one double."""
    for r in range(u.shape[0]):
        left = low[r]
        right = high[r]
        base = right - left
        row = u[r]
        if kinds[r] == UNIFORM:
            for i in range(row.size):
                row[i] = left + base * row[i]
            continue
        leftbase = mode[r] - left
        ratio = leftbase / base
        leftprod = leftbase * base
        rightprod = (right - mode[r]) * base
        for i in range(row.size):
            x = row[i]
            if x <= ratio:
                row[i] = left + math.sqrt(x * leftprod)
            else:
                row[i] = right - math.sqrt((1.0 - x) * rightprod)
