"""The expected utility model's rounds, vectorised over draws and actors.

Bueno de Mesquita (1994, 1997) as reconstructed by Scholz, Calbert & Smith (2011): each round,
on one issue, every actor weighs challenging every other (the probability that it would
prevail, what it gains if it wins or loses, what it expects if it does nothing), accepts at
most one demand and moves. Every function takes arrays with a leading batch axis (draws) and
an actor axis; no Python loop runs over actors. See :mod:`statecraft.models.expected_utility`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np

from statecraft.models._eu_fast import Engine, compiled_round, compiled_summary, resolve, whole
from statecraft.models.base import weights
from statecraft.models.compromise import weighted_mean
from statecraft.models.eu_options import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    NO_OFFER,
    BetterWorse,
    EUOptions,
    OfferChoice,
)
from statecraft.models.eu_votes import Voters, probabilities, risk_power
from statecraft.models.median import weighted_median

__all__ = [
    "BLOCK_CELLS",
    "CHUNK",
    "MAX_ACTORS",
    "SAME_POSITION",
    "expected_utilities",
    "one_round",
    "probabilities",
    "risk_exponents",
    "round_forecast",
    "run_rounds",
]


# --- the pieces of one round --------------------------------------------------------------------
# Shapes: B draws, n actors. x, c, s, r are (B, n); span is (B,); matrices are (B, i, j).


def _span(x: np.ndarray) -> np.ndarray:
    """The width of the positions' range, per draw (B,). Zero means everyone agrees."""
    return np.asarray(x.max(axis=-1) - x.min(axis=-1))


def _scaled_distances(x: np.ndarray, span: np.ndarray) -> np.ndarray:
    """|x_a - x_b| / D, shape (B, a, b); 0 where D is 0."""
    safe = np.where(span > 0, span, 1.0)[:, None, None]
    return np.asarray(np.abs(x[:, :, None] - x[:, None, :]) / safe)


