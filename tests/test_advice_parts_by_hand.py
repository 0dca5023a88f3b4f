"""The parts of advise, by hand: goal values and gradients (``analysis/_goals.py``) on a
small batch built array by array, every figure worked in the docstrings (issue 22: mutants of
the advice parts that passed every test)."""

from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis._goals import Goal, goal_gradient, goal_values, margins, winner_labels
from statecraft.analysis._levers import LeverInput, Variant, parse_input, variant_forecasts
from statecraft.analysis._levers import leave_forecasts as levers_leave
from statecraft.analysis._robustness import (
    _mib,
    check_robustness,
    robustness,
    robustness_memory,
    smallest_memory,
)
from statecraft.analysis._robustness import (
    leave_forecasts as robustness_leave,
)
from statecraft.analysis.draws import draw_block, uncertain_inputs
from statecraft.analysis.kernel import model_generator
from statecraft.analysis.winners import TIE
from statecraft.arrays import Batch, draw_batch, scenario_batch
from statecraft.errors import MemoryLimitError
from statecraft.models import Compromise, Model, get_model
from statecraft.models.base import Output

NAN = float("nan")


def _batch(
    position: list[list[float]],
    salience: list[list[list[float]]],
    status_quo: list[float],
    high: list[float],
    draws: int = 2,
) -> Batch:
    """A batch of ``draws`` draws (positions the same in each, saliences per draw), every
    capability 1, scales from 0 to ``high``."""
    x = np.tile(np.array(position, dtype=float), (draws, 1, 1))
    s = np.array(salience, dtype=float)
    present = ~np.isnan(x[0])  # actors x issues, as the Batch holds it (no draws axis)
    n_issues = x.shape[2]
    return Batch(
        actor_ids=tuple(f"a{k}" for k in range(x.shape[1])),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        capability=np.tile(present.astype(float), (draws, 1, 1)),
        position=x,
        salience=s,
        power=np.ones(x.shape[:2]),
        present=present,
        status_quo=np.tile(np.array(status_quo, dtype=float), (draws, 1)),
        low=np.zeros(n_issues),
        high=np.array(high, dtype=float),
        actual=np.full(n_issues, NAN),
    )


# Issues x, y, z, w, v: status quos 50, 20, none, 10, 30; scales 0..100 but z 0..200.
# A stands at 80, 40, 150, sits w out, 70; saliences 0.3, 0.1, 0.2, 0, 0.4 in draw 0 and
# 0.6, 0.2, 0.2, 0, 0.4 in draw 1. B stands at 20, 0, 100, 50, 0, salient only on z.
GAIN_BATCH = _batch(
    [[80, 40, 150, NAN, 70], [20, 0, 100, 50, 0]],
    [
        [[0.3, 0.1, 0.2, 0, 0.4], [0, 0, 0.5, 0, 0]],
        [[0.6, 0.2, 0.2, 0, 0.4], [0, 0, 0.5, 0, 0]],
    ],
    [50, 20, NAN, 10, 30],
    [100, 100, 200, 100, 100],
)
# Forecasts per draw (x, y, z, w, v): z and v have none (NaN, as for an issue no one weighs).
FORECASTS = np.array([[60, 35, NAN, 40, NAN], [90, 40, NAN, 40, NAN]], dtype=float)


def test_a_gain_goal_weighs_only_its_issues_with_a_status_quo() -> None:
    """A's gain over x, y, z, w: z has no status quo, A sits w out (salience 0) and v is not
    the goal's, so the weights are x and y's, per draw: 0.3 / 0.4 = 0.75 and 0.25 in draw 0,
    0.6 / 0.8 = 0.75 and 0.25 in draw 1.

    - draw 0, x at 60: (|50 - 80| - |60 - 80|) / 100 = 0.1; y at 35: (20 - 5) / 100 = 0.15;
      0.75 x 0.1 + 0.25 x 0.15 = 0.1125;
    - draw 1, x at 90: (30 - 10) / 100 = 0.2; y at 40 (A's own): (20 - 0) / 100 = 0.2; 0.2.

    d goal / d forecast = -weight x sign(o - x_A) / 100: draw 0, x 60 < 80: +0.0075, y 35 < 40:
    +0.0025; draw 1, x 90 > 80: -0.0075, y on A's position: 0 (the one-sided derivative);
    0 on z, w and v (no weight), even where their forecast is NaN."""
    goal = Goal("a0", 0, (0, 1, 2, 3))
    np.testing.assert_allclose(goal_values(goal, FORECASTS, GAIN_BATCH), [0.1125, 0.2])
    expected = np.zeros((2, 5))
    expected[0, :2] = [0.0075, 0.0025]
    expected[1, :2] = [-0.0075, 0.0]
    np.testing.assert_allclose(goal_gradient(goal, FORECASTS, GAIN_BATCH), expected, atol=1e-15)


