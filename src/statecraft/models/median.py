"""The median voter model: the Condorcet winner among the actors' positions (Black 1958)."""

from __future__ import annotations

import numpy as np

from statecraft.arrays import IssueArrays
from statecraft.models.base import IssueModel, weights

__all__ = ["Median", "condorcet_winner", "weighted_median"]

#: Relative tolerance under which a cumulative weight counts as exactly half the total.
TIE_TOLERANCE = 1e-9


def weighted_median(position: np.ndarray, weight: np.ndarray) -> np.ndarray:
    r"""The weighted median of positions, over the last axis, with ties split at the midpoint.

    On one dimension, with every actor preferring positions closer to its own, the position
    that beats every other in a pairwise vote weighted by ``weight`` is the weighted median
    (Black 1958, *The Theory of Committees and Elections*, ch. IV). Let :math:`W` be the total
    weight and :math:`x_{(1)} \le \dots \le x_{(n)}` the sorted positions with cumulative
    weight :math:`C_k`. The lower median is the first :math:`x_{(k)}` with
    :math:`C_k \ge W/2`, the upper median the first with :math:`C_k > W/2`.

    When they differ, exactly half the weight lies on each side: the two (and any position
    between them) tie every pairwise vote among themselves and beat all others. We then
    return the midpoint of the lower and upper medians, the convention for the median of an
    even sample and the only choice that does not favour one end of the scale. "Exactly half"
    means within ``TIE_TOLERANCE`` x W. Leading axes are batch axes; zero total weight gives NaN.

    >>> weighted_median(np.array([4.0, 7.0, 10.0]), np.array([24.8, 9.3, 33.6]))
    array(7.)
    >>> weighted_median(np.array([0.0, 10.0]), np.array([1.0, 1.0]))
    array(5.)
    """
    # No dtype: integer positions or weights give the same result (the halves and the
    # midpoint below are taken in floats). The sort need not be stable: equal positions
    # are one value, and the median is read off as a value. argsort sorts the last axis.
    x = np.asarray(position)
    w = np.broadcast_to(np.asarray(weight), x.shape)
    order = np.argsort(x)
    xs = np.take_along_axis(x, order, axis=-1)
    cum = np.cumsum(np.take_along_axis(w, order, axis=-1), axis=-1)
    total = cum[..., -1:]
    half = total / 2.0
    tol = TIE_TOLERANCE * total
    lower = np.argmax(cum >= half - tol, axis=-1)[..., None]
    upper = np.argmax(cum > half + tol, axis=-1)[..., None]
    result = 0.5 * (np.take_along_axis(xs, lower, -1) + np.take_along_axis(xs, upper, -1))
    result = np.where(total > 0, result, np.nan)
    return np.asarray(result[..., 0])


def condorcet_winner(position: np.ndarray, weight: np.ndarray) -> float | None:
    """The position among ``position`` that beats every other in a weighted pairwise vote.

    The definition itself, by brute force (O(n^3)), for one issue without batch axes: actor k
    votes for a over b when it is strictly closer to a, with weight ``weight[k]``. Returns
    None when no position beats all others strictly (a tie). Used to check
    :func:`weighted_median`; use that one for forecasts.
    """
    x = np.asarray(position)
    w = np.asarray(weight)

    def margin(a: float, b: float) -> float:
        """The weight of the actors strictly closer to a, less that of those closer to b."""
        return float(np.sum(w * np.sign(np.abs(x - b) - np.abs(x - a))))

    candidates = np.unique(x)
    for a in candidates:
        if all(margin(a, b) > 0 for b in candidates if b != a):
            return float(a)
    return None


class Median(IssueModel):
    """The median voter model: the Condorcet winner under capability x salience weights."""

    name = "median"
    title = "Median voter (weighted median)"
    citation = (
        "Black, D. (1958). The Theory of Committees and Elections. Cambridge University "
        "Press; weighted by capability x salience as in Achen (2006), The European Union "
        "Decides, ch. 10."
    )

    def predict(self, issue: IssueArrays) -> np.ndarray:
        return weighted_median(issue.position, weights(issue.capability, issue.salience))
