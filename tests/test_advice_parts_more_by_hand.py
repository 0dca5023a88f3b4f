"""More of the advice's parts by hand (issue 22): how ``analysis/_levers.py`` builds the
batches it runs, the variants' draws (variant-major) and the fields of a batch cut down to
one issue, read through stand-in models whose forecast adds up fields of their batch."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis._closed import compromise_derivative
from statecraft.analysis._goals import margins, winner_labels
from statecraft.analysis._levers import LeverInput, Variant, lever_inputs, variant_forecasts
from statecraft.analysis._levers import leave_forecasts as levers_leave
from statecraft.analysis._robustness import leave_forecasts as robustness_leave
from statecraft.analysis.kernel import model_generator
from statecraft.analysis.winners import TIE
from statecraft.arrays import Batch, draw_batch
from statecraft.models import Model
from statecraft.models.base import Output
from tests.test_advice_parts_by_hand import A0_QUIET, trio  # A0_QUIET: a0's salience on i0


class _Fields(Model):
    """A stand-in one-issue model: on each draw and issue, the status quo + the number of
    actors taking part + the scale's width + the sum of the capabilities there."""

    name = "fields-stand-in"
    title = "fields"
    citation = "none: a test stand-in"

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        f = (
            batch.status_quo
            + batch.present.sum(axis=0)
            + (batch.high - batch.low)
            + batch.capability.sum(axis=1)
        )
        return Output(forecasts=f)


class _LinkedFields(_Fields):
    """The same, linking the issues, plus the sum of the actors' overall powers per draw."""

    links_issues = True

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        f = super().evaluate(batch, rng).forecasts + batch.power.sum(axis=1)[:, None]
        return Output(forecasts=f)


# Two draws; a0 on i0 and i1, a1 on i0 only; status quos 10, 20 (draw 0) and 30, 40 (draw
# 1); scales 0..100 and 0..200; every capability 1 where present; powers 1, 2 and 3, 4.
BATCH = Batch(
    actor_ids=("a0", "a1"),
    issue_ids=("i0", "i1"),
    capability=np.array([[[1.0, 1.0], [1.0, 0.0]]] * 2),
    position=np.array([[[10.0, 20.0], [30.0, np.nan]]] * 2),
    salience=np.array([[[0.5, 0.5], [0.5, 0.0]]] * 2),
    power=np.array([[1.0, 2.0], [3.0, 4.0]]),
    present=np.array([[True, True], [True, False]]),
    status_quo=np.array([[10.0, 20.0], [30.0, 40.0]]),
    low=np.array([0.0, 0.0]),
    high=np.array([100.0, 200.0]),
    actual=np.array([np.nan, np.nan]),
)


def _power(a: int, columns: tuple[int, ...]) -> LeverInput:
    return LeverInput(
        key=f"a{a}:capability",
        kind="power",
        actor=f"a{a}",
        issue=None,
        a=a,
        columns=columns,
        value=1.0,
        low=0.0,
        high=10.0,
        bounds=(0.0, float("inf")),
        ranged=False,
    )


# v1: a1's power 5 (its capability on i0, its only issue, too); v2: a0's power 7 (on i0, i1).
VARIANTS: list[Variant] = [(), ((_power(1, (0,)), 5.0),), ((_power(0, (0, 1)), 7.0),)]
# One-issue forecasts, status quo + taking part + width + capabilities:
#   as coded: i0 10 + 2 + 100 + 2 = 114 (draw 0), 30 + 2 + 100 + 2 = 134 (draw 1);
#             i1 20 + 1 + 200 + 1 = 222, 40 + 1 + 200 + 1 = 242;
#   v1:       i0 capabilities 1 + 5: 118, 138; i1 as coded, 222, 242;
#   v2:       i0 capabilities 7 + 1: 120, 140; i1 capability 7: 228, 248.
ONE_ISSUE = np.array(
    [[[114, 222], [134, 242]], [[118, 222], [138, 242]], [[120, 228], [140, 248]]], dtype=float
)
# The linked stand-in adds the powers' sum per draw: as coded 1 + 2 = 3, 3 + 4 = 7; v1
# 1 + 5 = 6, 3 + 5 = 8; v2 7 + 2 = 9, 7 + 4 = 11.
POWERS = np.array([[3, 7], [6, 8], [9, 11]], dtype=float)[..., None]


