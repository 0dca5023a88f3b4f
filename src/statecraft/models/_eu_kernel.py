"""The expected utility round compiled with numba: one draw at a time, no (B, n, n) arrays.

The same round as :func:`statecraft.models.eu_rounds.one_round` (the reference, in NumPy),
written as loops over one draw's actors so that a draw's work stays in a few (n x n) scratch
arrays reused by every draw: memory does not grow with the draws, and no time goes to
allocating and walking batch-sized temporaries. The equations, their sources and every option
are those of :mod:`statecraft.models.eu_rounds` and :mod:`statecraft.models.eu_votes`
(Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011); this module only changes how they
are evaluated. Sums run in the same order as the reference's, but for the grand total of the
``"triples"`` normaliser (summed pairwise, as NumPy does, though not always in its exact
order), and each ``x ** r`` is ``exp(r log x)`` by the vector log and exp of this module (a
third of the time of the C library's ``pow``), so results agree with the reference to
rounding, not bit for bit (tests/test_eu_kernel.py states and checks the tolerance).

Import this module only where a round runs: numba takes a moment to import. The compiled
code is cached on disk (``cache=True``): the first run on a machine compiles for a few
seconds, later runs load it.
"""

from __future__ import annotations

import numba
import numpy as np

from statecraft.models._eu_vmath import vexp, vlog

__all__ = ["SCHOLZ", "SMALLEST", "TYPE", "scratch"]

#: The offer kinds and choices, as in eu_options (repeated as plain ints for the compiler).
_NO, _CONF, _COMP, _CAP = 0, 1, 2, 3
#: offer_choice codes
SMALLEST, TYPE, SCHOLZ = 0, 1, 2

_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def _power(base: float, r: float, linear: bool) -> float:
    return base if linear else base**r


@_jit
def _powers(
    x: np.ndarray,
    safe: float,
    r: np.ndarray,
    pow_d: np.ndarray,
    pow_s: np.ndarray,
    pow_f: np.ndarray,
    logs: np.ndarray,
    bits: np.ndarray,
) -> None:
    """d^r_i, (1/2 - d/2)^r_i and (1/2 + d/2)^r_i for every pair (i, j), d = |x_i - x_j|/D,
    as exp(r_i log base): the votes' and the expected utilities' powers, one draw.

    The bases are the same for (i, j) and (j, i), so each log is taken once per pair (into
    ``logs``, n^2 numbers), and only the exps once per ordered pair. On the diagonal d = 0:
    d^r is 0 (what exp(r log 0) gives), and the other two are not used."""
    n = x.shape[0]
    for a in range(3):
        k = 0
        for i in range(n):
            for j in range(i + 1, n):
                d = abs(x[i] - x[j]) / safe
                logs[k] = d if a == 0 else (0.5 - 0.5 * d if a == 1 else 0.5 + 0.5 * d)
                k += 1
        used = logs[:k]
        vlog(used, bits)
        out = pow_d if a == 0 else (pow_s if a == 1 else pow_f)
        k = 0
        for i in range(n):
            out[i, i] = -np.inf
            for j in range(i + 1, n):
                out[i, j] = used[k] * r[i]
                out[j, i] = used[k] * r[j]
                k += 1
        vexp(out.ravel(), bits)


