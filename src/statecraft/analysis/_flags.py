"""The flags of a brief: what stops a verdict from looking surer than it is.

Each flag is a kind and a message that says what to do about it (docs/brief.md):

- ``no_ranges``: no coded number has a range, so every interval is zero-width;
- ``still_moving``: a model that bargains in rounds had actors still moving when it stopped;
- ``models_disagree``: the models name different biggest winners;
- ``narrow_margin``: the leader's lead over the runner-up is smaller than its uncertainty;
- ``near_flip``: moving one coded number by :data:`FLIP_STEP` changes a model's biggest winner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from statecraft.analysis.kernel import draws_per_block, run_model
from statecraft.analysis.winners import biggest_winner, draw_gains
from statecraft.arrays import Kind, draw_batch, input_key
from statecraft.models import Model
from statecraft.scenario import Quantity, Scenario

__all__ = ["FLIP_MOST", "FLIP_STEP", "Flag", "Flip", "coded_numbers", "flips"]

#: How far the near-flip check moves each coded number: this share of its scale's width for
#: positions and status quos, of the 0..1 scale for saliences, of its value for capabilities.
FLIP_STEP = 0.05
#: The near-flip check runs on scenarios of at most this many coded numbers (each costs two
#: evaluations of every model); beyond it the brief says it was not run.
FLIP_MOST = 2000
#: Rows of the near-flip check per call of a model, at most.
_ROWS = 1024


@dataclass(frozen=True)
class Flag:
    """A reason not to take a verdict at face value, and what to do about it."""

    kind: str
    message: str


@dataclass(frozen=True)
class Number:
    """One coded number of a scenario and where the near-flip check moves it."""

    key: str
    value: float
    down: float
    up: float


@dataclass(frozen=True)
class Flip:
    """A coded number whose move by :data:`FLIP_STEP` changes a model's biggest winner."""

    model: str
    key: str
    moved_to: float
    value: float
    was: str
    becomes: str


def _number(q: Quantity, key: str, kind: Kind, scale: tuple[float, float]) -> Number:
    v = q.value
    if kind in ("position", "status_quo"):
        step = FLIP_STEP * (scale[1] - scale[0])
        return Number(key, v, max(v - step, scale[0]), min(v + step, scale[1]))
    if kind == "salience":
        return Number(key, v, max(v - FLIP_STEP, 0.0), min(v + FLIP_STEP, 1.0))
    return Number(key, v, v * (1 - FLIP_STEP), v * (1 + FLIP_STEP))


def coded_numbers(scenario: Scenario) -> list[Number]:
    """Every number a model reads (status quos, capabilities, positions, saliences), with
    or without a range, and its ends for the near-flip check."""
    out = []
    for issue in scenario.issues:
        if issue.status_quo is not None:
            scale = (issue.scale.low, issue.scale.high)
            key = input_key("status_quo", None, issue.id)
            out.append(_number(issue.status_quo, key, "status_quo", scale))
    for actor in scenario.actors:
        key = input_key("capability", actor.id, None)
        out.append(_number(actor.capability, key, "capability", (0.0, 0.0)))
        for issue_id, stance in actor.stances.items():
            sc = scenario.issue(issue_id).scale
            kinds: tuple[tuple[Kind, Quantity | None], ...] = (
                ("position", stance.position),
                ("salience", stance.salience),
                ("capability", stance.capability),
            )
            for kind, q in kinds:
                if q is not None:
                    key = input_key(kind, actor.id, issue_id)
                    out.append(_number(q, key, kind, (sc.low, sc.high)))
    return out


def flips(
    scenario: Scenario, models: Sequence[Model], ranked: Sequence[str], seed: int
) -> list[Flip]:
    """Every coded number that, moved down or up by :data:`FLIP_STEP` with the others at
    their values, changes some model's biggest winner at the point forecast. The moved
    copies of the scenario run as the draws of one batch (row 0: every number at its
    value; row 1 + 2k: number k moved down; row 2 + 2k: moved up)."""
    numbers = coded_numbers(scenario)
    if not ranked or not numbers:
        return []
    values = np.array([n.value for n in numbers])
    ends = np.column_stack([[n.down for n in numbers], [n.up for n in numbers]]).ravel()
    size = 2 * len(numbers) + 1
    step = draws_per_block(len(scenario.actors), len(scenario.issues), _ROWS)
    winners: dict[str, list[np.ndarray]] = {m.name: [] for m in models}
    for start in range(0, size, step):
        rows = np.arange(start, min(start + step, size))
        x = np.repeat(values[None, :], len(rows), axis=0)
        moved = rows > 0
        x[np.flatnonzero(moved), (rows[moved] - 1) // 2] = ends[rows[moved] - 1]
        batch = draw_batch(scenario, {n.key: x[:, k] for k, n in enumerate(numbers)}, len(rows))
        for model in models:
            out = run_model(model, batch, seed=seed, block=start // step)
            gain = draw_gains(batch, out.forecasts, ranked)
            if gain is None:
                continue
            winners[model.name].append(biggest_winner(gain))
    found = []
    for name, parts in winners.items():
        if not parts:
            continue
        best = np.concatenate(parts)
        was = _who(ranked, int(best[0]))
        for row in np.flatnonzero(best != best[0]):
            k = (int(row) - 1) // 2
            found.append(
                Flip(
                    model=name,
                    key=numbers[k].key,
                    moved_to=float(ends[row - 1]),
                    value=numbers[k].value,
                    was=was,
                    becomes=_who(ranked, int(best[row])),
                )
            )
    return found


#: Who a flip names where no actor is the biggest winner (nobody gains, or a tie).
NOBODY = ""


def _who(ranked: Sequence[str], k: int) -> str:
    return NOBODY if k < 0 else ranked[k]


def _named(names: Mapping[str, str], actor: str) -> str:
    if actor == NOBODY:
        return "nobody the biggest winner (no gain, or a tie)"
    return f"{names[actor]} the biggest winner"


def flip_flag(found: Sequence[Flip], names: Mapping[str, str]) -> Flag | None:
    """One flag for every near flip, the first few spelt out per model."""
    if not found:
        return None
    by_model: dict[str, list[Flip]] = {}
    for f in found:
        by_model.setdefault(f.model, []).append(f)
    parts = []
    for model, items in by_model.items():
        shown = "; ".join(
            f"{f.key} {f.value:g} -> {f.moved_to:g} makes {_named(names, f.becomes)}"
            for f in items[:3]
        )
        # the numbers that flip and are not named above (a number may flip both ways)
        extra = len({f.key for f in items} - {f.key for f in items[:3]})
        more = f" (and {extra} more number{'s' * (extra != 1)})" if extra > 0 else ""
        was = names.get(items[0].was, "nobody the biggest winner")
        parts.append(f"under {model} ({was} at the coded values): {shown}{more}")
    return Flag(
        "near_flip",
        f"A move of {FLIP_STEP:.0%} (of the scale for positions, status quos and saliences, of "
        "the value for capabilities) in one coded number changes the biggest winner, "
        + "; ".join(parts)
        + ". Check these numbers' sources, give them ranges ({value, low, high}) and read the "
        "probabilities rather than the point forecast.",
    )