def round_forecast(x: np.ndarray, c: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The round's forecast (the weighted median, the Condorcet winner under linear votes)
    and the capability x salience weighted mean; (B,) each.

    Scholz et al. (2011, sec. 3.2) and every replication take the position that beats every
    other in pairwise votes with linear utility; on one dimension that is the weighted
    median (Black 1958). Ties are split at the midpoint as in
    :func:`statecraft.models.weighted_median`.
    """
    w = weights(c, s)
    return weighted_median(x, w), weighted_mean(x, c, s)


def expected_utilities(
    x: np.ndarray,
    s: np.ndarray,
    p: np.ndarray,
    forecast: np.ndarray,
    r_view: np.ndarray | None,
    span: np.ndarray,
    *,
    q: float = 1.0,
    t: float | Literal["geometric"] = 1.0,
    better_worse: BetterWorse = "target",
) -> tuple[np.ndarray, np.ndarray]:
    r"""Every actor's view of every pair: (own, other), each of shape (B, i, j).

    ``own[i, j]`` is :math:`EU_{ij}`, i's expected utility of challenging j, and ``other[i, j]``
    is i's estimate of :math:`EU_{ji}`, j's expected utility of challenging i; both use i's
    risk exponent ``r_view[i]`` (None: every r = 1). With :math:`d = |x_i - x_j|/D`,

    .. math::
        EU_{ij} = s_j (P_{ij} U_s + (1 - P_{ij}) U_f) + (1 - s_j) U_s - Q U_{sq}
                  - (1 - Q)(T U_b + (1 - T) U_w)

    with :math:`U_s = 2 - 4(0.5 - 0.5d)^r`, :math:`U_f = 2 - 4(0.5 + 0.5d)^r`,
    :math:`U_{sq} = 2 - 4(0.5)^r` and :math:`U_{b,w} = 2 - 4(0.5 \mp 0.25(|x_i - m| + e)/D)^r`,
    m the round's forecast and e the second distance chosen by ``better_worse``
    (Scholz, Calbert & Smith 2011, eqs. 5-7, 15-16, 22-25). Computed as
    :math:`EU_{ij} = U_s - Q U_{sq} - s_j (1 - P_{ij})(U_s - U_f) - \dots`, which is the same.
    """
    d = _scaled_distances(x, span)
    safe = np.where(span > 0, span, 1.0)[:, None]
    dm = np.abs(x - forecast[:, None]) / safe  # |x_a - m| / D, (B, a)
    r_i = None if r_view is None else r_view[:, :, None]
    # U_s, U_f and U_sq depend on |x_i - x_j| and on i's r only: the same for both views
    u_s = 2.0 - 4.0 * risk_power(0.5 - 0.5 * d, r_i)
    u_f = 2.0 - 4.0 * risk_power(0.5 + 0.5 * d, r_i)
    base = u_s - q * (2.0 - 4.0 * risk_power(0.5, r_i))
    gap = u_s - u_f
    own = base - s[:, None, :] * (1.0 - p) * gap
    other = base - s[:, :, None] * (1.0 - np.swapaxes(p, 1, 2)) * gap
    if q < 1.0:
        # i challenges j: |x_i - m| + (|x_i - x_j| or |x_j - m|); j challenges i, as i sees it
        second = d if better_worse == "target" else dm[:, None, :]
        second_o = d if better_worse == "target" else dm[:, :, None]
        own = own - (1.0 - q) * _better_worse(dm[:, :, None], second, d, r_i, t)
        other = other - (1.0 - q) * _better_worse(dm[:, None, :], second_o, d, r_i, t)
    eye = np.eye(x.shape[-1], dtype=bool)[None]
    return np.where(eye, 0.0, own), np.where(eye, 0.0, other)


def _better_worse(
    to_m: np.ndarray,
    second: np.ndarray,
    d: np.ndarray,
    r: np.ndarray | None,
    t: float | Literal["geometric"],
) -> np.ndarray:
    """T U_b + (1 - T) U_w for a challenger at ``to_m`` (= |x - m|/D) from the forecast."""
    spread = 0.25 * (to_m + second)
    u_b = 2.0 - 4.0 * risk_power(np.clip(0.5 - spread, 0.0, None), r)
    u_w = 2.0 - 4.0 * risk_power(0.5 + spread, r)
    weight = (to_m < d).astype(float) if t == "geometric" else float(t)
    return np.asarray(weight * u_b + (1.0 - weight) * u_w)


def risk_exponents(exposure: np.ndarray) -> np.ndarray:
    r"""Risk exponents from each actor's exposure (the sum of others' EU of challenging it).

    :math:`R_i = (2 e_i - e_{max} - e_{min}) / (e_{max} - e_{min})` in [-1, 1], and
    :math:`r_i = (1 - R_i/3) / (1 + R_i/3)` in [0.5, 2] (Bueno de Mesquita 1985; Scholz et
    al. 2011, eqs. 32-34). Where every exposure is equal, R = 0 and r = 1.
    """
    hi = exposure.max(axis=-1, keepdims=True)
    lo = exposure.min(axis=-1, keepdims=True)
    spread = hi - lo
    # spread 0 means every exposure equal, so the numerator is exactly 0 as well: 0 / 0
    # (invalid), never x / 0 (divide); np.where then takes 0
    with np.errstate(invalid="ignore"):
        big_r = np.where(spread > 0, (2.0 * exposure - hi - lo) / spread, 0.0)
    big_r = np.clip(big_r, -1.0, 1.0)  # exactly [-1, 1] but for rounding
    return np.asarray((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0))


def classify(own: np.ndarray, other: np.ndarray) -> np.ndarray:
    """The class of each dyad from i's view, with i the one who would move (B, i, j).

    Confrontation: both expect to gain and j more than i (EU_ji > EU_ij > 0): i loses and
    moves to x_j. Compromise: j gains, i loses, and j's gain is the larger
    (EU_ji > -EU_ij > 0). Capitulation: j gains, i loses more than j gains
    (0 < EU_ji <= -EU_ij). Otherwise i does not move on j's account.
    """
    a, b = own, other
    losing = (a < 0) & (b > 0)
    return np.asarray(
        np.select(
            [(a > 0) & (b > a), losing & (b > -a), losing],
            [CONFRONTATION, COMPROMISE, CAPITULATION],
            NO_OFFER,
        )
    )


#: Positions closer than this share of D count as the same position: no offers between
#: them, and no confrontation. Far below any coding's precision, and far above the rounding
#: error of the expected utilities of such near neighbours (which would decide their signs).
SAME_POSITION = 1e-6


def _offers(
    x: np.ndarray, own: np.ndarray, other: np.ndarray, span: np.ndarray, choice: OfferChoice
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each actor's accepted offer: new positions (B, n), kinds (B, i, j), chosen j (B, n)."""
    kind = classify(own, other)
    xi, xj = x[:, :, None], x[:, None, :]
    same = np.abs(xi - xj) <= SAME_POSITION * span[:, None, None]
    kind = np.where(same, NO_OFFER, kind)  # nothing to move toward
    compromise = kind == COMPROMISE
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(compromise, np.abs(own / other), 1.0)
    # a confrontation or capitulation moves i exactly onto x_j; a compromise part way
    target = np.where(kind == NO_OFFER, xi, np.where(compromise, xi + (xj - xi) * share, xj))
    move = np.abs(target - xi)
    has = kind != NO_OFFER
    if choice == "smallest":
        eligible, key = has, move
    else:
        # by type first: only offers of the actor's best type (lowest class number) compete
        best_type = np.where(has, kind, CAPITULATION + 1).min(axis=-1, keepdims=True)
        eligible, key = has & (kind == best_type), move
        if choice == "scholz":
            # Scholz's code: compromises ranked by the EU-weighted position, lowest first
            a, b = np.abs(own), np.abs(other)
            with np.errstate(invalid="ignore", divide="ignore"):
                weighted = (a * xi + b * xj) / (a + b)
            key = np.where(compromise, weighted, move)
    chosen = np.where(eligible, key, np.inf).argmin(axis=-1)
    any_offer = has.any(axis=-1)
    new = np.take_along_axis(target, chosen[:, :, None], axis=-1)[:, :, 0]
    return np.where(any_offer, new, x), kind, np.where(any_offer, chosen, -1)