@pytest.mark.parametrize(
    ("model", "expected"),
    [(_Fields(), ONE_ISSUE), (_LinkedFields(), ONE_ISSUE + POWERS)],
    ids=["one-issue", "linked"],
)
def test_each_variant_runs_on_its_own_draws_and_issues(model: Model, expected: np.ndarray) -> None:
    """Each variant's rows of an expanded batch hold the batch's draws in order (status quo
    and power per draw), and a one-issue run's batch holds that issue's presence, scale and
    status quo only (i0's run has two variants, v1 and v2; i1's, v2 alone)."""
    got = variant_forecasts(model, replace(BATCH), VARIANTS)
    np.testing.assert_array_equal(got, expected)


# i0: a0 alone (capability 1); i1: a0 (capability 2) and a1 (capability 5); status quos,
# scales and draws as BATCH's.
ALONE = replace(
    BATCH,
    capability=np.array([[[1.0, 2.0], [0.0, 5.0]]] * 2),
    position=np.array([[[10.0, 20.0], [np.nan, 30.0]]] * 2),
    salience=np.array([[[0.5, 0.5], [0.0, 0.5]]] * 2),
    present=np.array([[True, True], [False, True]]),
)


def test_a_leaver_is_run_only_where_others_stay() -> None:
    """``_Fields`` (status quo + taking part + width + capabilities). As coded: i0 10 + 1 +
    100 + 1 = 112 (draw 0), 132 (draw 1); i1 20 + 2 + 200 + 7 = 229, 249. a0 leaving: i0
    keeps 112, 132 (no one would stay: not run); i1 with a1 alone 20 + 1 + 200 + 5 = 226,
    246. a1 leaving: i0 keeps 112, 132 (a1 is not on it); i1 with a0 alone 223, 243."""
    got = levers_leave(_Fields(), ALONE, [0, 1])
    expected = [[[112, 226], [132, 246]], [[112, 223], [132, 243]]]
    np.testing.assert_array_equal(got, np.array(expected, dtype=float))


def test_lever_inputs_on_chosen_issues_by_hand() -> None:
    """a (capability 2) sits x out and takes part in y with its own capability 4; b
    (capability 3) is on x and y without one. In scenario order: a has no overall lever
    (its only stance sets its own capability), then a's y numbers (position 10, salience
    0.5, capability 4: the stance's, not the overall 2); b's overall capability 3 on the
    issues where it sets none (x, y: columns 0, 1; default range 3/2 to 3 x 2), then b's x
    and y numbers. Asked for y alone: the same less b's x numbers, b's overall lever on y
    (column 1) only."""
    s = sc.Scenario.model_validate(
        {
            "name": "two issues",
            "issues": [{"id": "x", "label": "X"}, {"id": "y", "label": "Y"}],
            "actors": [
                {
                    "id": "a",
                    "capability": 2,
                    "stances": {"y": {"position": 10, "salience": 0.5, "capability": 4}},
                },
                {
                    "id": "b",
                    "capability": 3,
                    "stances": {
                        "x": {"position": 60, "salience": 0.25},
                        "y": {"position": 70, "salience": 0.75},
                    },
                },
            ],
        }
    )

    def rows(issues: list[str] | None) -> list[tuple[object, ...]]:
        return [
            (i.key, i.kind, i.actor, i.issue, i.a, i.columns, i.value, i.low, i.high)
            for i in lever_inputs(s, issues=issues)
        ]

    a_y = [
        ("a:y:position", "position", "a", "y", 0, (1,), 10.0, 0.0, 100.0),
        ("a:y:salience", "salience", "a", "y", 0, (1,), 0.5, 0.0, 1.0),
        ("a:y:capability", "capability", "a", "y", 0, (1,), 4.0, 2.0, 8.0),
    ]
    b_x = [
        ("b:x:position", "position", "b", "x", 1, (0,), 60.0, 0.0, 100.0),
        ("b:x:salience", "salience", "b", "x", 1, (0,), 0.25, 0.0, 1.0),
        ("b:x:capability", "capability", "b", "x", 1, (0,), 3.0, 1.5, 6.0),
    ]
    b_y = [
        ("b:y:position", "position", "b", "y", 1, (1,), 70.0, 0.0, 100.0),
        ("b:y:salience", "salience", "b", "y", 1, (1,), 0.75, 0.0, 1.0),
        ("b:y:capability", "capability", "b", "y", 1, (1,), 3.0, 1.5, 6.0),
    ]
    b_all = ("b:capability", "power", "b", None, 1, (0, 1), 3.0, 1.5, 6.0)
    assert rows(None) == [*a_y, b_all, *b_x, *b_y]
    assert rows(["y"]) == [*a_y, (*b_all[:5], (1,), *b_all[6:]), *b_y]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("position", 0.5), ("salience", -10.0), ("capability", -5.0)],
)
def test_the_compromise_derivative_is_nan_without_warning_where_no_weight(
    kind: str, expected: float
) -> None:
    """One draw; i0: a0 at 10 and a1 at 30, capabilities 1, saliences 0.5 (W = 1, forecast
    20); i1: the same actors with salience 0 (W = 0). a0's input on both issues: on i0 the
    derivative w / W = 0.5 (position), c (x - 20) / W = -10 (salience), s (x - 20) / W = -5
    (capability); on i1 0/0 and 0 x NaN / 0: NaN, with no RuntimeWarning (numpy's 0/0 is an
    "invalid" operation, which the function silences)."""
    batch = replace(
        BATCH,
        capability=np.ones((1, 2, 2)),
        position=np.array([[[10.0, 10.0], [30.0, 30.0]]]),
        salience=np.array([[[0.5, 0.0], [0.5, 0.0]]]),
        power=np.ones((1, 2)),
        present=np.ones((2, 2), dtype=bool),
        status_quo=np.array([[np.nan, np.nan]]),
    )
    item = replace(_power(0, (0, 1)), kind=kind)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = compromise_derivative(batch, item)
    np.testing.assert_array_equal(got, [[expected, np.nan]])