def test_a_gain_goal_without_weight_is_zero_without_warning() -> None:
    """B has no salience on x or y: its gain there has no weights (their sum is 0), so it is 0
    whatever the forecasts (not (|50 - 20| - |60 - 20|) / 100 = -0.1 as an unweighted x
    would give), its gradient 0 everywhere, and 0 / 0 raises no warning (warnings are errors
    in the tests)."""
    goal = Goal("a1", 1, (0, 1))
    np.testing.assert_allclose(goal_values(goal, FORECASTS, GAIN_BATCH), [0.0, 0.0])
    np.testing.assert_allclose(
        goal_gradient(goal, FORECASTS, GAIN_BATCH), np.zeros((2, 5)), atol=1e-15
    )


def test_a_target_goal_is_minus_the_mean_distance_to_its_targets() -> None:
    """Targets x = 70 and y = 10 (widths 100), on two variants of the two draws:

    - variant 0, draw 0 (60, 35): -(10 + 25) / 100 / 2 = -0.175; draw 1 (90, 40):
      -(20 + 30) / 100 / 2 = -0.25;
    - variant 1, draw 0 (70, 10): 0 (both met); draw 1 (50, 30): -(20 + 20) / 100 / 2 = -0.2.

    The gradient at variant 0: -sign(o - t) / 100 / 2: x 60 < 70: +0.005, 90 > 70: -0.005;
    y 35 and 40 > 10: -0.005 in both draws; 0 elsewhere."""
    goal = Goal("a0", 0, (0, 1), {0: 70.0, 1: 10.0})
    other = np.array([[70, 10, NAN, 40, NAN], [50, 30, NAN, 40, NAN]], dtype=float)
    both = np.stack([FORECASTS, other])
    np.testing.assert_allclose(
        goal_values(goal, both, GAIN_BATCH), [[-0.175, -0.25], [0.0, -0.2]], atol=1e-15
    )
    expected = np.zeros((2, 5))
    expected[:, 0] = [0.005, -0.005]
    expected[:, 1] = [-0.005, -0.005]
    np.testing.assert_allclose(goal_gradient(goal, FORECASTS, GAIN_BATCH), expected, atol=1e-15)


# One issue, status quo 50 on 0..100; A at 80, B at 30, C at 60, equally salient. With one
# issue an actor's gain is (|50 - x| - |o - x|) / 100: A (30 - |o - 80|) / 100,
# B (20 - |o - 30|) / 100, C (10 - |o - 60|) / 100.
ONE = _batch([[80], [30], [60]], [[[1], [1], [1]]] * 2, [50], [100])
# Three variants of the two draws: forecasts 70, 40 | 40, 90 | 60, 70.
OUTCOMES = np.array([[[70], [40]], [[40], [90]], [[60], [70]]], dtype=float)


