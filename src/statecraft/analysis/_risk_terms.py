r"""The terms of the risk analysis as array functions (:mod:`statecraft.analysis.risk`).

Shapes: B draws, n actors. On one issue of the settlement (an issue with a status quo), with
positions ``x`` (B, n), saliences ``s`` (B, n), capabilities ``c`` (B, n), the settlement
``q`` (B,) and the scale's width ``W``:

- the **stake** of actor a in overturning the settlement, :math:`g_a = s_a |x_a - q| / W`;
- the **probability that a's demand prevails** over the settlement, :math:`P_a`, from the
  capability x salience weighted votes of every actor, third parties included (Bueno de
  Mesquita 1994, eq. 31; the expected utility model's :func:`~statecraft.models.eu_votes.
  probabilities`, with the settlement as a pseudo-actor of no weight);
- a's **pressure** on the settlement, its expected utility of challenging it as in *The War
  Trap* (Bueno de Mesquita 1981, ch. 3), :math:`\pi_a = g_a \max(0, 2 P_a - 1)`;
- b's **resistance** to a's demand, what b would lose if it prevailed,
  :math:`r_{b|a} = s_b \max(0, |x_b - x_a| - |x_b - q|) / W`;
- the **risk of a challenging and b resisting**, :math:`\rho_{a \to b} = \pi_a r_{b|a}`.

Every function is vectorised over draws and actors; none loops over actors.
"""

from __future__ import annotations

import numpy as np

from statecraft.models.base import weights
from statecraft.models.eu_votes import probabilities

__all__ = [
    "IssueTerms",
    "dyad_survival",
    "issue_terms",
    "prevail",
    "prevail_without",
    "shift_pressure",
    "votes",
]


class IssueTerms:
    """The terms of one settlement issue for a chunk of draws (see the module docstring).

    ``stake``, ``prevail`` and ``pressure`` are (B, n); ``resist`` is (B, a, b), b's
    resistance to a's demand, ``r_{b|a}`` (zero on the diagonal)."""

    __slots__ = ("pressure", "prevail", "resist", "stake")

    def __init__(
        self, stake: np.ndarray, prevail: np.ndarray, pressure: np.ndarray, resist: np.ndarray
    ) -> None:
        self.stake = stake
        self.prevail = prevail
        self.pressure = pressure
        self.resist = resist