# Three actors on two issues, scales 0..100, status quos 50 and 50, every salience 0.5 in
# both draws: a0 stands at 90, 10; a1 at 10, 90; a2 at 60, 60.
_THREE = Batch(
    actor_ids=("a0", "a1", "a2"),
    issue_ids=("i0", "i1"),
    capability=np.ones((2, 3, 2)),
    position=np.tile(np.array([[90.0, 10.0], [10.0, 90.0], [60.0, 60.0]]), (2, 1, 1)),
    salience=np.full((2, 3, 2), 0.5),
    power=np.ones((2, 3)),
    present=np.ones((3, 2), dtype=bool),
    status_quo=np.full((2, 2), 50.0),
    low=np.zeros(2),
    high=np.full(2, 100.0),
    actual=np.full(2, np.nan),
)


def test_an_issue_without_a_forecast_counts_for_no_ones_gain() -> None:
    """Where the model gives no forecast of an issue (NaN: not applicable there, or no run
    in that draw), the winner is ranked on the other issues, as ``winners`` leaves an issue
    without an outcome out; with no forecast at all, nobody wins. Gains are
    (|q - x| - |o - x|) / 100 per issue, averaged over the issues counted (equal saliences).

    Variant 0, draw 0, outcome (70, 30): a0 (40 - 20 + 40 - 20) / 2 / 100 = 0.2;
    a1 (40 - 60 + 40 - 60) / 200 = -0.2; a2 (10 - 10 + 10 - 30) / 200 = -0.1: a0 wins.
    Variant 0, draw 1, outcome (70, none): i0 alone: a0 0.2, a1 -0.2, a2 0: a0 wins.
    Variant 1, draw 0, outcome (40, none): a0 (40 - 50) / 100 = -0.1, a1 (40 - 30) / 100 =
    0.1, a2 (10 - 20) / 100 = -0.1: a1 wins. (Read as an outcome of 0 on i1, as the code
    once did: a0 (-0.1 + 0.3) / 2 = 0.1, a1 (0.1 - 0.5) / 2 = -0.2, a2 (-0.1 - 0.5) / 2 =
    -0.3: a0 would have won.) Variant 1, draw 1, no forecast: every gain 0, no winner.
    a0's lead over the best other (or TIE if that is higher): 0.2 - TIE, 0.2 - TIE,
    -0.1 - 0.1 = -0.2, 0 - TIE."""
    f = np.array([[[70.0, 30.0], [70.0, np.nan]], [[40.0, np.nan], [np.nan, np.nan]]])
    np.testing.assert_array_equal(winner_labels(f, _THREE, [0, 1, 2]), [[0, 0], [1, -1]])
    np.testing.assert_allclose(
        margins(f, _THREE, [0, 1, 2], 0), [[0.2 - TIE, 0.2 - TIE], [-0.2, -TIE]], rtol=1e-12
    )


