"""The expected utility model's probability of success: the weighted votes of every actor
on each pair of positions (Bueno de Mesquita 1994, eq. 31; Scholz, Calbert & Smith 2011,
sec. 3.3), vectorised over draws and actors. See :mod:`statecraft.models.eu_rounds`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from statecraft.models.base import weights
from statecraft.models.eu_options import Probability

__all__ = ["Voters", "probabilities", "risk_power"]


def risk_power(base: np.ndarray | float, r: np.ndarray | None) -> np.ndarray:
    """base ** r, with r None meaning every r = 1 (no power to take)."""
    return np.asarray(base if r is None else np.power(base, r))


@dataclass(frozen=True)
class Voters:
    """Where every pair's midpoint falls among the sorted voters: shared by both passes."""

    order: np.ndarray  # (B, n) voters sorted by position
    below: np.ndarray  # (B, i, j) flat index into the prefix sums of the voters below mid_ij
    left: np.ndarray  # (B, i, j) x_i < x_j
    right: np.ndarray  # (B, i, j) x_i > x_j

    @classmethod
    def of(cls, x: np.ndarray) -> Voters:
        b, n = x.shape
        order = np.argsort(x, axis=-1, kind="stable")
        xs = np.take_along_axis(x, order, axis=-1)
        mid = 0.5 * (x[:, :, None] + x[:, None, :])
        m = _count_below(xs, mid)  # voters strictly below each midpoint
        # flat index of cum[b, m, :] in a (B, n + 1, n) array, to add the column a to
        below = (np.arange(b)[:, None, None] * (n + 1) + m) * n
        xi, xj = x[:, :, None], x[:, None, :]
        return cls(order, below, xi < xj, xi > xj)


def probabilities(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    r: np.ndarray | None,
    span: np.ndarray,
    *,
    normaliser: Probability = "pair",
    voters: Voters | None = None,
) -> np.ndarray:
    r"""P[b, i, j]: the probability that i prevails over j, shape (B, i, j).

    Voter k's vote for x_i over x_j is :math:`v_k = c_k s_k ((|x_k-x_j|/D)^{r_k} -
    (|x_k-x_i|/D)^{r_k})` (r None: the paper's linear votes, every r = 1). The numerator is
    the sum of the positive votes, over every voter including i and j. ``"pair"``: the
    denominator is :math:`\sum_k |v_k|` on this pair, so :math:`P_{ij} + P_{ji} = 1`, and
    P = 1/2 where i and j stand together. ``"triples"``: the denominator is
    :math:`\sum_{k,a,b} |v_k(a, b)|` over every voter and ordered pair, as in Scholz's
    code; P is then small and :math:`P_{ij} + P_{ji} < 1`.
    """
    positive = _positive_votes(x, weights(c, s), r, span, voters or Voters.of(x))
    total = positive + np.swapaxes(positive, 1, 2)  # the votes against i are those for j
    # a total of 0 has no positive vote in it: 0 / 0 (invalid), never x / 0 (divide)
    with np.errstate(invalid="ignore"):
        if normaliser == "pair":
            return np.asarray(np.where(total > 0, positive / total, 0.5))
        grand = total.sum(axis=(1, 2))[:, None, None]
        return np.asarray(np.where(grand > 0, positive / grand, 0.0))


def _positive_votes(
    x: np.ndarray, w: np.ndarray, r: np.ndarray | None, span: np.ndarray, voters: Voters
) -> np.ndarray:
    """S[b, i, j], the sum over voters of their positive votes for x_i over x_j.

    Voter k prefers i to j exactly when it stands on i's side of the midpoint of x_i and
    x_j, whatever its risk exponent. With voters sorted by position, those voters are a
    prefix (x_i < x_j) or a suffix (x_i > x_j) of the sorted order, so with prefix sums of
    w_k (|x_k - x_a|/D)^r_k over the sorted voters, for every position a, each pair costs
    one look-up: O(n^2 log n) per draw instead of the O(n^3) of summing every triple.
    Voters exactly at the midpoint vote 0 either way.
    """
    b, n = x.shape
    order = voters.order
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    rs = None if r is None else np.take_along_axis(r, order, axis=-1)[:, :, None]
    safe = np.where(span > 0, span, 1.0)[:, None, None]
    u = risk_power(np.abs(xs[:, :, None] - x[:, None, :]) / safe, rs)  # (B, voter, a)
    cum = np.zeros((b, n + 1, n))
    np.cumsum(ws[:, :, None] * u, axis=1, out=cum[:, 1:])
    flat = cum.reshape(-1)
    column = np.arange(n)
    below_j = flat[voters.below + column[None, None, :]]
    below_i = flat[voters.below + column[None, :, None]]
    total_j, total_i = cum[:, n][:, None, :], cum[:, n][:, :, None]
    positive = np.where(
        voters.left,
        below_j - below_i,
        np.where(voters.right, (total_j - below_j) - (total_i - below_i), 0.0),
    )
    return np.asarray(np.clip(positive, 0.0, None))


def _count_below(sorted_values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """For each query, how many of its row's sorted values lie strictly below it.

    A batched ``searchsorted``: one stable sort of the queries merged with the values,
    queries first so that a value equal to a query counts as not below it.
    """
    b = sorted_values.shape[0]
    flat = queries.reshape(b, -1)
    q = flat.shape[1]
    order = np.argsort(np.concatenate([flat, sorted_values], axis=1), axis=1, kind="stable")
    is_value = order >= q
    before: np.ndarray = np.cumsum(is_value, axis=1) - is_value
    counts: np.ndarray = np.empty_like(before)
    np.put_along_axis(counts, order, before, axis=1)
    return counts[:, :q].reshape(queries.shape)