def _clean(
    x: np.ndarray, s: np.ndarray, c: np.ndarray, present: np.ndarray, q: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions, saliences and capabilities with an absent actor put at the settlement
    with no salience and no capability: it neither presses, resists nor votes."""
    here = np.broadcast_to(present, x.shape)
    x = np.where(here, x, q[:, None])
    s = np.where(here, s, 0.0)
    c = np.where(here, c, 0.0)
    return x, s, c


def prevail(x: np.ndarray, s: np.ndarray, c: np.ndarray, q: np.ndarray) -> np.ndarray:
    r"""P[b, a]: the probability that actor a's position prevails over the settlement q.

    Bueno de Mesquita's probability of success (1994, eq. 31; Scholz, Calbert & Smith 2011,
    sec. 3.3) for the pair (a, settlement): every actor k votes
    :math:`v_k = c_k s_k (|x_k - q| - |x_k - x_a|)` for a's demand over the settlement, and
    :math:`P_a = \sum_k v_k^+ / \sum_k |v_k|` (1/2 where nobody has a vote to cast). Third
    parties count by their positions: one nearer a's demand than the settlement joins it,
    one nearer the settlement resists it. Computed by the expected utility model's
    :func:`~statecraft.models.eu_votes.probabilities` (linear votes, the ``pair``
    normaliser), with the settlement appended as an actor of no weight.
    """
    b = x.shape[0]
    xe = np.concatenate([x, q[:, None]], axis=1)
    se = np.concatenate([s, np.zeros((b, 1))], axis=1)
    ce = np.concatenate([c, np.zeros((b, 1))], axis=1)
    span = np.ones(b)  # linear votes: P does not depend on the unit of distance
    p = probabilities(xe, ce, se, None, span, normaliser="pair")
    return np.asarray(p[:, :-1, -1])


def votes(
    x: np.ndarray, s: np.ndarray, c: np.ndarray, q: np.ndarray, who: np.ndarray
) -> np.ndarray:
    """V[b, k, t]: voter k's vote for the demand of actor ``who[t]`` over the settlement,
    with the weights :func:`prevail` uses (:func:`~statecraft.models.base.weights` of the
    actors and the weightless settlement)."""
    b = x.shape[0]
    w = weights(
        np.concatenate([c, np.zeros((b, 1))], axis=1), np.concatenate([s, np.zeros((b, 1))], axis=1)
    )
    w = w[:, :-1]
    demand = x[:, who]  # (B, t)
    return np.asarray(
        w[:, :, None]
        * (np.abs(x - q[:, None])[:, :, None] - np.abs(x[:, :, None] - demand[:, None, :]))
    )


def prevail_without(v: np.ndarray) -> np.ndarray:
    r"""P[b, g, t]: the probability of :func:`prevail` for the demand of challenger t when
    actor g withdraws (casts no vote): :math:`(\sum_k v_k^+ - v_g^+) / (\sum_k |v_k| -
    |v_g|)`, 1/2 where no vote is left. ``v`` is :func:`votes`' (B, k, t)."""
    pos = np.clip(v, 0.0, None)
    mag = np.abs(v)
    num = pos.sum(axis=1)[:, None, :] - pos
    den = mag.sum(axis=1)[:, None, :] - mag
    tiny = 1e-12 * np.maximum(mag.sum(axis=1)[:, None, :], 1e-300)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > tiny, num / np.where(den > tiny, den, 1.0), 0.5)
    return np.asarray(np.clip(out, 0.0, 1.0))


def issue_terms(
    x: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    present: np.ndarray,
    q: np.ndarray,
    width: float,
) -> IssueTerms:
    """Stake, probability of prevailing, pressure and resistance on one settlement issue
    (the module docstring's equations); ``present`` (n,) says who takes part."""
    x, s, c = _clean(x, s, c, present, q)
    d = np.abs(x - q[:, None]) / width  # (B, n) distance from the settlement, in [0, 1]
    stake = np.clip(s * d, 0.0, 1.0)
    p = prevail(x, s, c, q)
    pressure = stake * np.clip(2.0 * p - 1.0, 0.0, None)
    # r_{b|a}: (B, a, b) = s_b (|x_b - x_a| - |x_b - q|)^+ / W
    gap = np.abs(x[:, None, :] - x[:, :, None]) - np.abs(x - q[:, None])[:, None, :]
    resist = np.clip(s[:, None, :] * np.clip(gap, 0.0, None) / width, 0.0, 1.0)
    return IssueTerms(stake, p, pressure, resist)


def shift_pressure(stake: np.ndarray, now: np.ndarray, before: np.ndarray) -> np.ndarray:
    r"""The pressure a shift of power adds: :math:`\phi_a = g_a \max(0, P_a - P_a^{before})`,
    the stake of a dissatisfied actor times the rise in its chance of overturning the
    settlement since the earlier moment (Organski & Kugler 1980: a dissatisfied side that
    gains; Fearon 1995, Powell 2006: a settlement that reflects the old balance cannot
    commit the rising side)."""
    return np.asarray(stake * np.clip(now - before, 0.0, None))


def dyad_survival(pressure: np.ndarray, resist: np.ndarray) -> np.ndarray:
    r"""(B, a, b): :math:`(1 - \rho_{a \to b})(1 - \rho_{b \to a})` on one issue, with
    :math:`\rho_{a \to b} = \pi_a r_{b|a}`: the chance, reading each term as a probability,
    that neither side's challenge meets the other's resistance. Symmetric in a and b."""
    rho = pressure[:, :, None] * resist  # (B, a, b): a presses, b resists
    return np.asarray((1.0 - rho) * (1.0 - np.swapaxes(rho, 1, 2)))
