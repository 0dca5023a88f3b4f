"""The weighted Kalai-Smorodinsky bargaining solution, with the status quo as the
disagreement point."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from statecraft.arrays import IssueArrays
from statecraft.models.base import IssueModel, ModelOptions, status_quo_of, weights
from statecraft.models.nash import ITERATIONS, Utility

__all__ = ["Ideal", "KSOptions", "KalaiSmorodinsky", "Weighting", "kalai_smorodinsky"]

Ideal = Literal["agreeable", "position"]
Weighting = Literal["concession", "gain"]


def kalai_smorodinsky(
    position: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    status_quo: np.ndarray | float,
    *,
    utility: Utility = "quadratic",
    ideal: Ideal = "agreeable",
    weighting: Weighting = "concession",
) -> np.ndarray:
    r"""The weighted Kalai-Smorodinsky bargaining solution on one issue, over the last axis.

    Kalai, E. & Smorodinsky, M. (1975). "Other solutions to Nash's bargaining problem",
    *Econometrica* 43(3): 513-518: the Pareto-optimal agreement at which each player gets
    the same share of its ideal gain, the most it could get. Here, as
    in the Nash model, the disagreement point is the status quo :math:`q`, the utility is
    ``"quadratic"`` (:math:`u_i(x) = -(x - x_i)^2`) or ``"linear"``
    (:math:`u_i(x) = -|x - x_i|`), and actor i gains :math:`G_i(x) = u_i(x) - u_i(q)`.
    Actors with a say (weight :math:`w_i > 0`: capability x salience relative to the
    largest, :func:`~statecraft.models.base.weights`) veto whatever leaves them worse off
    than the status quo, so the agreements are the interval :math:`[\ell, h]`,
    :math:`\ell = \max_i (x_i - r_i)`, :math:`h = \min_i (x_i + r_i)`,
    :math:`r_i = |x_i - q|`. Actor i's ideal gain :math:`A_i` is its best gain among the
    agreements, :math:`G_i(\mathrm{clip}(x_i, \ell, h))` (``ideal="agreeable"``, default),
    or the gain of its own position, :math:`G_i(x_i)` (``"position"``); its share is
    :math:`g_i(x) = G_i(x) / A_i`. The solution (our weighted reading) is

    .. math:: \hat x = \arg\max_{x \in [\ell, h]} \min_{i:\, w_i > 0} \phi_i(x), \qquad
              \phi_i = w_i \big(g_i(x) - 1\big) \;(\texttt{"concession"}) \text{ or }
              g_i(x) / w_i \;(\texttt{"gain"}):

    the concessions from the ideal, :math:`1 - g_i`, in inverse proportion to the weights
    (default), or the shares in proportion to them. With equal weights both are Kalai and
    Smorodinsky's solution for two actors, and for more the first step of Imai's (1983,
    *Econometrica* 51(2): 389-401) lexicographic maxmin. Each :math:`\phi_i` is concave in
    :math:`x`, so their minimum is, and its maximum is found by bisection towards the
    position of the actor worst off (80 halvings, to float precision). Where the agreements
    are a single point (an actor with a say stands at the status quo, or such actors stand
    on both sides of it) or nobody has a say, nobody can gain and the solution is the
    status quo.

    Two actors of equal weight at 60 and 100 with the status quo at 0 get equal shares
    :math:`x(120 - x)/3600 = x(200 - x)/10000` at :math:`x = 75` (the Nash solution is
    71.01):

    >>> round(float(kalai_smorodinsky(np.array([60.0, 100.0]), np.ones(2), np.ones(2), 0.0)), 6)
    75.0
    """
    x = np.asarray(position, dtype=float)
    w = weights(capability, salience)
    w = np.broadcast_to(w, np.broadcast_shapes(w.shape, x.shape))
    x = np.broadcast_to(x, w.shape)
    q = np.asarray(status_quo, dtype=float)[..., None]
    active = w > 0
    # In units of the largest distance from the status quo (the solution does not depend on
    # the scale's origin or unit), so that squares neither overflow nor underflow.
    unit = np.where(active, np.abs(x - q), 0.0).max(axis=-1, keepdims=True)
    unit = np.where(unit > 0, unit, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        z = np.where(active, (x - q) / unit, 0.0)  # those without a say play no part
    r = np.abs(z)
    lo = np.where(active, z - r, -np.inf).max(axis=-1)
    hi = np.where(active, z + r, np.inf).min(axis=-1)
    feasible = (lo < hi) & active.any(axis=-1)
    lo_b = np.where(feasible, lo, 0.0)
    hi_b = np.where(feasible, hi, 0.0)
    best = np.clip(z, lo_b[..., None], hi_b[..., None]) if ideal == "agreeable" else z
    ideal_gain = np.where(active & feasible[..., None], _gain(best, z, r, utility), 1.0)
    for _ in range(ITERATIONS):
        mid = 0.5 * (lo_b + hi_b)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            share = _gain(mid[..., None], z, r, utility) / ideal_gain
            worth = w * (share - 1.0) if weighting == "concession" else share / w
        least = np.argmin(np.where(active, worth, np.inf), axis=-1)[..., None]
        towards = np.take_along_axis(z, least, axis=-1)[..., 0]
        rising = towards > mid  # the actor worst off gains by a move towards its position
        lo_b = np.where(rising, mid, lo_b)
        hi_b = np.where(rising, hi_b, mid)
    # Between the extreme positions of the actors with a say (exactly so, after rounding).
    inner = np.where(active, x, np.inf).min(axis=-1)
    outer = np.where(active, x, -np.inf).max(axis=-1)
    solution = np.clip(q[..., 0] + unit[..., 0] * 0.5 * (lo_b + hi_b), inner, outer)
    return np.asarray(np.where(feasible, solution, q[..., 0]))


def _gain(at: np.ndarray, x: np.ndarray, r: np.ndarray, utility: Utility) -> np.ndarray:
    """u_i(at) - u_i(q) for every actor at x, with r = |x_i - q| (any unit)."""
    if utility == "quadratic":
        return np.asarray(r**2 - (at - x) ** 2)
    return np.asarray(r - np.abs(at - x))


class KSOptions(ModelOptions):
    """The Kalai-Smorodinsky solution's options."""

    utility: Utility = Field(
        default="quadratic",
        description="Each actor's utility of the distance from its position: quadratic "
        "(as in the Nash model, after Achen 2006) or linear.",
    )
    ideal: Ideal = Field(
        default="agreeable",
        description="Each actor's ideal gain: its best outcome among those no actor with a "
        "say would veto (agreeable; the ideal point of Kalai & Smorodinsky 1975 over the "
        "agreements) or its own position (position).",
    )
    weighting: Weighting = Field(
        default="concession",
        description="How capability x salience weights the bargain: each actor's concession "
        "from its ideal in inverse proportion to its weight (concession) or its share of its "
        "ideal gain in proportion to it (gain); the same with equal weights.",
    )


class KalaiSmorodinsky(IssueModel):
    """The weighted Kalai-Smorodinsky bargaining solution relative to the status quo
    (Kalai & Smorodinsky 1975)."""

    name = "kalai-smorodinsky"
    title = "Kalai-Smorodinsky bargaining (weighted, vs status quo)"
    citation = (
        "Kalai, E. & Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem. "
        "Econometrica 43(3): 513-518; weighted by capability x salience (our reading) and "
        "extended to many actors by maxmin as in Imai, H. (1983), Econometrica 51(2): 389-401."
    )
    Options: ClassVar[type[KSOptions]] = KSOptions
    opts: KSOptions
    needs_status_quo = True

    def predict(self, issue: IssueArrays) -> np.ndarray:
        return kalai_smorodinsky(
            issue.position,
            issue.capability,
            issue.salience,
            status_quo_of(issue),
            utility=self.opts.utility,
            ideal=self.opts.ideal,
            weighting=self.opts.weighting,
        )