@_jit
def _votes(
    x: np.ndarray,
    w: np.ndarray,
    linear: bool,
    safe: float,
    order: np.ndarray,
    below: np.ndarray,
    pow_d: np.ndarray,
    cum: np.ndarray,
    positive: np.ndarray,
) -> None:
    """positive[i, j]: the votes for x_i over x_j (eu_votes._positive_votes), one draw:
    linear in distance, or with each voter's risk exponent (``pow_d``, from :func:`_powers`)."""
    n = x.shape[0]
    for a in range(n):
        cum[0, a] = 0.0
    for m in range(n):
        k = order[m]
        xk, wk = x[k], w[k]
        if linear:
            for a in range(n):
                cum[m + 1, a] = cum[m, a] + wk * (abs(xk - x[a]) / safe)
        else:
            for a in range(n):
                cum[m + 1, a] = cum[m, a] + wk * pow_d[k, a]
    for i in range(n):
        xi = x[i]
        for j in range(n):
            # both sums taken, one kept: no branch on the order of x_i and x_j
            m = below[i, j]
            low_j, low_i = cum[m, j], cum[m, i]
            lower = low_j - low_i
            upper = (cum[n, j] - low_j) - (cum[n, i] - low_i)
            v = lower if xi < x[j] else (upper if xi > x[j] else 0.0)
            positive[i, j] = v if v > 0.0 else 0.0


@_jit
def _leaf(a: np.ndarray, lo: int, count: int) -> float:
    """The sum of at most 128 numbers: eight running sums, then the rest (as NumPy's)."""
    if count < 8:
        res = 0.0
        for i in range(lo, lo + count):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < count - count % 8:
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < count:
        res += a[lo + i]
        i += 1
    return float(res)


@_jit
def _pairwise(a: np.ndarray, lo: int, count: int) -> float:
    """A pairwise sum of a[lo : lo + count] like NumPy's (halves of a multiple of 8 down to
    blocks of 128), without recursion (numba's cache does not keep recursive code)."""
    if count <= 128:
        return _leaf(a, lo, count)
    first = np.empty(64, dtype=np.int64)
    size = np.empty(64, dtype=np.int64)
    split = np.zeros(64, dtype=np.int64)
    sums = np.empty(64)
    first[0], size[0], top, done = lo, count, 1, 0
    while top > 0:
        f = top - 1
        if size[f] <= 128:
            sums[done] = _leaf(a, first[f], size[f])
            done += 1
            top -= 1
        elif split[f] == 0:
            split[f] = 1
            half = size[f] // 2
            half -= half % 8
            first[top], size[top], split[top] = first[f] + half, size[f] - half, 0
            first[top + 1], size[top + 1], split[top + 1] = first[f], half, 0
            top += 2
        else:
            sums[done - 2] = sums[done - 2] + sums[done - 1]
            done -= 1
            top -= 1
    return float(sums[0])


@_jit
def _probabilities(positive: np.ndarray, triples: bool, total: np.ndarray, p: np.ndarray) -> None:
    """p[i, j] from the votes (eu_votes.probabilities), one draw."""
    n = positive.shape[0]
    grand = 0.0
    if triples:
        for i in range(n):
            for j in range(n):
                total[i, j] = positive[i, j] + positive[j, i]
        flat = total.ravel()
        grand = flat[0] + _pairwise(flat, 1, n * n - 1)
    for i in range(n):
        for j in range(n):
            if triples:
                p[i, j] = positive[i, j] / grand if grand > 0.0 else 0.0
            else:
                t = positive[i, j] + positive[j, i]
                p[i, j] = positive[i, j] / t if t > 0.0 else 0.5


@_jit
def _better_worse(to_m: float, second: float, d: float, r: float, linear: bool, t: float) -> float:
    spread = 0.25 * (to_m + second)
    low = 0.5 - spread
    u_b = 2.0 - 4.0 * _power(low if low > 0.0 else 0.0, r, linear)
    u_w = 2.0 - 4.0 * _power(0.5 + spread, r, linear)
    weight = t
    if t < 0.0:  # geometric
        weight = 1.0 if to_m < d else 0.0
    return weight * u_b + (1.0 - weight) * u_w