def test_the_margin_is_the_winners_lead_over_the_best_other() -> None:
    """Gains (A, B, C) at 70: (0.2, -0.2, 0); at 40: (-0.1, 0.1, -0.1); at 90: (0.2, -0.4,
    -0.2); at 60: (0.1, -0.1, 0.1). A's lead is its gain less the best other's (or TIE, 1e-12,
    if that is higher): 70: 0.2 - TIE; 40: -0.1 - 0.1 = -0.2; 90: 0.2 - TIE; 60: 0.1 - 0.1 = 0.
    Alone (rows [A]) its lead is its gain less TIE. The biggest winner: A at 70 and 90, B at
    40, none at 60 (A and C tie); with no one ranked, none anywhere."""
    lead = margins(OUTCOMES, ONE, [0, 1, 2], 0)
    np.testing.assert_allclose(lead, [[0.2 - TIE, -0.2], [-0.2, 0.2 - TIE], [0.0, 0.2 - TIE]])
    alone = margins(OUTCOMES, ONE, [0], 0)
    np.testing.assert_allclose(
        alone, [[0.2 - TIE, -0.1 - TIE], [-0.1 - TIE, 0.2 - TIE], [0.1 - TIE, 0.2 - TIE]]
    )
    labels = winner_labels(OUTCOMES, ONE, [0, 1, 2])
    np.testing.assert_array_equal(labels, [[0, 1], [1, 0], [-1, 0]])
    np.testing.assert_array_equal(winner_labels(OUTCOMES, ONE, []), np.full((3, 2), -1))


class _Sized:
    """A stand-in model whose memory figures are simple to follow: one run holds
    1000 A + 100 I bytes, one draw ``per_draw`` bytes."""

    def __init__(self, links_issues: bool, per_draw: int = 21) -> None:
        self.links_issues = links_issues
        self.per_draw = per_draw

    def run_memory(self, n_actors: int, n_issues: int) -> int:
        return 1000 * n_actors + 100 * n_issues

    def memory_per_draw(self, n_actors: int, n_issues: int) -> int:
        return self.per_draw


class _Lever:
    def __init__(self, *columns: int) -> None:
        self.columns = columns


SIZE = SimpleNamespace(n_actors=2, n_issues=3)
LEVERS = [_Lever(0), _Lever(0, 1)]


@pytest.mark.parametrize(
    ("links", "draws", "per_draw", "expected"),
    [
        # One-issue model, A = 2, I = 3, V = 4 (two levers at both ends), L = 1: V_run = 4
        # (both levers touch issue 0), I_run = 1; E = 4 x 8 x (3 x 2 + 2 + 1) = 288;
        # input_bytes(2, 3) = 8 (7 x 6 + 2 x 5) = 416; per draw 416 + 8 x 3 x 6 +
        # max(4 x 8 x 3 x 4 = 384, 288) = 944; R = 1000 x 2 + 100 = 2100;
        # p = 21 + input_bytes(2, 1) = 21 + 8 (14 + 6) = 181.
        # 10 draws: H = 9440, T = 40, Tp = 7240: whole max(18780, 18680) = 18780 below
        # chunks 2 (9440 + 2100 + 181) = 23442.
        (False, 10, 21, 18780),
        # 1 draw: H = 944, Tp = 724: whole max(3768, 2 x 2824 = 5648) = 5648 < 6450.
        (False, 1, 21, 5648),
        # p = 5000 + 160 = 5160, 10 draws: Tp = 206400, whole max(217940, 417000) = 417000;
        # chunks 2 (9440 + 2100 + 5160) = 33400, the smaller.
        (False, 10, 5000, 33400),
        # Linked: V_run = 4, I_run = 3: E = 32 x (18 + 2 + 3) = 736 > 384, per draw
        # 416 + 144 + 736 = 1296; R = 2300, p = 21 + 416 = 437; 1 draw, T = 4: whole
        # max(1296 + 2300 + 1748 = 5344, 2 x 4048 = 8096) = 8096 > chunks 2 x 4033 = 8066.
        (True, 1, 21, 8066),
    ],
)
def test_the_smallest_budget_for_robustness_by_hand(
    links: bool, draws: int, per_draw: int, expected: int
) -> None:
    """:func:`smallest_memory` = min(max(H + R + T p, 2 (R + T p)), 2 (H + R + p)), worked
    per case in the comments above."""
    model: Any = _Sized(links, per_draw)
    assert smallest_memory(model, cast(Any, SIZE), cast(Any, LEVERS), 1, draws) == expected


