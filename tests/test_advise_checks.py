"""What advise's up-front check and what_flips refuse, and what they pass on (issue 22: their
mutants passed every test). Bytes as worked by hand in tests/test_budget_advise.py."""

from __future__ import annotations

import re
import sys
from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.analysis import _flip as flip_module
from statecraft.analysis import advise as advise_module
from statecraft.analysis._levers import LeverInput
from statecraft.analysis.advise import check_advise, what_flips
from tests.test_advise import three as advise_three
from tests.test_advise import two as advise_two
from tests.test_brief import three
from tests.test_budget import crowd
from tests.test_memory import crowd as plain_crowd


def test_check_advise_refuses_the_robustness_pass_over_the_budget() -> None:
    """20 actors on 2 issues, 100 draws: the pass holds 19,497,376 bytes (about 19 MiB) at a
    16 MiB budget, and the smallest budget is 22,223,072 bytes, 22M rounded up to MiB."""
    s = crowd(20, 2)
    with pytest.raises(sc.MemoryLimitError) as caught:
        check_advise(s, "compromise", 100, memory="16M")
    assert str(caught.value) == (
        "the robustness of 140 levers over 100 draws would hold about 19 MiB, more than the "
        "memory budget of 16 MiB (give fewer --draws, or --memory 22M or more: half a "
        "budget is for the model's runs)"
    )
    check_advise(s, "compromise", 100, memory="22M")


def test_check_advise_without_a_budget_leaves_the_pass_to_the_machine() -> None:
    """6,000 draws: 6,000 x 111,088 = 666,528,000 bytes held, plus the model's chunks in the
    default half budget (256 MiB // 2,736 bytes = 98,112 draws, 268,434,432 bytes):
    934,962,432 bytes, about 892 MiB: over 512 MiB given, within the machine without."""
    s = crowd(20, 2)
    check_advise(s, "compromise", 6000)
    with pytest.raises(sc.MemoryLimitError, match="about 892 MiB, more than the memory budget"):
        check_advise(s, "compromise", 6000, memory="512M")


def test_check_advise_checks_no_pass_without_uncertain_inputs() -> None:
    """No robustness pass where nothing is drawn: no ranges at all, or only an actual
    outcome's (which the levers do not draw), however many draws are asked for."""
    check_advise(plain_crowd(20, 2), "compromise", 10**7, memory="1M")
    only_actual = sc.Scenario.model_validate(three(value=50, low=40, high=70, dist="uniform"))
    check_advise(only_actual, "compromise", 10**7, memory="1M")
    # the same study with a drawn position is refused
    with pytest.raises(sc.MemoryLimitError, match="robustness of"):
        check_advise(crowd(20, 2), "compromise", 10**7, memory="1M")


def test_check_advise_refuses_a_model_whose_one_draw_cannot_fit() -> None:
    """The spatial model's one run on 60 actors needs about 88 x 60^3 bytes (20 MiB); a 1 MiB
    budget given cannot hold it. The default model (compromise) fits, and so does the spatial
    model where no budget was given (the machine's memory is the only bound then)."""
    s = plain_crowd(60, 1)
    with pytest.raises(sc.MemoryLimitError) as caught:
        check_advise(s, "spatial", 0, memory="1M")
    assert str(caught.value) == (
        "the spatial model on 60 actors x 1 issue needs at least 20 MiB for one draw; the "
        "memory budget is 1 MiB (give --memory 20M or more, or use fewer actors or issues, "
        "or another model)"
    )
    check_advise(s, None, 0, memory="1M")
    check_advise(s, "spatial", 0)