@_jit
def _utilities(
    x: np.ndarray,
    s: np.ndarray,
    p: np.ndarray,
    median: float,
    r: np.ndarray,
    linear: bool,
    safe: float,
    q: float,
    t: float,
    target: bool,
    pow_s: np.ndarray,
    pow_f: np.ndarray,
    own: np.ndarray,
    other: np.ndarray,
    both: bool,
) -> None:
    """own[i, j] and, with ``both``, other[i, j] (eu_rounds.expected_utilities), one draw."""
    n = x.shape[0]
    for i in range(n):
        ri = r[i]
        sq = q * (2.0 - 4.0 * _power(0.5, ri, linear))
        dm_i = abs(x[i] - median) / safe
        for j in range(n):
            if i == j:
                own[i, j] = 0.0
                other[i, j] = 0.0
                continue
            d = abs(x[i] - x[j]) / safe
            if linear:
                u_s = 2.0 - 4.0 * (0.5 - 0.5 * d)
                u_f = 2.0 - 4.0 * (0.5 + 0.5 * d)
            else:
                u_s = 2.0 - 4.0 * pow_s[i, j]
                u_f = 2.0 - 4.0 * pow_f[i, j]
            base = u_s - sq
            gap = u_s - u_f
            a = base - s[j] * (1.0 - p[i, j]) * gap
            b = base - s[i] * (1.0 - p[j, i]) * gap if both else 0.0
            if q < 1.0:
                dm_j = abs(x[j] - median) / safe
                a = a - (1.0 - q) * _better_worse(dm_i, d if target else dm_j, d, ri, linear, t)
                if both:
                    b = b - (1.0 - q) * _better_worse(dm_j, d if target else dm_i, d, ri, linear, t)
            own[i, j] = a
            if both:
                other[i, j] = b


@_jit
def _risk(exposure: np.ndarray, r: np.ndarray) -> None:
    """Risk exponents from exposures (eu_rounds.risk_exponents), one draw."""
    hi, lo = exposure.max(), exposure.min()
    spread = hi - lo
    for i in range(exposure.shape[0]):
        big = (2.0 * exposure[i] - hi - lo) / spread if spread > 0.0 else 0.0
        big = min(max(big, -1.0), 1.0)
        r[i] = (1.0 - big / 3.0) / (1.0 + big / 3.0)


@_jit
def _offers(
    x: np.ndarray,
    own: np.ndarray,
    other: np.ndarray,
    span: float,
    same_share: float,
    choice: int,
    new: np.ndarray,
    chosen: np.ndarray,
    kind: np.ndarray,
) -> None:
    """Each actor's accepted offer (eu_rounds._offers), one draw."""
    n = x.shape[0]
    close = same_share * span
    for i in range(n):
        xi = x[i]
        for j in range(n):
            a, b = own[i, j], other[i, j]
            k = _NO
            if abs(xi - x[j]) <= close:
                k = _NO
            elif a > 0.0 and b > a:
                k = _CONF
            elif a < 0.0 and b > 0.0:
                k = _COMP if b > -a else _CAP
            kind[i, j] = k
        best = _CAP + 1
        if choice != SMALLEST:
            for j in range(n):
                if kind[i, j] != _NO and kind[i, j] < best:
                    best = kind[i, j]
        pick, key_best, to = -1, np.inf, xi
        for j in range(n):
            k = kind[i, j]
            if k == _NO or (choice != SMALLEST and k != best):
                continue
            xj = x[j]
            target = xi + (xj - xi) * abs(own[i, j] / other[i, j]) if k == _COMP else xj
            key = abs(target - xi)
            if choice == SCHOLZ and k == _COMP:
                a, b = abs(own[i, j]), abs(other[i, j])
                key = (a * xi + b * xj) / (a + b)
            if pick < 0 or key < key_best:
                pick, key_best, to = j, key, target
        new[i] = to if pick >= 0 else xi
        chosen[i] = pick


@_jit
def _insertion_order(x: np.ndarray, order: np.ndarray) -> None:
    """A stable argsort of a few numbers (as np.argsort's mergesort), in place."""
    for i in range(x.shape[0]):
        j = i
        while j > 0 and x[order[j - 1]] > x[i]:
            order[j] = order[j - 1]
            j -= 1
        order[j] = i


