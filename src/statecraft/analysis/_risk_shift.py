r"""Shifting power between two moments of a scenario, at their values (no draws).

Power transition (Organski & Kugler, *The War Ledger*, 1980): the danger is a dissatisfied
side that gains on the one that upholds the order. The commitment problem (Fearon 1995;
Powell 2006, "War as a commitment problem", *International Organization* 60(1)): a
settlement struck under one distribution of power cannot bind a side that the shift has made
stronger, nor can a declining guarantor credibly promise to enforce it.

:func:`power_shift` measures both, on the settlement's issues, for actors matched by id:

- each actor's share of the capability brought to bear on the settlement's issues,
  :math:`C_a / \sum_k C_k` with :math:`C_a = \sum_j c_{aj}`, and its mean salience on them,
  before and after (a guarantor whose share or salience falls is less credible);
- for each actor and issue, its chance of overturning the settlement then and now
  (:math:`P_a`, third parties voting by their positions) and the pressure the rise adds,
  :math:`\phi_a = g_a \max(0, P_a - P_a^{before})` (a dissatisfied side that gains);
- for each dyad, the risk that part alone carries (:mod:`statecraft.analysis.risk`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from statecraft.analysis._risk_study import _before, evaluate, plan_for
from statecraft.analysis._risk_terms import issue_terms, shift_pressure
from statecraft.arrays import scenario_batch
from statecraft.notebook import Notebook
from statecraft.scenario import Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PowerShift", "power_shift"]


@dataclass(frozen=True, repr=False)
class PowerShift(Notebook):
    """The shift of power between two moments (:func:`power_shift`).

    ``actors``: per actor, ``share_before``, ``share_after``, ``salience_before``,
    ``salience_after`` (NaN where absent at that moment). ``challenges``: per actor and
    settlement issue, ``stake``, ``prevail_before``, ``prevail_after`` and ``added``
    (:math:`\\phi`). ``dyads``: per dyad, ``shift``, the risk from the shift alone."""

    before: str
    after: str
    actors: tuple[dict[str, Any], ...]
    challenges: tuple[dict[str, Any], ...]
    dyads: tuple[dict[str, Any], ...]

    def to_frame(self) -> pd.DataFrame:
        """The challenges, one row per actor and issue."""
        import pandas as pd

        return pd.DataFrame.from_records(list(self.challenges))

    def _headline(self) -> pd.DataFrame:
        """Each actor's share of capability and mean salience, before and after."""
        import pandas as pd

        return pd.DataFrame.from_records(list(self.actors))

    def _summary(self) -> list[str]:
        lines = [f"PowerShift from {self.before!r} to {self.after!r}: {len(self.actors)} actors"]
        lines += [
            f"  {d['a']}-{d['b']}: risk from the shift {d['shift']:.3f}" for d in self.dyads[:3]
        ]
        return lines

    def to_dict(self) -> dict[str, Any]:
        return dict(
            strict_json(
                {
                    "before": self.before,
                    "after": self.after,
                    "actors": list(self.actors),
                    "challenges": list(self.challenges),
                    "dyads": list(self.dyads),
                },
                why={"actors": "the actor is absent at that moment"},
            )
        )


def _shares(scenario: Scenario, issues: list[str]) -> dict[str, tuple[float, float]]:
    """Each actor's share of the capability on these issues and its mean salience there."""
    cap = {a.id: sum(a.capability_on(i) for i in issues if i in a.stances) for a in scenario.actors}
    total = sum(cap.values())
    out = {}
    for a in scenario.actors:
        held = [a.stances[i].salience.value for i in issues if i in a.stances]
        share = cap[a.id] / total if total > 0 else float("nan")
        out[a.id] = (share, sum(held) / len(held) if held else float("nan"))
    return out


def power_shift(before: Scenario, after: Scenario) -> PowerShift:
    """The shift of power from ``before`` to ``after`` on ``after``'s settlement (its
    issues with a status quo), at the scenarios' values; see the module docstring."""
    if not any(i.status_quo is not None for i in after.issues):
        raise ValueError(
            f"the shift of power is measured on a settlement: no issue of {after.name} has "
            "a status_quo"
        )
    plan = plan_for(after, before, (0, min(1, len(after.actors) - 1)))
    now, then = scenario_batch(after), scenario_batch(before)
    settled = [after.issues[j].id for j in plan.columns]
    then_issues = [i for i in settled if i in before.issue_ids]
    old, new = _shares(before, then_issues), _shares(after, settled)
    nan = float("nan")
    actors = []
    for a in dict.fromkeys([*after.actor_ids, *before.actor_ids]):
        s0, v0 = old.get(a, (nan, nan))
        s1, v1 = new.get(a, (nan, nan))
        actors.append(
            {
                "actor": a,
                "share_before": s0,
                "share_after": s1,
                "salience_before": v0,
                "salience_after": v1,
            }
        )
    challenges = []
    for t, j in enumerate(plan.columns):
        q = now.status_quo[:, j]
        x = np.where(now.present[:, j], now.position[:, :, j], q[:, None])
        terms = issue_terms(
            now.position[:, :, j],
            now.salience[:, :, j],
            now.capability[:, :, j],
            now.present[:, j],
            q,
            float(now.width[j]),
        )
        p0 = _before(plan, t, now, then, x)
        added = None if p0 is None else shift_pressure(terms.stake, terms.prevail, p0)
        for k, a in enumerate(after.actor_ids):
            challenges.append(
                {
                    "actor": a,
                    "issue": after.issues[j].id,
                    "stake": float(terms.stake[0, k]),
                    "prevail_before": nan if p0 is None else float(p0[0, k]),
                    "prevail_after": float(terms.prevail[0, k]),
                    "added": 0.0 if added is None else float(added[0, k]),
                }
            )
    out = evaluate(plan, now, then)
    a_idx, b_idx = plan.pairs
    dyads = [
        {"a": after.actor_ids[a], "b": after.actor_ids[b], "shift": float(out["shift"][0, k])}
        for k, (a, b) in enumerate(zip(a_idx, b_idx, strict=True))
    ]
    dyads.sort(key=lambda d: -d["shift"])
    return PowerShift(before.name, after.name, tuple(actors), tuple(challenges), tuple(dyads))
