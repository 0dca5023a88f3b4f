"""The compromise model: the capability x salience weighted mean of positions."""

from __future__ import annotations

import numpy as np

from statecraft.arrays import IssueArrays
from statecraft.models.base import IssueModel, weights_by_row
from statecraft.models.rows import last_first, sum_rows

__all__ = ["Compromise", "weighted_mean"]


def weighted_mean(position: np.ndarray, capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    r"""The capability x salience weighted mean of positions, over the last axis.

    .. math:: \hat x = \frac{\sum_i c_i s_i x_i}{\sum_i c_i s_i}

    The "compromise model" of Achen (2006), "Evaluating political decision-making models",
    in Thomson, Stokman, Achen & König (eds.), *The European Union Decides*, Cambridge UP,
    ch. 10; the same mean is Bueno de Mesquita's (1994) first-pass forecast. Leading axes
    are batch axes. Where every weight is 0 the result is NaN.

    >>> weighted_mean(np.array([0.0, 100.0]), np.array([3.0, 1.0]), np.array([1.0, 1.0]))
    array(25.)
    """
    # With the actors first, the sums are whole-row additions (the same bytes as summing
    # the last axis: statecraft.models.rows).
    return _mean_by_row(last_first(position), last_first(capability), last_first(salience))


def _mean_by_row(position: np.ndarray, capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """:func:`weighted_mean` of arrays with the actors first (actors, ...)."""
    w = weights_by_row(capability, salience)
    total = sum_rows(w)
    # In place where the weights already have the positions' shape (the common case);
    # weights given per actor across a batch of positions broadcast to a new array.
    same = w.shape == np.broadcast_shapes(w.shape, position.shape)
    w = np.multiply(w, position, out=w if same else None)
    # The only division by zero is 0 / 0 (every weight zero), which NumPy calls invalid.
    with np.errstate(invalid="ignore"):
        return np.asarray(sum_rows(w) / total)


class Compromise(IssueModel):
    """The compromise model (Achen 2006): the capability x salience weighted mean."""

    name = "compromise"
    issues_first = True
    title = "Compromise (weighted mean)"
    citation = (
        "Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson, "
        "F. N. Stokman, C. H. Achen & T. König (eds.), The European Union Decides, ch. 10. "
        "Cambridge University Press."
    )

    def predict(self, issue: IssueArrays) -> np.ndarray:
        capability, position, salience = issue.rows()  # actors first: no copy from a study
        return _mean_by_row(position, capability, salience)