def test_check_advise_checks_the_options() -> None:
    s = crowd(20, 2)
    with pytest.raises(ValueError, match="unknown option 'bogus' for the models run"):
        check_advise(s, "expected-utility", 0, options={"bogus": 1})
    check_advise(s, "expected-utility", 0, options={"rounds": 3})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"issue": "territory"}, "give both an issue and a threshold, or neither"),
        ({"threshold": 50.0}, "give both an issue and a threshold, or neither"),
        (
            {"issue": "nope", "threshold": 1.0},
            "no issue 'nope' in karabakh-2020; the issues are: territory, status, "
            "peacekeepers, turkey_role, nakhchivan_link",
        ),
        (
            {"issue": "territory", "threshold": float("nan")},
            "the threshold must be a finite number, not nan",
        ),
        ({"seed": -1}, "the seed must be a whole number from 0 to 9223372036854775807 (got -1)"),
        (
            {"model": "expected-utility", "options": {"bogus": 1}},
            "unknown option 'bogus' for the models run",
        ),
    ],
)
def test_what_flips_refuses_in_words(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        what_flips(sc.load("karabakh-2020"), **kwargs)


def test_what_flips_passes_its_seed_and_options_on(monkeypatch: pytest.MonkeyPatch) -> None:
    # A spy on the search: the seed given (0 by default) and the options reach it
    seen: list[tuple[str, Any, int]] = []

    def search(scenario: Any, model: Any, point: Any, issue: Any, t: Any, seed: int) -> Any:
        seen.append((model.name, model.options, seed))
        return None

    monkeypatch.setattr(advise_module, "_search", search)
    s = sc.load("karabakh-2020")
    what_flips(s)
    what_flips(s, "expected-utility", options={"rounds": 3}, seed=5)
    assert seen[0][0] == "compromise"
    assert seen[0][2] == 0
    assert seen[1][0] == "expected-utility"
    assert seen[1][1]["rounds"] == 3
    assert seen[1][2] == 5


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("a:x:capability", 0, 2, 3), {}, "a:x:capability must be above 0 (got 0 to 2)"),
        (
            ("a:x:position", 80, 100, 3),
            {"second": ("a:x:position", 80, 90, 2)},
            "a two-input sweep needs two different inputs",
        ),
        (
            ("a:x:position", 80, 100, 3),
            {"model": "expected-utility", "options": {"bogus": 1}},
            "unknown option 'bogus' for the models run",
        ),
        # a float or a bool is no number of steps, however large
        (("a:x:position", 80, 100, 2.5), {}, "a sweep needs at least 2 steps (got 2.5 for a:x"),
        (("a:x:position", 80, 100, True), {}, "a sweep needs at least 2 steps (got True for a:x"),
    ],
)
def test_sweep_refuses_in_words(
    args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        advise_module.sweep(advise_three(), *args, **kwargs)


def test_sweep_takes_eleven_steps_and_seed_zero_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From 80 to 100 in the default 11 steps: 80, 82, ..., 100 (20 / 10 apart); the seed
    given (0 by default) reaches the batched run."""
    seeds: list[int] = []
    run = advise_module._variants

    def spy(*args: Any, seed: int, **kwargs: Any) -> Any:
        seeds.append(seed)
        return run(*args, seed=seed, **kwargs)

    monkeypatch.setattr(advise_module, "_variants", spy)
    w = advise_module.sweep(advise_three(), "a:x:position", 80, 100, model="compromise")
    assert w.axes == (tuple(80.0 + 2 * k for k in range(11)),)
    advise_module.sweep(advise_three(), "a:x:position", 80, 100, 3, model="compromise", seed=7)
    assert seeds == [0, 7]


def test_a_capability_sweep_may_reach_the_largest_float(monkeypatch: pytest.MonkeyPatch) -> None:
    """A capability lies in [tiny, max] of the floats, both ends included: a sweep up to
    1.7976931348623157e308 passes the check of its ends (the run is stopped right after,
    where the models are checked, before any arithmetic that would overflow)."""

    class Checked(Exception):
        pass

    def stop(*args: Any, **kwargs: Any) -> Any:
        raise Checked

    monkeypatch.setattr(advise_module, "check_models", stop)
    with pytest.raises(Checked):
        advise_module.sweep(advise_three(), "a:x:capability", 1, sys.float_info.max, 2)


def test_what_flips_runs_the_scenario_at_its_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    # A spy on the batched runs of the flip search: the first (the scenario as it is) runs
    # at the seed given; only a stochastic model could tell the numbers apart
    seen: list[Any] = []
    run = advise_module._variants

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("seed", "no seed given"))
        return run(*args, **kwargs)

    monkeypatch.setattr(advise_module, "_variants", spy)
    searched: list[Any] = []  # and so do the search's own runs
    search_run = flip_module.variant_forecasts

    def search_spy(*args: Any, **kwargs: Any) -> Any:
        searched.append(kwargs.get("seed", "no seed given"))
        return search_run(*args, **kwargs)

    monkeypatch.setattr(flip_module, "variant_forecasts", search_spy)
    what_flips(advise_three(), "compromise", seed=5)
    assert seen[0] == 5
    assert searched  # the search ran
    assert set(searched) == {5}


def test_a_forecast_on_the_threshold_is_at_or_above_it() -> None:
    # three()'s compromise is (2 x 100 + 60 + 0) / 4 = 65 exactly: at a threshold of 65
    # the verdict is "x >= 65" (the issue's forecast is at or above it), not "x < 65"
    found = what_flips(advise_three(), "compromise", issue="x", threshold=65)
    assert found.verdict == "x >= 65"
    assert found.what == "x >= 65"


@pytest.mark.parametrize(
    ("kind", "value", "scale", "expected"),
    [
        # a salience 0.005 (range 0 to 1): h = 0.01, 0.005 - 0.01 < 0 stops at 0, and a
        # salience may not be differenced down to 0: one-sided, from the value up
        ("salience", 0.005, (0.0, 1.0), (0.005, 0.015)),
        # a position 0.5 on 0..100: h = 1, down stops at the scale's floor, 0, a valid
        # position: central, 0 to 1.5
        ("position", 0.5, (0.0, 100.0), (0.0, 1.5)),
        # a position -50 on -100..100: h = 2, below 0 is no limit for a position: -52, -48
        ("position", -50.0, (-100.0, 100.0), (-52.0, -48.0)),
    ],
)
def test_finite_differences_stop_where_the_number_must(
    kind: str, value: float, scale: tuple[float, float], expected: tuple[float, float]
) -> None:
    """The two values of a lever's central difference (step 0.01 of the input's range) by
    hand: one-sided only where a salience or a capability would fall to 0 or below."""
    item = LeverInput(f"a:x:{kind}", kind, "a", "x", 0, (0,), value, *scale, scale, False)
    assert advise_module._fd_values(item) == pytest.approx(expected)


def test_an_actor_whose_leaving_breaks_the_scenario_is_noted_and_the_others_leave() -> None:
    """A is the only actor with a salience above 0 on y: without it no model can weigh y's
    positions, so its leaving is a note, and B and C (after it) still leave. C's goal, its
    gain on x (status quo 50, C at 60, width 100): at (0 + 100 + 60) / 3 = 53.33 it is
    (10 - 6.67) / 100 = 0.0333; without B, (0 + 60) / 2 = 30: (10 - 30) / 100 = -0.2, so
    -0.2333; without C, (0 + 100) / 2 = 50: 0, so -0.0333."""
    s = sc.Scenario.model_validate(
        {
            "name": "lone",
            "issues": [
                {"id": i, "label": i.upper(), "scale": {"low": 0, "high": 100}, "status_quo": 50}
                for i in ("x", "y")
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 0, "salience": 1},
                        "y": {"position": 0, "salience": 1},
                    },
                },
                {
                    "id": "b",
                    "capability": 1,
                    "stances": {
                        "x": {"position": 100, "salience": 1},
                        "y": {"position": 100, "salience": 0},
                    },
                },
                {"id": "c", "capability": 1, "stances": {"x": {"position": 60, "salience": 1}}},
            ],
        }
    )
    adv = advise_module.advise(s, "c", model="compromise", draws=0, flips=False)
    assert adv.notes == (
        "a leaving is not shown: leave (applied to lone) (issues[1]): every actor's salience "
        "on issue 'y' is 0, so no model can weigh the positions",
    )
    leaving = {lv.input: lv.effect_range for lv in adv.levers if lv.kind == "leave"}
    assert leaving == pytest.approx({"b:leave": -0.2 - 0.1 / 3, "c:leave": -0.1 / 3})


@pytest.mark.parametrize(("target", "value"), [(0.0, -0.65), (100.0, -0.35)])
def test_a_target_may_be_either_end_of_the_scale(target: float, value: float) -> None:
    """three()'s compromise is 65 on 0..100: a target at 0 is 65 / 100 away, at 100 35 / 100
    (the goal is minus the distance in units of the scale)."""
    adv = advise_module.advise(
        advise_three(), "a", targets={"x": target}, model="compromise", draws=0, flips=False
    )
    assert adv.targets == {"x": target}
    assert adv.goal_value == pytest.approx(value)


def test_advise_runs_the_model_at_its_seed_and_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spy on advise's batched runs (the scenario, the levers' ends, the actors leaving,
    the flip search's first run): each runs at the seed given (0 by default) and in chunks
    of the model's share of the budget, 64 MiB = 67,108,864 bytes less the half for drawn
    inputs: 33,554,432. Only a stochastic model, or the memory a run takes, could tell these
    apart in the numbers."""
    seen: list[tuple[Any, Any]] = []
    run, leave = advise_module._variants, advise_module.leave_forecasts

    def runs(*args: Any, **kwargs: Any) -> Any:
        seen.append((kwargs.get("seed", "no seed"), kwargs.get("budget", "no budget")))
        return run(*args, **kwargs)

    def leaves(*args: Any) -> Any:
        seen.append(args[6:8] if len(args) == 8 else ("wrong", "arguments"))
        return leave(*args)

    monkeypatch.setattr(advise_module, "_variants", runs)
    monkeypatch.setattr(advise_module, "leave_forecasts", leaves)
    advise_module.advise(advise_three(), "a", model="compromise", draws=0, seed=7, memory="64M")
    assert len(seen) == 4  # the scenario, the ends of every lever, the leavers, the search
    assert set(seen) == {(7, 33_554_432)}
    seen.clear()
    advise_module.advise(advise_three(), "a", model="compromise", draws=0)
    assert len(seen) == 4
    assert {seed for seed, _ in seen} == {0}