@dataclass(frozen=True)
class _Round:
    median: np.ndarray  # (B,) forecast at the start of the round
    mean: np.ndarray
    risk: np.ndarray  # (B, n)
    own: np.ndarray  # (B, n, n)
    other: np.ndarray
    kind: np.ndarray
    chosen: np.ndarray  # (B, n)


def one_round(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, span: np.ndarray, o: EUOptions
) -> tuple[np.ndarray, _Round]:
    """One round on a batch: risk, expected utilities, offers, moves (all simultaneous)."""
    median, mean = round_forecast(x, c, s)
    eu_kw: dict[str, Any] = {"q": o.q, "t": o.t, "better_worse": o.better_worse}
    # 1. risk: with every r = 1, each actor's exposure to challenges from the others
    voters = Voters.of(x)
    p1 = probabilities(x, c, s, None, span, normaliser=o.probability, voters=voters)
    own1, _ = expected_utilities(x, s, p1, median, None, span, **eu_kw)
    r = risk_exponents(own1.sum(axis=1))  # column sums: sum over challengers j of EU_ji
    # 2. everything again with these r
    p = (
        probabilities(x, c, s, r, span, normaliser=o.probability, voters=voters)
        if o.vote_risk
        else p1
    )
    own, other = expected_utilities(x, s, p, median, r, span, **eu_kw)
    new, kind, chosen = _offers(x, own, other, span, o.offer_choice)
    return new, _Round(median, mean, r, own, other, kind, chosen)