def test_a_robustness_without_levers_holds_only_its_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No levers: V = 0, no run of the model; per draw input_bytes(2, 3) = 416 plus the
    forecasts of the leaver and the draws, 8 x 3 x (0 + 1 + 1) = 48: 464, so 4640 bytes for 10
    draws. A budget of exactly 4640 bytes (given, or set in STATECRAFT_MEMORY) holds it; one
    byte less is refused, naming the variable to set."""
    model: Any = _Sized(False)
    size: Any = SIZE
    assert robustness_memory(model, size, [], 1, 10) == 4640
    monkeypatch.setenv("STATECRAFT_MEMORY", "4640")
    check_robustness(model, size, [], 1, 10, 4640)
    with pytest.raises(MemoryLimitError, match=r"more than the memory budget of 0 MiB"):
        check_robustness(model, size, [], 1, 10, 4639)
    monkeypatch.setenv("STATECRAFT_MEMORY", "4639")
    with pytest.raises(
        MemoryLimitError, match=r"\(give fewer --draws, or set STATECRAFT_MEMORY\)$"
    ):
        check_robustness(model, size, [], 1, 10, None)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (2**30, "1.0 GiB"),  # exactly 1 GiB is shown in GiB
        (3 * 2**29, "1.5 GiB"),  # 1.5 x 2^30
        (2**30 - 2**20, "1,023 MiB"),  # just below: (2^30 - 2^20) / 2^20 = 1023
        (5 * 2**20, "5 MiB"),
    ],
)
def test_sizes_are_shown_in_mib_below_a_gib(n: int, text: str) -> None:
    assert _mib(n) == text


def _pair() -> sc.Scenario:
    """Issues x and y; a takes part in x only, b in both with a capability of its own on each
    (so b's overall capability sets none)."""
    stance = {"position": 50, "salience": 1}
    return sc.Scenario.model_validate(
        {
            "name": "pair",
            "issues": [
                {"id": i, "label": i.upper(), "scale": {"low": 0, "high": 100}, "status_quo": 50}
                for i in ("x", "y")
            ],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": stance}},
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {"x": {**stance, "capability": 2}, "y": {**stance, "capability": 3}},
                },
            ],
        }
    )


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "a:x",
            "an input is ACTOR:ISSUE:FIELD (FIELD one of position, salience, capability) or "
            "ACTOR:capability, not 'a:x'",
        ),
        ("z:x:position", "no actor 'z' in pair; the actors are: a, b"),
        ("a:w:position", "no issue 'w' in pair; the issues are: x, y"),
        ("a:x:power", "the field of 'a:x:power' must be one of position, salience, capability"),
        ("a:y:position", "a takes no part in the issue 'y'"),
        ("b:capability", "b's overall capability sets its capability on no issue"),
    ],
)
def test_an_input_that_is_no_lever_says_what_is_allowed(key: str, message: str) -> None:
    """Each refusal of :func:`parse_input`, its whole text (the lists joined by ", ")."""
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_input(_pair(), key)


def test_no_variants_give_no_forecasts_and_a_linked_model_has_no_fast_leavers() -> None:
    """No variants: an empty (0, draws, issues) array, here (0, 1, 2). The batched leavers are
    for one-issue models only: a linked one (the spatial model) is refused by name."""
    batch = scenario_batch(_pair())
    assert variant_forecasts(Compromise(), batch, []).shape == (0, 1, 2)
    with pytest.raises(ValueError, match=r"^leave_forecasts is for one-issue models$"):
        levers_leave(get_model("spatial"), batch, [0])


def trio(a_salience: Any = 0.5, c_salience: float = 0.125, **more: Any) -> sc.Scenario:
    """a at 100 (salience ``a_salience``: a number, or a ``{value, low, high}``), b at 0
    (0.25) and c at 50 (``c_salience``), each capability 1, all on x, status quo 50;
    ``more``: other fields of the scenario (``perturb``)."""
    saliences = {"a": a_salience, "b": 0.25, "c": c_salience}
    return sc.Scenario.model_validate(
        {
            "name": "trio",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {
                    "id": i,
                    "capability": 1,
                    "stances": {"x": {"position": p, "salience": saliences[i]}},
                }
                for i, p in (("a", 100), ("b", 0), ("c", 50))
            ],
            **more,
        }
    )