@_jit
def _below(x: np.ndarray, order: np.ndarray, xs: np.ndarray, below: np.ndarray) -> None:
    """below[i, j]: how many voters stand strictly below the midpoint of x_i and x_j.

    The count is the same for (i, j) and (j, i). For each i, the midpoints with the x_j
    above it rise with x_j from x_i itself, so one sweep over the sorted voters, from the
    first not below x_i, serves every such j (n^2 / 2 steps in all)."""
    n = x.shape[0]
    start = 0
    for ii in range(n):
        i = order[ii]
        xi = x[i]
        while start < n and xs[start] < xi:
            start += 1
        m = start
        for jj in range(ii, n):
            j = order[jj]
            mid = 0.5 * (xi + x[j])
            while m < n and xs[m] < mid:
                m += 1
            below[i, j] = m
            below[j, i] = m


@_jit
def _draw_round(
    xb: np.ndarray,
    wb: np.ndarray,
    sb: np.ndarray,
    span: float,
    median: float,
    flags: np.ndarray,
    numbers: np.ndarray,
    work: tuple,  # type: ignore[type-arg]
    new: np.ndarray,
    r: np.ndarray,
    chosen: np.ndarray,
    own: np.ndarray,
    other: np.ndarray,
    kind: np.ndarray,
) -> None:
    """One round for one draw (positions ``xb``): new positions, risk exponents ``r``, the
    chosen offers and the views own, other and kind (n x n). ``work`` is the draw's scratch
    (:func:`scratch`), reused by every draw."""
    n = xb.shape[0]
    triples, vote_risk, choice, target = flags[0] == 1, flags[1] == 1, flags[2], flags[4] == 1
    q, t, same_share = numbers[0], numbers[1], numbers[2]
    pow_d, pow_s, pow_f, total, positive, p, cum, xs, ones, exposure, below, bits, small, logs = (
        work
    )
    safe = span if span > 0.0 else 1.0
    if n > 32:
        order = np.argsort(xb, kind="mergesort")
    else:
        _insertion_order(xb, small)
        order = small
    for m in range(n):
        xs[m] = xb[order[m]]
    _below(xb, order, xs, below)
    # 1. risk: linear votes and utilities, each actor's exposure to challenges
    _votes(xb, wb, True, safe, order, below, pow_d, cum, positive)
    _probabilities(positive, triples, total, p)
    # (only own: the exposures are its column sums)
    _utilities(xb, sb, p, median, ones, True, safe, q, t, target, pow_s, pow_f, own, other, False)
    for j in range(n):
        exposure[j] = own[0, j]
    for i in range(1, n):
        for j in range(n):
            exposure[j] += own[i, j]
    _risk(exposure, r)
    # 2. everything again with these r
    _powers(xb, safe, r, pow_d, pow_s, pow_f, logs, bits)
    if vote_risk:
        _votes(xb, wb, False, safe, order, below, pow_d, cum, positive)
        _probabilities(positive, triples, total, p)
    _utilities(xb, sb, p, median, r, False, safe, q, t, target, pow_s, pow_f, own, other, True)
    _offers(xb, own, other, span, same_share, choice, new, chosen, kind)


@_jit
def scratch(n: int):  # type: ignore[no-untyped-def]
    """A draw's scratch arrays for :func:`_draw_round`, made once and reused by every draw."""
    return (
        np.empty((n, n)),  # pow_d
        np.empty((n, n)),  # pow_s
        np.empty((n, n)),  # pow_f
        np.empty((n, n)),  # total
        np.empty((n, n)),  # positive
        np.empty((n, n)),  # p
        np.empty((n + 1, n)),  # cum
        np.empty(n),  # xs
        np.ones(n),  # ones
        np.empty(n),  # exposure
        np.empty((n, n), dtype=np.int64),  # below
        np.empty(n * n, dtype=np.int64),  # bits
        np.empty(n, dtype=np.int64),  # small
        np.empty(n * n),  # logs
    )