def test_a_sweep_names_no_winner_where_the_model_gives_no_forecast() -> None:
    """The spatial model gives no forecast when an actor cares about no issue: with a's
    only salience swept to 0, that point has no forecast and so no biggest winner (it was
    once named b, the actor nearest to an outcome of 0 on both issues)."""
    scenario = sc.Scenario.model_validate(
        {
            "name": "no forecast",
            "issues": [
                {"id": i, "label": i, "scale": {"low": 0, "high": 100}, "status_quo": 50}
                for i in ("x", "y")
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 90, "salience": 0.5},
                        "y": {"position": 70, "salience": 0.0},
                    },
                },
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 10, "salience": 0.5},
                        "y": {"position": 20, "salience": 0.5},
                    },
                },
                {
                    "id": "c",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 60, "salience": 0.5},
                        "y": {"position": 80, "salience": 0.5},
                    },
                },
            ],
        }
    )
    swept = sc.sweep(scenario, "a:x:salience", 0.0, 0.5, 2, model="spatial")
    first = swept.to_dict()["points"][0]
    assert first["value"] == 0.0
    assert first["forecasts"] == {"x": None, "y": None}
    assert first["winner"] is None


class _Recorder(Model):
    """A stand-in one-issue model that keeps every batch it is given and forecasts 0."""

    name = "recorder-stand-in"
    title = "recorder"
    citation = "none: a test stand-in"

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Batch] = []

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        self.seen.append(batch)
        return Output(forecasts=np.zeros((batch.size, len(batch.issue_ids))))