class _Dice(Model):
    """A stand-in stochastic one-issue model whose forecast is simple to follow: on each
    draw and issue, the sum of the saliences of the actors taking part plus ``u``, the
    first number its generator gives (one number per run, so every run seeded alike adds
    the same ``u``, and a run seeded otherwise adds another)."""

    name = "dice-stand-in"
    title = "dice"
    citation = "none: a test stand-in"
    stochastic = True

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        u = rng.random()
        return Output(forecasts=np.nansum(batch.salience, axis=1) + u)


class _LinkedDice(_Dice):
    links_issues = True


def _u(seed: int) -> float:
    """The first number of the stand-in's generator for ``seed`` (block 0)."""
    return float(model_generator(seed, 0, _Dice()).random())


# Actors a0, a1, a2 on issues i0, i1; a2 sits i1 out. Saliences per draw (draw 0; draw 1):
# a0 0.5, 0.25; 1, 1.  a1 0.25, 0.5; 0.5, 0.5.  a2 0.125, -; 0.25, -.
DICE = _batch(
    [[10, 20], [30, 40], [50, NAN]],
    [
        [[0.5, 0.25], [0.25, 0.5], [0.125, 0]],
        [[1, 1], [0.5, 0.5], [0.25, 0]],
    ],
    [0, 0],
    [100, 100],
)
# Salience sums per draw and issue: draw 0: i0 0.5 + 0.25 + 0.125 = 0.875, i1 0.25 + 0.5 =
# 0.75; draw 1: i0 1 + 0.5 + 0.25 = 1.75, i1 1 + 0.5 = 1.5.
DICE_SUMS = np.array([[0.875, 0.75], [1.75, 1.5]])
# a0's salience on i0 set to 0: i0 becomes 0.25 + 0.125 = 0.375 (draw 0), 0.5 + 0.25 = 0.75.
A0_QUIET = LeverInput(
    key="a0:i0:salience",
    kind="salience",
    actor="a0",
    issue="i0",
    a=0,
    columns=(0,),
    value=0.5,
    low=0.0,
    high=1.0,
    bounds=(0.0, 1.0),
    ranged=False,
)
QUIET_SUMS = np.array([[0.375, 0.75], [0.75, 1.5]])


@pytest.mark.parametrize("model", [_Dice(), _LinkedDice()], ids=["one-issue", "linked"])
def test_variant_forecasts_pass_their_seed_to_every_run(model: Model) -> None:
    """Every run, the batch's own and each variant's (per issue for a one-issue model, at
    once for a linked one), is seeded with ``seed`` (0 when not given): each forecast is its
    salience sum plus u(seed), never u of another seed."""
    assert _u(0) != _u(7)  # else the test could not tell the seeds apart
    variants: list[Variant] = [(), ((A0_QUIET, 0.0),)]
    expected = np.stack([DICE_SUMS, QUIET_SUMS])
    for seed in (0, 7):
        got = variant_forecasts(model, DICE, variants, seed=seed)
        np.testing.assert_allclose(got, expected + _u(seed), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        variant_forecasts(model, DICE, variants), expected + _u(0), rtol=0, atol=1e-12
    )


def test_leave_forecasts_pass_their_seed_to_every_run() -> None:
    """Without a0 (row 0): i0 0.25 + 0.125 = 0.375 (draw 0), 0.5 + 0.25 = 0.75; i1 0.5
    alone, 0.5. Without a2 (row 2): i0 0.75, 1.5; i1 unchanged (a2 sits it out: the
    base's 0.75, 1.5). Each plus u(seed), the base included when it is worked out here.
    (Advise sends a stochastic model's leavers through a run per leaver instead,
    ``_robustness.leave_forecasts``; these batched ones must still pass their seed on.)"""
    expected = np.array([[[0.375, 0.5], [0.75, 0.5]], [[0.75, 0.75], [1.5, 1.5]]])
    for seed in (0, 7):
        got = levers_leave(_Dice(), DICE, [0, 2], seed=seed)
        np.testing.assert_allclose(got, expected + _u(seed), rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        levers_leave(_Dice(), DICE, [0, 2]), expected + _u(0), rtol=0, atol=1e-12
    )