def test_advise_draws_a_thousand_and_searches_flips_by_default() -> None:
    """three() of test_brief with b's position drawn from 0 to 5: the advice holds 1,000
    draws of that one input, and the flip search (a is the biggest winner)."""
    data = three()
    data["actors"][1]["stances"]["x"]["position"] = {"value": 0, "low": 0, "high": 5}
    adv = advise_module.advise(sc.Scenario.model_validate(data), "a", model="compromise")
    assert adv.draws == 1000
    assert adv.uncertain == ("b:x:position",)
    assert adv.flips is not None
    assert adv.flips.verdict == "a"


def test_advise_draws_nothing_where_only_the_actual_has_a_range() -> None:
    """The levers draw the coded numbers, never an actual outcome (no model reads it): a
    scenario whose only range is the actual's reports no draws and no robustness, and no
    robustness pass is checked there (nor where nothing has a range), even at 10^7 draws in
    1 MiB, which the same pass over a drawn position would hold too much for
    (test_check_advise_checks_no_pass_without_uncertain_inputs)."""
    only_actual = sc.Scenario.model_validate(three(value=50, low=40, high=70, dist="uniform"))
    adv = advise_module.advise(only_actual, "a", model="compromise", draws=50, flips=False)
    assert (adv.draws, adv.uncertain) == (0, ())
    assert {lv.robustness for lv in adv.levers} == {None}
    for s, actor in ((only_actual, "a"), (plain_crowd(20, 2), "a0")):
        adv = advise_module.advise(s, actor, model="compromise", draws=10**7, memory="1M")
        assert adv.draws == 0
    with pytest.raises(sc.MemoryLimitError, match="robustness of"):
        advise_module.advise(crowd(20, 2), "a0", model="compromise", draws=10**7, memory="1M")