def test_a_leavers_batch_is_a_batch_of_those_who_stay() -> None:
    """The batch a one-issue model gets for the leavers of an issue keeps the Batch contract
    for the k - 1 actors who stay (a model of one power per actor, or one that picks its
    actors with ``present`` as a mask, reads it so): one name per row, ``present`` booleans
    (k - 1, 1), ``power`` (draws, k - 1) of those rows. _THREE with powers 1, 2, 3 (draw 0)
    and 4, 5, 6 (draw 1); a0 and a2 leave: on each issue the rows kept are (a1, a2) for a0
    and (a0, a1) for a2, stacked leaver by leaver: powers (2, 3), (5, 6), (1, 2), (4, 5)."""
    batch = replace(_THREE, power=np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
    model = _Recorder()
    levers_leave(model, batch, [0, 2], base=np.zeros((2, 2)))
    assert len(model.seen) == 2  # one run per issue (the base is given)
    for j, sub in enumerate(model.seen):
        assert sub.issue_ids == (f"i{j}",)
        assert len(sub.actor_ids) == sub.position.shape[1] == 2
        assert sub.present.dtype == np.bool_
        assert sub.present.shape == (2, 1)
        assert sub.present.all()
        np.testing.assert_array_equal(sub.power, [[2, 3], [5, 6], [1, 2], [4, 5]])


#: a's salience in the trio, drawn between 0.4 and 0.6 (b's and c's are coded)
A_DRAWN = {"value": 0.5, "low": 0.4, "high": 0.6}


class _PerDraw(Model):
    """A stand-in stochastic linked model that draws one number per draw: on each draw b,
    every issue's forecast is the draw's salience sum plus u_b, the b-th number its
    generator gives."""

    name = "per-draw-stand-in"
    title = "per draw"
    citation = "none: a test stand-in"
    stochastic = True
    links_issues = True

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        u = rng.random(batch.size)
        return Output(forecasts=np.nansum(batch.salience, axis=1) + u[:, None])


def test_a_stochastic_models_leaver_runs_every_draw_as_the_base_does() -> None:
    """Only a's salience is uncertain (0.4 to 0.6); two draws of it, 0.45 and 0.55; b
    (salience 0.25) and c (0.125) are coded. Without a no input is left to draw, but a
    stochastic model still draws in each of its draws, as in the base: each draw b of the
    leaver's run is 0.25 + 0.125 = 0.375 plus u_b, the b-th number of seed 7's generator,
    the same numbers the base's draw b gets (not one run's u_0 copied to every draw). A
    deterministic model's leaver is the one run copied (the same numbers either way)."""
    scenario = trio(a_salience=A_DRAWN)
    draws = {"a:x:salience": np.array([0.45, 0.55])}
    batch = draw_batch(scenario, draws, 2)
    u = model_generator(7, 0, _PerDraw()).random(2)
    assert u[0] != u[1]  # else the test could not tell one run copied from two
    got = robustness_leave(_PerDraw(), scenario, ["a"], batch, draws, np.zeros((2, 1)), 7)
    np.testing.assert_allclose(got, [[[0.375 + u[0]], [0.375 + u[1]]]], rtol=0, atol=1e-12)
    steady = robustness_leave(_Sums(), scenario, ["a"], batch, draws, np.zeros((2, 1)), 7)
    np.testing.assert_allclose(steady, [[[0.375], [0.375]]], rtol=0, atol=1e-12)


class _Sums(Model):
    """A stand-in deterministic linked model: every issue's forecast is the draw's salience
    sum."""

    name = "sums-stand-in"
    title = "sums"
    citation = "none: a test stand-in"
    links_issues = True

    def not_applicable(self, batch: Batch) -> dict[str, str]:
        return {}

    def evaluate(self, batch: Batch, rng: np.random.Generator, *, detail: bool = False) -> Output:
        return Output(forecasts=np.nansum(batch.salience, axis=1))


class _OneIssuePerDraw(_PerDraw):
    links_issues = False


@pytest.mark.parametrize("model", [_PerDraw(), _OneIssuePerDraw()], ids=["linked", "one-issue"])
def test_a_stochastic_models_variants_share_the_batchs_random_numbers(model: Model) -> None:
    """Under a stochastic model every variant runs on its own from the seed, as the batch
    does, so draw b of each variant gets u_b, the b-th number of seed 3's generator: three
    unchanged variants give the batch's own forecasts, 0.5 x 3 = 1.5 + u_b on each issue, and
    a0's salience on i0 set to 0 gives 1.0 + u_b there, 1.5 + u_b on i1: a difference of
    exactly its change, as does a0's salience on i0 set to 0.25 (1.25 + u_b there). (Stacked
    in one run, the variants would take u_2 .. u_9; a one-issue model's two changes of i0,
    run together on it, u_0 .. u_3.)"""
    u = model_generator(3, 0, model).random(2)[:, None]
    variants: list[Variant] = [(), (), (), ((A0_QUIET, 0.0),), ((A0_QUIET, 0.25),)]
    got = variant_forecasts(model, _THREE, variants, seed=3)
    same = np.full((2, 2), 1.5) + u
    changed = np.array([[1.0, 1.5], [1.0, 1.5]]) + u
    less = np.array([[1.25, 1.5], [1.25, 1.5]]) + u
    np.testing.assert_allclose(got, [same, same, same, changed, less], rtol=0, atol=1e-12)


def test_a_stochastic_one_issue_models_leavers_run_one_by_one() -> None:
    """A stochastic one-issue model's leavers are each a run of the scenario without the
    actor, from the seed, as the base is: on the trio (a's salience drawn 0.45 and 0.55, b
    0.25, c 0.125, all on x), without b: a's draw + 0.125 + u_b = 0.575 + u_0 and
    0.675 + u_1; without c: a's draw + 0.25 + u_b = 0.7 + u_0 and 0.8 + u_1 (batched on x
    together, c's rows would take u_2 and u_3)."""
    scenario = trio(a_salience=A_DRAWN)
    draws = {"a:x:salience": np.array([0.45, 0.55])}
    batch = draw_batch(scenario, draws, 2)
    model = _OneIssuePerDraw()
    u = model_generator(7, 0, model).random(2)
    got = robustness_leave(model, scenario, ["b", "c"], batch, draws, np.zeros((2, 1)), 7)
    expected = [[[0.575 + u[0]], [0.675 + u[1]]], [[0.7 + u[0]], [0.8 + u[1]]]]
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
