"""What advise's up-front check and what_flips refuse, and what they pass on (issue 22: their
mutants passed every test). Bytes as worked by hand in tests/test_budget_advise.py."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest

import statecraft as sc
from statecraft.analysis import _flip as flip_module
from statecraft.analysis import advise as advise_module
from statecraft.analysis.advise import check_advise, what_flips
from tests.test_advise import three as advise_three
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
