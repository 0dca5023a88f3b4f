"""The expected utility model's options: every interpretive choice, named, with its bounds.

See ``docs/models/expected-utility.md`` for the source of each reading.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from statecraft.models.base import ModelOptions

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFRONTATION",
    "KIND_NAMES",
    "NO_OFFER",
    "EUOptions",
]

Probability = Literal["pair", "triples"]
Range = Literal["initial", "current"]
BetterWorse = Literal["target", "challenger"]
OfferChoice = Literal["smallest", "type", "scholz"]
Stopping = Literal["rounds", "tolerance", "discount"]

#: Offer classes, as stored in :attr:`EUResult.kind` (i's view of j; i is the one who moves).
NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
KIND_NAMES = {
    NO_OFFER: "none",
    CONFRONTATION: "confrontation",
    COMPROMISE: "compromise",
    CAPITULATION: "capitulation",
}


class EUOptions(ModelOptions):
    """The named choices of the expected utility model; see ``docs/models/expected-utility.md``.

    ``probability``: ``"pair"`` divides the votes for i over j by the absolute votes on that
    pair, so that P_ij + P_ji = 1 (the paper, eq. 31); ``"triples"`` divides by the absolute
    votes summed over every voter and every pair, as Scholz's code does.
    ``vote_risk``: whether the votes behind P use each voter's risk exponent (Scholz's code)
    or are linear in distance (the paper). The round's forecast always uses linear votes.
    ``range``: D, the width of the positions' range, fixed at the ``"initial"`` positions (every
    replication) or recomputed from the ``"current"`` ones each round.
    ``better_worse``: the second distance in the 'better'/'worse' utilities: ``"target"`` is
    |x_i - x_j| (the paper), ``"challenger"`` is |x_j - m|. Only matters when q < 1.
    ``q``, ``t``: the Q and T of the expected utility; ``t="geometric"`` sets T = 1 when
    |x_i - m| < |x_i - x_j| and 0 otherwise.
    ``offer_choice``: of the offers an actor would accept, take the ``"smallest"`` move, or go
    by ``"type"`` (confrontation, then compromise, then capitulation; the smallest move within
    a type), or as Scholz's code: by type, with compromises chosen by the lowest weighted
    position (``"scholz"``).
    ``stopping``: ``"rounds"`` runs exactly ``rounds`` rounds; ``"tolerance"`` stops when the
    forecast moves less than ``tolerance`` x D in a round; ``"discount"`` is our reading of
    Bueno de Mesquita's rule (no published form): stop when the forecast moves less than
    (1 - ``discount``) x D, the share lost by waiting a round. Both stop at ``rounds`` at the
    latest.
    """

    probability: Probability = Field(
        default="triples",
        description="P_ij from the votes on the pair (the paper) or on every triple (Scholz).",
    )
    vote_risk: bool = Field(
        default=True, description="Whether the votes behind P use the voters' risk exponents."
    )
    range: Range = Field(
        default="initial", description="D, the positions' range: initial or each round's."
    )
    better_worse: BetterWorse = Field(
        default="target", description="The second distance in the better/worse utilities."
    )
    q: float = Field(
        default=1.0,
        ge=0.0,
        le=1.0,
        description="Q: the chance the status quo holds without a challenge.",
    )
    t: Annotated[float, Field(ge=0.0, le=1.0)] | Literal["geometric"] = Field(
        default=1.0, description="T: the chance things get better without a challenge."
    )
    offer_choice: OfferChoice = Field(
        default="scholz", description="Which of the acceptable offers an actor takes."
    )
    stopping: Stopping = Field(
        default="rounds", description="Stop after the rounds, or when the forecast settles."
    )
    rounds: int = Field(default=8, ge=1, le=100, description="Rounds (the most, if stopping).")
    tolerance: float = Field(
        default=1e-3, gt=0.0, lt=1.0, description="Settled: the forecast moves less than this x D."
    )
    discount: float = Field(
        default=0.9, gt=0.0, lt=1.0, description="The value of a round's wait (stopping=discount)."
    )