def run_rounds(
    position: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    options: EUOptions | None = None,
    *,
    record: Literal["full", "summary"] = "full",
    engine: Engine = "auto",
) -> dict[str, np.ndarray]:
    """Run the model on a batch of issues: arrays of shape (B, n), or (n,) for one.

    Returns arrays with a leading batch axis B, T being the most rounds any draw ran:
    ``positions`` (B, T+1, n) with round 0 the input, ``median`` and ``mean`` (B, T+1),
    ``rounds`` (B,) the rounds each draw ran, ``forecast`` (B,), and the views on the final
    positions ``final_own``, ``final_other``, ``final_kind`` (B, n, n). With
    ``record="full"`` also every round's ``risk`` (B, T, n), ``own``, ``other`` and ``kind``
    (B, T, n, n) and ``chosen`` (B, T, n) (the index of the actor whose offer each actor
    took, -1 for none); ``"summary"`` leaves those out, for large batches. A draw that stops
    early keeps its last positions; only draws still bargaining are computed each round.
    ``engine``: ``"numpy"`` is the reference; ``"numba"`` runs the same round compiled
    (:mod:`statecraft.models._eu_kernel`), equal to it within rounding; ``"auto"`` is numba
    where it is installed (see :func:`statecraft.models._eu_fast.resolve`).
    """
    o = options or EUOptions()
    x = np.atleast_2d(np.asarray(position, dtype=float))
    c = np.broadcast_to(np.atleast_2d(np.asarray(capability, dtype=float)), x.shape)
    s = np.broadcast_to(np.atleast_2d(np.asarray(salience, dtype=float)), x.shape)
    # A canonical order (by position, then capability, then salience) makes every sum and
    # every tie-break independent of the order in which the scenario lists its actors.
    order = np.lexsort((s, c, x), axis=-1)
    x, c, s = (np.take_along_axis(a, order, axis=-1) for a in (x, c, s))
    chosen = resolve(engine)
    if chosen == "numba" and whole(o, record):
        return compiled_summary(x, c, s, order, o, SAME_POSITION)
    out = _run_sorted(x, c, s, o, full=record == "full", engine=chosen)
    return _unsort(out, order)


#: The most actors on one issue the model takes: a round holds several n x n arrays per draw
#: (1,000 actors: about 8 MB each).
MAX_ACTORS = 1_000

#: Draws per block within a round (measured: about 1,000 draws of 10 actors run a round
#: 2.4x faster per draw than 10,000 at once on the development machine: the arrays of a
#: block fit in the CPU's cache). Draws are independent, so blocks change no result.
CHUNK = 1024

#: The most cells (draws x n x n) of one array in a block: 4M numbers, 32 MB.
BLOCK_CELLS = 4_000_000

_FILL = {"risk": 1.0, "own": 0.0, "other": 0.0, "kind": NO_OFFER, "chosen": -1}