def test_a_linked_models_leavers_are_runs_of_the_scenario_without_them() -> None:
    """The spatial model links the issues, so an actor's leaving is a run of the scenario
    without it. Of two actors, either leaving leaves one, which the spatial model does not
    forecast ("needs two actors or more"): no forecast, no effect, no direction."""
    duo = sc.Scenario.model_validate(
        {
            "name": "duo",
            "issues": [{"id": "x", "label": "X", "status_quo": 50}],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": {"position": 100, "salience": 1}}},
                {"id": "b", "capability": 2, "stances": {"x": {"position": 0, "salience": 0.5}}},
            ],
        }
    )
    adv = advise_module.advise(duo, "a", model="spatial", draws=0, flips=False)
    leaving = [lv for lv in adv.levers if lv.kind == "leave"]
    assert sorted(lv.input for lv in leaving) == ["a:leave", "b:leave"]
    assert all(np.isnan(lv.effect_range) and lv.direction == "none" for lv in leaving)


def test_the_leavers_robustness_is_each_ones_own() -> None:
    """two() (A at 0, capability 3; B at 100; the compromise 25) and C at 50 with salience 0,
    every number perturbed by 10% (a salience 0 gets no range). For B: A leaving makes the
    outcome B's position (gain 0.25 -> 1: +0.75); B leaving makes it A's (0: -0.25). In every
    draw A stays within 0..10 and B within 90..100, so each leaving moves B's gain the same
    way: robustness 1. C has no weight: its leaving changes nothing (0), and has none."""
    data = advise_two().model_dump(mode="json", exclude_none=True)
    data["actors"].append(
        {"id": "c", "capability": 1, "stances": {"x": {"position": 50, "salience": 0}}}
    )
    s = sc.Scenario.model_validate({**data, "perturb": {"relative": 0.1}})
    adv = advise_module.advise(s, "b", model="compromise", draws=200, flips=False)
    leaving = {
        lv.input: (lv.effect_range, lv.robustness) for lv in adv.levers if lv.kind == "leave"
    }
    assert leaving == {
        "a:leave": (pytest.approx(0.75), 1.0),
        "b:leave": (pytest.approx(-0.25), 1.0),
        "c:leave": (0.0, None),
    }


