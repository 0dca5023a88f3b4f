"""The compiled entry points of the expected utility model, on a batch of draws.

:func:`batch_round` runs one round of every draw (the per-round path of
:func:`statecraft.models.eu_rounds.run_rounds`); :func:`trajectories` runs a draw's whole
bargaining in one call: every round and the final view.

:func:`trajectories` runs what :func:`statecraft.models.eu_rounds.run_rounds` runs with
``record="summary"``, ``stopping="rounds"`` and ``q = 1`` (the defaults), one draw at a time
over the rounds of :mod:`statecraft.models._eu_kernel`: no Python work per round, no batch of
positions copied between rounds, and each draw's final view written straight in the caller's
order of actors. A draw whose round moved no one (it would repeat that round to the end) stops
computing, and its final view is that round's, computed on the same positions. With ``q = 1``
the round's forecast (the weighted median) does not enter the round, so the medians and means
of every round are left to NumPy afterwards, all rounds at once. Results are those of the
per-round path on the compiled round, bit for bit (tests/test_eu_kernel.py checks it).

numba's cache notices a change to this file, not to the files whose functions it compiles
in (``_eu_kernel.py``, ``_eu_vmath.py``): after editing those, clear it
(``benchmarks/scale.py --cold``).
"""

from __future__ import annotations

import numba
import numpy as np

from statecraft.models._eu_kernel import _draw_round, scratch

__all__ = ["batch_round", "trajectories"]

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _width(x: np.ndarray) -> float:
    return float(x.max() - x.min())


@_jit
def trajectories(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    order: np.ndarray,
    current: bool,
    flags: np.ndarray,
    numbers: np.ndarray,
    positions: np.ndarray,
    ran: np.ndarray,
    final_own: np.ndarray,
    final_other: np.ndarray,
    final_kind: np.ndarray,
) -> None:
    """Every round of every draw of x (B, n; actors in canonical order), then the view on the
    final positions.

    ``current``: D is each round's range (else the initial one). Writes ``positions``
    (B, R + 1, n), canonical order, round 0 the input and, after a draw stops, its last
    positions repeated; ``ran`` (B,), the rounds each draw ran (as ``run_rounds`` counts
    them); and the final views (B, n, n) in the caller's order (``order[b, k]`` is the
    caller's index of canonical actor k), zero and no offer where every actor agrees.
    flags and numbers as :func:`batch_round`'s; q must be 1.
    """
    b_count, n = x.shape
    rounds = positions.shape[1] - 1
    work = scratch(n)
    own = np.empty((n, n))
    other = np.empty((n, n))
    kind = np.empty((n, n), dtype=np.int64)
    new = np.empty(n)
    r = np.empty(n)
    chosen = np.empty(n, dtype=np.int64)
    for bi in range(b_count):
        xb = positions[bi, 0]
        xb[:] = x[bi]
        initial = _width(xb)
        done = 0  # rounds computed
        still = False  # the last round moved no one: it would repeat to the end
        alive = initial > 0.0
        while alive and done < rounds:
            span = _width(xb) if current else initial
            _draw_round(
                xb, w[bi], s[bi], span, 0.0, flags, numbers, work, new, r, chosen,
                own, other, kind,
            )  # fmt: skip
            done += 1
            nxt = positions[bi, done]
            same = True
            for k in range(n):
                nxt[k] = new[k]
                same = same and new[k] == xb[k]
            xb = nxt
            if same:
                still = True
                break
            alive = _width(xb) > 0.0
        ran[bi] = rounds if still else done
        for k in range(done + 1, rounds + 1):
            positions[bi, k] = xb
        span = _width(xb)
        if span > 0.0 and not still:
            _draw_round(
                xb, w[bi], s[bi], span if current else initial, 0.0, flags, numbers, work,
                new, r, chosen, own, other, kind,
            )  # fmt: skip
        ob = order[bi]
        for i in range(n):
            for j in range(n):
                oi, oj = ob[i], ob[j]
                if span > 0.0:
                    final_own[bi, oi, oj] = own[i, j]
                    final_other[bi, oi, oj] = other[i, j]
                    final_kind[bi, oi, oj] = kind[i, j]
                else:
                    final_own[bi, oi, oj] = 0.0
                    final_other[bi, oi, oj] = 0.0
                    final_kind[bi, oi, oj] = 0


@_jit
def batch_round(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    span: np.ndarray,
    median: np.ndarray,
    flags: np.ndarray,
    numbers: np.ndarray,
    new: np.ndarray,
    risk: np.ndarray,
    chosen: np.ndarray,
    own_out: np.ndarray,
    other_out: np.ndarray,
    kind_out: np.ndarray,
) -> None:
    """One round for every draw of x (B, n): new positions, risk and chosen offers (B, n);
    with ``flags[3]`` also the views own, other and kind (B, n, n).

    flags: triples, vote_risk, offer choice, keep views, better_worse is "target";
    numbers: q, t (negative: geometric), SAME_POSITION.
    """
    b_count, n = x.shape
    views = flags[3] == 1
    work = scratch(n)
    own = np.empty((n, n))
    other = np.empty((n, n))
    kind = np.empty((n, n), dtype=np.int64)
    for bi in range(b_count):
        _draw_round(
            x[bi], w[bi], s[bi], span[bi], median[bi], flags, numbers, work,
            new[bi], risk[bi], chosen[bi], own, other, kind,
        )  # fmt: skip
        if views:
            own_out[bi] = own
            other_out[bi] = other
            kind_out[bi] = kind
