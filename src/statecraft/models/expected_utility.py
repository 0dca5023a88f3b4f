r"""Bueno de Mesquita's expected utility model, as reconstructed by Scholz, Calbert & Smith.

Bueno de Mesquita, B. (1994), "Political forecasting: an expected utility method", in Bueno de
Mesquita & Stokman (eds.), *European Community Decision Making*, Yale UP, 71-104; Bueno de
Mesquita (1997), "A decision making model: its structure and form", *International
Interactions* 23(3-4): 235-266; reconstructed by Scholz, J. B., Calbert, G. J. & Smith, G. A.
(2011), "Unravelling Bueno De Mesquita's group decision model", *Journal of Theoretical
Politics* 23(4): 510-531.

Each round, on one issue, every actor weighs challenging every other: the probability that it
would prevail (from the weighted votes of all actors), what it gains if it wins or loses, and
what it expects if it does nothing. From its own view of each pair it accepts at most one
demand (a confrontation it expects to lose, a compromise or a capitulation) and moves. The
forecast of a round is the position that wins every pairwise vote.

Everything is vectorised: every function takes arrays with a leading batch axis (draws) and
an actor axis, and no Python loop runs over actors. Every interpretive choice is an option of
:class:`EUOptions` and is recorded in ``docs/models/expected-utility.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from statecraft.arrays import IssueArrays
from statecraft.models.base import IssueModel, NotApplicable
from statecraft.models.eu_options import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    KIND_NAMES,
    NO_OFFER,
    EUOptions,
)
from statecraft.models.eu_result import EUDetails, EUResult
from statecraft.models.eu_rounds import (
    MAX_ACTORS,
    SAME_POSITION,
    expected_utilities,
    probabilities,
    risk_exponents,
    round_forecast,
    run_rounds,
)

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFRONTATION",
    "KIND_NAMES",
    "MAX_ACTORS",
    "NO_OFFER",
    "SAME_POSITION",
    "EUDetails",
    "EUOptions",
    "EUResult",
    "ExpectedUtility",
    "expected_utilities",
    "probabilities",
    "risk_exponents",
    "round_forecast",
    "run_rounds",
]


class ExpectedUtility(IssueModel):
    """Bueno de Mesquita's expected utility model (Scholz, Calbert & Smith 2011 reading)."""

    name = "expected-utility"
    title = "Expected utility (Bueno de Mesquita)"
    citation = (
        "Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In "
        "European Community Decision Making, Yale UP; as reconstructed by Scholz, J. B., "
        "Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's group decision "
        "model. Journal of Theoretical Politics 23(4): 510-531."
    )
    Options: ClassVar[type[EUOptions]] = EUOptions
    threads_itself = True  # the compiled round splits a batch's draws over threads
    opts: EUOptions
    cost = "slow"

    @property
    def eu_options(self) -> EUOptions:
        """The model's options (the name kept from before the model contract)."""
        return self.opts

    def memory_per_draw(self, n_actors: int, n_issues: int) -> int:
        # One issue runs at a time. A draw's trajectory keeps a few (n x n) arrays per round
        # only for its details; the summary a batch needs holds (rounds + 1) x n positions
        # and, at its peak, about twenty (n x n) arrays of floats (measured with tracemalloc
        # at 200 and 400 actors). Each issue's confrontations, (n x n) booleans, are kept.
        n = max(1, n_actors)
        return 8 * (20 * n * n + (self.opts.rounds + 2) * n) + n * n * max(1, n_issues)

    def check(self, issue: IssueArrays) -> None:
        n = issue.position.shape[-1]
        if n > MAX_ACTORS:
            raise NotApplicable(
                f"the expected utility model handles at most {MAX_ACTORS:,} actors on an "
                f"issue (this one has {n:,}): its memory grows with the square of the number"
            )

    def predict(self, issue: IssueArrays) -> np.ndarray:
        self.check(issue)
        x, c, s = _batched(issue)
        out = run_rounds(x, c, s, self.opts, record="summary")
        forecast = out["forecast"]
        return np.asarray(forecast if np.ndim(issue.position) > 1 else forecast[0])

    def run_issue(
        self, issue: IssueArrays, rng: np.random.Generator, *, detail: bool = False
    ) -> tuple[np.ndarray, dict[str, np.ndarray], Any]:
        # The model draws nothing: ``rng`` is not used.
        if detail:
            return self._run_detailed(issue)
        x, c, s = _batched(issue)
        out = run_rounds(x, c, s, self.opts, record="summary")
        return out["forecast"], {"confrontation": out["final_kind"] == CONFRONTATION}, None

    def _run_detailed(
        self, issue: IssueArrays
    ) -> tuple[np.ndarray, dict[str, np.ndarray], EUResult]:
        """:meth:`run_issue` with the whole account of the first draw."""
        x, c, s = _batched(issue)
        out = run_rounds(x, c, s, self.opts)
        t = int(out["rounds"][0])
        result = EUResult(
            actor_ids=issue.actor_ids,
            positions=out["positions"][0][: t + 1],
            median=out["median"][0][: t + 1],
            mean=out["mean"][0][: t + 1],
            risk=out["risk"][0][:t],
            own=out["own"][0][:t],
            other=out["other"][0][:t],
            kind=out["kind"][0][:t],
            chosen=out["chosen"][0][:t],
            final_own=out["final_own"][0],
            final_other=out["final_other"][0],
            final_kind=out["final_kind"][0],
            options=self.opts,
        )
        return out["forecast"], {"confrontation": out["final_kind"] == CONFRONTATION}, result

    def gather(self, accounts: Mapping[str, Any]) -> EUDetails:
        return EUDetails(accounts)

    def result(self, issue: IssueArrays) -> EUResult:
        """The model's whole account of one issue (its first draw): rounds, offers, dyads."""
        self.check(issue)
        return self._run_detailed(issue)[2]


def _batched(issue: IssueArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(B, n) arrays of an issue, with a draw axis added where it has none (run_rounds takes
    them as floats)."""
    return tuple(  # type: ignore[return-value]
        np.atleast_2d(a) for a in (issue.position, issue.capability, issue.salience)
    )