def test_levers_without_an_effect_come_last_by_name() -> None:
    """A at 30 (salience 0.1) and B at 100 (salience 0), status quo 50: the compromise is A's
    position, 30, and A's gain (20 - 0) / 100 = 0.2. Across their ranges: B's salience 0 to
    1 moves the outcome to (3 + 100) / 1.1 = 93.64, A's gain to (20 - 63.64) / 100, from 0.2:
    -0.7 / 1.1 = -0.636 in all (B's salience is at its floor: "at its limit"); A's position
    0 to 100 moves the gain from -0.1 to -0.5: -0.4. A's salience at 0 leaves no weight: no
    forecast (NaN), no effect. B's numbers weigh nothing, and A's capability alone scales
    nothing: 0. The levers with an effect come first, biggest first; then those without one
    (0 or none), by name. A cannot leave (nobody else weighs the positions): a note."""
    s = sc.Scenario.model_validate(
        {
            "name": "empty",
            "issues": [
                {"id": "x", "label": "X", "scale": {"low": 0, "high": 100}, "status_quo": 50}
            ],
            "actors": [
                {"id": "a", "capability": 1, "stances": {"x": {"position": 30, "salience": 0.1}}},
                {"id": "b", "capability": 1, "stances": {"x": {"position": 100, "salience": 0}}},
            ],
        }
    )
    adv = advise_module.advise(s, "a", model="compromise", draws=0, flips=False)
    assert adv.goal_value == pytest.approx(0.2)
    assert [lv.input for lv in adv.levers] == [
        "b:x:salience",
        "a:x:position",
        "a:capability",
        "a:x:capability",
        "a:x:salience",
        "b:capability",
        "b:leave",
        "b:x:capability",
        "b:x:position",
    ]
    first, second, *rest = adv.levers
    assert (first.effect_range, first.direction) == (
        pytest.approx(-0.7 / 1.1),
        "at its limit",
    )
    assert (second.effect_range, second.direction) == (pytest.approx(-0.4), "lower")
    assert np.isnan(rest[2].effect_range)
    assert {lv.effect_range for lv in rest[:2] + rest[3:]} == {0.0}
    assert {lv.direction for lv in rest} == {"none"}  # neither 0 nor NaN helps either way
    assert len(adv.notes) == 1
    assert adv.notes[0].startswith("a leaving is not shown")