def _round_in_blocks(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    span: np.ndarray,
    o: EUOptions,
    engine: Literal["numpy", "numba"],
    *,
    known: tuple[np.ndarray, np.ndarray, np.ndarray],
    views: bool = True,
) -> tuple[np.ndarray, _Round]:
    """:func:`one_round` over blocks of at most :data:`CHUNK` draws (fewer for many actors,
    so that a block's n x n arrays stay near :data:`BLOCK_CELLS` numbers), joined. The
    compiled engine works one draw at a time, so it needs no blocks; without ``views`` it
    leaves out own, other and kind (empty (B, 0, 0) arrays). ``known``: the weights, median
    and mean of these draws, which the caller has already (the compiled round takes them; the
    NumPy round computes its own, the same numbers)."""
    if engine == "numba":
        w, median, mean = known
        new, risk, chosen, own, other, kind = compiled_round(
            x, w, s, span, median, o, SAME_POSITION, views=views
        )
        return new, _Round(median, mean, risk, own, other, kind, chosen)
    n = x.shape[-1]
    size = max(1, min(CHUNK, BLOCK_CELLS // (n * n)))
    if x.shape[0] <= size:
        return one_round(x, c, s, span, o)
    parts = [
        one_round(x[i : i + size], c[i : i + size], s[i : i + size], span[i : i + size], o)
        for i in range(0, x.shape[0], size)
    ]
    moved = np.concatenate([p[0] for p in parts])
    joined = {
        f.name: np.concatenate([getattr(p[1], f.name) for p in parts]) for f in fields(_Round)
    }
    return moved, _Round(**joined)


def _unsort(out: dict[str, np.ndarray], order: np.ndarray) -> dict[str, np.ndarray]:
    """Put the actor axes of ``out`` back in the caller's order."""
    inverse = np.argsort(order, axis=-1)
    res = dict(out)
    res["positions"] = np.take_along_axis(out["positions"], inverse[:, None, :], axis=-1)
    for key in ("final_own", "final_other", "final_kind"):
        m = np.take_along_axis(out[key], inverse[:, :, None], axis=1)
        res[key] = np.take_along_axis(m, inverse[:, None, :], axis=2)
    if "risk" not in out:
        return res
    t = out["risk"].shape[1]
    inv_t = np.broadcast_to(inverse[:, None, :], (inverse.shape[0], t, inverse.shape[1]))
    res["risk"] = np.take_along_axis(out["risk"], inv_t, axis=-1)
    for key in ("own", "other", "kind"):
        m = np.take_along_axis(out[key], inv_t[:, :, :, None], axis=2)
        res[key] = np.take_along_axis(m, inv_t[:, :, None, :], axis=3)
    chosen = np.take_along_axis(out["chosen"], inv_t, axis=-1)
    mapped = np.take_along_axis(
        np.broadcast_to(order[:, None, :], inv_t.shape), np.where(chosen >= 0, chosen, 0), axis=-1
    )
    res["chosen"] = np.where(chosen >= 0, mapped, -1)
    return res


def _run_sorted(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    o: EUOptions,
    *,
    full: bool,
    engine: Literal["numpy", "numba"],
) -> dict[str, np.ndarray]:
    """:func:`run_rounds` on actors already in canonical order.

    A round is a function of the positions alone (with D fixed, or recomputed from them), so
    a draw whose round moved no one would repeat that round to the end: without a full
    record such a draw is set aside (``still``) and only its round count goes on.
    """
    b, n = x.shape
    w = weights(c, s)  # the same every round: positions move, capabilities do not
    initial_span = _span(x)
    active = initial_span > 0
    still = np.zeros(b, dtype=bool)
    ran = np.zeros(b, dtype=int)
    positions, medians, means = [x], [], []
    history: dict[str, list[np.ndarray]] = {
        k: [] for k in ("risk", "own", "other", "kind", "chosen")
    }
    for _ in range(o.rounds):
        idx = np.flatnonzero(active)
        if idx.size == 0 and not still.any():
            break
        median, mean = weighted_median(x, w), weighted_mean(x, c, s)
        medians.append(median)
        means.append(mean)
        positions.append(x)
        ran[still] += 1
        if idx.size == 0:  # every draw left is set aside: it keeps its positions
            continue
        span = initial_span if o.range == "initial" else _span(x)
        known = (w[idx], median[idx], mean[idx])
        moved_sub, info = _round_in_blocks(
            x[idx], c[idx], s[idx], span[idx], o, engine, views=full, known=known
        )
        new = x.copy()
        new[idx] = moved_sub
        ran[idx] += 1
        if full:
            for key, fill in _FILL.items():
                value = getattr(info, key)
                block = np.full((b, *value.shape[1:]), fill, dtype=value.dtype)
                block[idx] = value
                history[key].append(block)
        if o.stopping != "rounds":
            after = weighted_median(moved_sub, w[idx])
            # a draw still bargaining has D > 0 (agreed draws leave `active` at once)
            moved = np.abs(after - info.median) / span[idx]
            limit = o.tolerance if o.stopping == "tolerance" else 1.0 - o.discount
            active[idx[moved < limit]] = False
        elif not full:
            fixed = idx[(moved_sub == x[idx]).all(axis=1)]
            still[fixed], active[fixed] = True, False
        x = positions[-1] = new
        active &= _span(x) > 0
    median_end, mean_end = weighted_median(x, w), weighted_mean(x, c, s)
    out: dict[str, np.ndarray] = {
        "positions": np.stack(positions, axis=1),
        "median": np.stack([*medians, median_end], axis=1),
        "mean": np.stack([*means, mean_end], axis=1),
        "rounds": ran,
        "forecast": median_end,
    }
    if full:
        empty = {"risk": (n,), "own": (n, n), "other": (n, n), "kind": (n, n), "chosen": (n,)}
        for key, shape in empty.items():
            dtype = int if key in ("kind", "chosen") else float
            out[key] = (
                np.stack(history[key], axis=1) if history[key] else np.zeros((b, 0, *shape), dtype)
            )
    # How every actor sees every other once the bargaining has stopped: the dyads still
    # headed for confrontation at the end (no one moves on this evaluation).
    span = initial_span if o.range == "initial" else _span(x)
    _, final = _round_in_blocks(x, c, s, span, o, engine, known=(w, median_end, mean_end))
    agreed = (_span(x) == 0)[:, None, None]
    out["final_own"] = np.where(agreed, 0.0, final.own)
    out["final_other"] = np.where(agreed, 0.0, final.other)
    out["final_kind"] = np.where(agreed, NO_OFFER, final.kind)
    return out
