"""The weighted Nash bargaining solution, with the status quo as the disagreement point."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from statecraft.arrays import IssueArrays
from statecraft.models.base import IssueModel, ModelOptions, status_quo_of, weights

__all__ = ["Nash", "Utility", "nash_bargaining"]

Utility = Literal["quadratic", "linear"]

#: Bisection steps: each halves the bracket, so 80 reach float precision on any scale.
ITERATIONS = 80


def nash_bargaining(
    position: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    status_quo: np.ndarray | float,
    *,
    utility: Utility = "quadratic",
) -> np.ndarray:
    r"""The asymmetric Nash bargaining solution on one issue, over the last axis.

    Nash (1950) "The bargaining problem", *Econometrica* 18(2): 155-162, generalised to
    unequal bargaining power (Kalai 1977; Roth 1979), as applied to EU legislation by
    Achen (2006, *The European Union Decides*, ch. 4 and 10) and Schneider, Finke & Bailer
    (2010, *Political Studies* 58: 85-103). The outcome maximises the weighted Nash product

    .. math:: \max_x \prod_i \big(u_i(x) - u_i(q)\big)^{c_i s_i}
              \quad\text{s.t. } u_i(x) \ge u_i(q) \text{ for every } i \text{ with } c_i s_i > 0

    where :math:`q` is the status quo (the disagreement point), :math:`c_i s_i` is actor
    i's bargaining weight (capability x salience) and :math:`u_i` is one of

    - ``"quadratic"`` (default): :math:`u_i(x) = -(x - x_i)^2`, the loss used by Achen (2006);
    - ``"linear"``: :math:`u_i(x) = -|x - x_i|`.

    A scale factor on :math:`u_i` cancels in the product, so salience can only act through
    the weight. The product is log-concave on the feasible interval
    :math:`(\max_i(x_i - r_i), \min_i(x_i + r_i))`, :math:`r_i = |x_i - q|`, so the maximum
    is found by bisection on the derivative of its logarithm. When that interval is empty
    (some weighted actor stands at the status quo, or actors stand on both sides of it) no
    agreement leaves everyone at least as well off, and the solution is the status quo.
    With quadratic utility and a status quo far from every position, the solution tends to
    the weighted mean (the compromise model), the link Achen (2006) draws.

    >>> round(float(nash_bargaining(np.array([60.0, 100.0]), np.ones(2), np.ones(2), 0.0)), 2)
    71.01
    """
    x = np.asarray(position, dtype=float)
    w = weights(capability, salience)
    w = np.broadcast_to(w, np.broadcast_shapes(w.shape, x.shape))
    q = np.asarray(status_quo, dtype=float)[..., None]
    active = w > 0
    r = np.abs(x - q)
    lo = np.where(active, x - r, -np.inf).max(axis=-1)
    hi = np.where(active, x + r, np.inf).min(axis=-1)
    feasible = lo < hi
    lo_b = np.where(feasible, lo, 0.0)
    hi_b = np.where(feasible, hi, 0.0)
    for _ in range(ITERATIONS):
        mid = 0.5 * (lo_b + hi_b)
        rising = _log_slope(mid, x, r, w, active, utility) > 0
        lo_b = np.where(rising, mid, lo_b)
        hi_b = np.where(rising, hi_b, mid)
    solution = 0.5 * (lo_b + hi_b)
    return np.asarray(np.where(feasible, solution, q[..., 0]))


def _log_slope(
    at: np.ndarray,
    x: np.ndarray,
    r: np.ndarray,
    w: np.ndarray,
    active: np.ndarray,
    utility: Utility,
) -> np.ndarray:
    """A positive multiple of d/dx of sum_i w_i log(u_i(x) - u_i(q)) at ``at``, whose sign
    is all the bisection reads: half of it for quadratic utility, a subgradient for linear."""
    d = at[..., None] - x
    # At the edges of the feasible interval a gain reaches 0 and its term is infinite; the
    # sign of the sum still tells which way the maximum lies.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # (for quadratic utility, half the slope: halving is exact, and keeps the sign)
        terms = -d / (r**2 - d**2) if utility == "quadratic" else -np.sign(d) / (r - np.abs(d))
        return np.asarray(np.where(active, w * terms, 0.0).sum(axis=-1))


class NashOptions(ModelOptions):
    """The Nash bargaining solution's options."""

    utility: Utility = Field(
        default="quadratic",
        description="Each actor's utility of the distance from its position: quadratic "
        "(Achen 2006) or linear.",
    )


class Nash(IssueModel):
    """The weighted Nash bargaining solution relative to the status quo (Nash 1950)."""

    name = "nash"
    title = "Nash bargaining (weighted, vs status quo)"
    citation = (
        "Nash, J. F. (1950). The bargaining problem. Econometrica 18(2): 155-162; weighted "
        "by capability x salience as in Achen (2006), The European Union Decides, ch. 4, and "
        "Schneider, Finke & Bailer (2010), Political Studies 58(1): 85-103."
    )
    Options: ClassVar[type[NashOptions]] = NashOptions
    opts: NashOptions
    needs_status_quo = True

    def predict(self, issue: IssueArrays) -> np.ndarray:
        return nash_bargaining(
            issue.position,
            issue.capability,
            issue.salience,
            status_quo_of(issue),
            utility=self.opts.utility,
        )