def test_advise_hands_the_models_options_on() -> None:
    """The options reach the model that advise builds: one it does not take is refused, and
    so is a value it does not allow (the Nash model's utility is quadratic or linear)."""
    with pytest.raises(ValueError, match=r"^unknown option 'rounds' for the models run"):
        advise_module.advise(
            advise_three(), "a", model="compromise", options={"rounds": 3}, draws=0, flips=False
        )
    with pytest.raises(ValueError, match=r"^the nash model's option utility must be one of"):
        advise_module.advise(
            advise_three(), "a", model="nash", options={"utility": "cubic"}, draws=0, flips=False
        )


def test_an_advices_levers_field_by_field() -> None:
    """two() (A at 0, capability 3; B at 100, capability 1; salience 1; status quo 0), for B,
    whose gain is o / 100 at the compromise o = 100 c_B / (3 + c_B) = 25:

    - B's position (default range: the scale, 0 to 100): o from 0 to 25, gain +0.25 across,
      1/4 x 1/100 = 0.0025 a unit; B already sits at the top: "at its limit".
    - B's overall capability (default range: half to twice its value, 0.5 to 2): o from
      50/3.5 to 200/5 = 40, gain from 0.142857 to 0.4 (+0.257143); do/dc = 300/(3 + c)^2 =
      18.75 at c = 1, so 0.1875 a unit; raising it helps: "strengthen".
    - A leaving: o = 100, gain 1 (+0.75): "remove"; no value, range or derivative."""
    adv = advise_module.advise(advise_two(), "b", model="compromise", draws=0, flips=False)
    head = (adv.scenario, adv.model, adv.actor, adv.goal, adv.targets, adv.issues, adv.draws)
    assert head == ("two", "compromise", "b", "gain", {}, ("x",), 0)
    assert (adv.goal_value, adv.uncertain, adv.flips, adv.notes) == (0.25, (), None, ())
    rows = {lv.input: lv.to_dict() for lv in adv.levers}
    assert rows["b:x:position"] == {
        "actor": "b",
        "input": "b:x:position",
        "kind": "position",
        "issue": "x",
        "value": 100.0,
        "low": 0.0,
        "high": 100.0,
        "range_from": "default",
        "effect_per_unit": pytest.approx(0.0025),
        "effect_range": pytest.approx(0.25),
        "direction": "at its limit",
        "robustness": None,
        "method": "closed form",
    }
    assert rows["b:capability"] == {
        "actor": "b",
        "input": "b:capability",
        "kind": "capability",
        "issue": None,
        "value": 1.0,
        "low": 0.5,
        "high": 2.0,
        "range_from": "default",
        "effect_per_unit": pytest.approx(0.1875),
        "effect_range": pytest.approx(0.4 - 1 / 7),
        "direction": "strengthen",
        "robustness": None,
        "method": "closed form",
    }
    assert rows["a:leave"] == {
        "actor": "a",
        "input": "a:leave",
        "kind": "leave",
        "issue": None,
        "value": None,
        "low": None,
        "high": None,
        "range_from": "leave",
        "effect_per_unit": None,
        "effect_range": pytest.approx(0.75),
        "direction": "remove",
        "robustness": None,
        "method": "perturbation",
    }
    # the closed forms are the compromise model's only: under another, every lever is moved
    median = advise_module.advise(advise_two(), "b", model="median", draws=0, flips=False)
    assert {lv.method for lv in median.levers} == {"perturbation"}