def test_a_linked_models_leaver_keeps_the_draws_of_those_who_stay() -> None:
    """A linked model's leaver is a run of the scenario without it, on the draws of the
    inputs that scenario still has. a, b, c on x (saliences 0.5, 0.25, 0.125, every number
    ranged by perturb); two draws of a's salience (0.4, 0.6) and b's (0.2, 0.3). The linked
    stand-in forecasts the salience sum + u(7) (seed 7). Without a: b's draws + c's 0.125 =
    0.325, 0.425; without c: a's + b's draws = 0.6, 0.9. No leavers: an empty (0, 2, 1)."""
    scenario = trio(perturb={"relative": 0.1})
    draws = {"a:x:salience": np.array([0.4, 0.6]), "b:x:salience": np.array([0.2, 0.3])}
    batch = draw_batch(scenario, draws, 2)
    base = np.zeros((2, 1))  # a linked model's leavers do not read it
    got = robustness_leave(_LinkedDice(), scenario, ["a", "c"], batch, draws, base, 7)
    expected = np.array([[[0.325], [0.425]], [[0.6], [0.9]]]) + _u(7)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    none = robustness_leave(_LinkedDice(), scenario, [], batch, draws, base, 7)
    assert none.shape == (0, 2, 1)


@pytest.mark.parametrize("model", [_Dice(), _LinkedDice()], ids=["one-issue", "linked"])
def test_robustness_seeds_every_run_alike(model: Model) -> None:
    """a (salience 0.5), b (0.25), c (0) on x; no uncertain input, 3 draws, seed 7; goal:
    a's target 100 on x, so the goal is -(100 - forecast), rising with the forecast (salience
    sum + u(7) < 100). Lever 0, a's salience 0.25 -> 0.75 (swing +1): sums 0.5 -> 1.0, the
    goal +0.5 in every draw: robustness 1. Lever 1 (swing 0): no direction, None. c leaving
    (salience 0) changes nothing: the goal's change is exactly 0 when the leaver's run and
    the base are seeded alike, matching neither +1 nor -1: 0 and 0 (a run seeded otherwise
    adds another u, and one of the two would be 1)."""
    scenario = trio(c_salience=0)
    lever = replace(A0_QUIET, key="a:x:salience", actor="a", issue="x", low=0.25, high=0.75)
    got = robustness(
        model,
        scenario,
        Goal("a", 0, (0,), {0: 100.0}),
        [lever, lever],
        np.array([1.0, 0.0]),
        [("c", 1.0), ("c", -1.0)],
        [],
        3,
        7,
    )
    assert got == [1.0, None, 0.0, 0.0]


def test_robustness_reads_the_first_block_of_its_seeds_draws() -> None:
    """a (salience 0.5), b (salience 0.25, drawn uniform on 0..0.5); the lever moves a's
    salience 0.25 -> 0.75 (swing +1); the goal, a's target T = 0.9 + u(7) on x (the stand-in
    forecasts the salience sum + u(7)). With b's draw s: low end f - T = s - 0.65 < 0, high
    end s - 0.15; the goal's change |s - 0.65| - |s - 0.15| is 0.5 for s <= 0.15 and
    0.8 - 2 s above, so > 0 exactly when s < 0.4. Robustness: the share of b's draws below
    0.4 in block 0 of seed 7, the draws ``draw_block`` gives (the analytic share is 0.8)."""
    scenario = sc.Scenario.model_validate(
        {
            "name": "duo",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": {"position": 100, "salience": 0.5}}},
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {
                        "x": {
                            "position": 0,
                            "salience": {"value": 0.25, "low": 0, "high": 0.5, "dist": "uniform"},
                        }
                    },
                },
            ],
        }
    )
    unc = uncertain_inputs(scenario, actual=False)
    assert [i.key for i in unc] == ["b:x:salience"]
    share = float(np.mean(draw_block(scenario, unc, 7, 0, 200)["b:x:salience"] < 0.4))
    assert abs(share - 0.8) < 0.1  # 200 uniform draws: the binomial sd is 0.028
    lever = replace(A0_QUIET, key="a:x:salience", actor="a", issue="x", low=0.25, high=0.75)
    goal = Goal("a", 0, (0,), {0: 0.9 + _u(7)})
    got = robustness(_Dice(), scenario, goal, [lever], np.array([1.0]), [], unc, 200, 7)
    assert got == [pytest.approx(share, abs=1e-12)]
