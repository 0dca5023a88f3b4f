r"""Closed forms of the levers under the compromise model (derived in docs/advise.md).

The compromise forecast of issue :math:`j` is :math:`\hat x_j = N_j / W_j` with
:math:`w_{ij} = c_{ij} s_{ij}`, :math:`N_j = \sum_i w_{ij} x_{ij}` and
:math:`W_j = \sum_i w_{ij}` (Achen 2006). Its derivatives are

.. math::

    \frac{\partial \hat x_j}{\partial x_{ij}} = \frac{w_{ij}}{W_j}, \qquad
    \frac{\partial \hat x_j}{\partial s_{ij}} = \frac{c_{ij}(x_{ij} - \hat x_j)}{W_j}, \qquad
    \frac{\partial \hat x_j}{\partial c_{ij}} = \frac{s_{ij}(x_{ij} - \hat x_j)}{W_j},

and an actor's overall capability :math:`C_i` moves every issue on which it has no
capability of its own, so its derivative is the sum of the last over those issues. The effect
of a lever on a goal is the chain rule through the forecasts
(:func:`statecraft.analysis._goals.goal_gradient`).
"""

from __future__ import annotations

import numpy as np

from statecraft.analysis._levers import LeverInput
from statecraft.arrays import Batch

__all__ = ["compromise_derivative"]


def compromise_derivative(batch: Batch, item: LeverInput) -> np.ndarray:
    """d forecast / d input of every issue (D, I) under the compromise model, for each of
    the batch's D draws (0 on the issues the input does not touch; NaN where an issue has
    no weight at all)."""
    c, s = batch.capability, batch.salience
    x = np.nan_to_num(batch.position)
    w = c * s
    total = w.sum(axis=1)  # (D, I)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w * x).sum(axis=1) / total
        out = np.zeros((batch.size, batch.n_issues))
        a = item.a
        for j in item.columns:
            if item.kind == "position":
                d = w[:, a, j] / total[:, j]
            elif item.kind == "salience":
                d = c[:, a, j] * (x[:, a, j] - mean[:, j]) / total[:, j]
            else:  # capability on the issue, or the overall capability that sets it
                d = s[:, a, j] * (x[:, a, j] - mean[:, j]) / total[:, j]
            out[:, j] = d
    return out
