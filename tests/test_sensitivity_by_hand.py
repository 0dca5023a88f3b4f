"""Sensitivity by hand (issue 22): the result's repr, headline and JSON, the defaults and
messages of the Sobol study, the seed and block each model call gets, and what may be
merged. Worked on the tiny scenario with the two ranges of test_sensitivity.py."""

from __future__ import annotations

import copy
import math
import sys
from typing import Any

import pytest

import statecraft as sc
from statecraft.analysis import sensitivity
from statecraft.analysis.sensitivity import (
    Sensitivity,
    SobolIndex,
    Swing,
    one_at_a_time,
    sobol_indices,
)
from tests.test_sensitivity import _made, _two_ranges

NAN = float("nan")


def test_repr_and_headline_of_a_tornado_by_hand(tiny: dict[str, Any]) -> None:
    """one_at_a_time on _two_ranges: the compromise on 'tax' is (3 x 60 + 0.5 x 0 + 1 x 100)
    / 4.5 = 280 / 4.5 = 62.22, which neither range moves; on 'date' (1.5 x_a + x_b) / 2.5,
    base 11 / 2.5 = 4.4, a's position from 0 to 4 swings it 6 / 2.5 = 2.4 (from 3.2 to 5.6)
    and b's from 7 to 9 by 2 / 2.5 = 0.8 (from 4 to 4.8)."""
    result = one_at_a_time(_two_ranges(tiny), "compromise")
    assert repr(result).splitlines() == [
        "Sensitivity of 'tiny' under compromise: 2 uncertain inputs, one at a time",
        "  tax (base 62.22): nothing moves it",
        "  date (base 4.4): a:date:position swings it 2.4",
    ]
    frame = result._headline()
    assert list(frame.columns) == ["issue", "input", "at_low", "at_high", "swing"]
    assert list(frame["input"]) == ["a:date:position", "b:date:position"]
    assert list(frame["issue"]) == ["date", "date"]
    assert list(frame["at_low"]) == pytest.approx([8 / 2.5, 4.0])
    assert list(frame["at_high"]) == pytest.approx([14 / 2.5, 4.8])
    assert list(frame["swing"]) == pytest.approx([2.4, 0.8])


def test_headline_keeps_five_and_falls_back_on_sobol(tiny: dict[str, Any]) -> None:
    """Six inputs swing 'tax' by 1 to 6: the headline keeps the five largest (6 down to 2),
    the repr names the largest. With only Sobol indices, the headline ranks by total index
    (q's 0.7 before p's 0.55) and shows S1 and ST, five at most (of six with totals 0.1 to
    0.6, those of 0.6 down to 0.2); with neither, the repr says so."""
    swings = [Swing("tax", f"i{k}", 50.0, 50.0 + k) for k in range(1, 7)]
    result = _made(tiny, swings=swings)
    assert repr(result).splitlines() == [
        "Sensitivity of 'tiny' under m: 0 uncertain inputs, one at a time",
        "  tax (base 50): i6 swings it 6",
        "  date (base 5): nothing moves it",
    ]
    assert list(result._headline()["input"]) == ["i6", "i5", "i4", "i3", "i2"]
    assert list(result._headline()["swing"]) == [6.0, 5.0, 4.0, 3.0, 2.0]
    sobol = [SobolIndex("tax", "p", 0.5, 0.01, 0.55, 0.02), SobolIndex("tax", "q", 0.1, 0, 0.7, 0)]
    only = _made(tiny, sobol=sobol)
    assert repr(only).splitlines()[0] == "Sensitivity of 'tiny' under m: 0 uncertain inputs, Sobol"
    frame = only._headline()
    assert list(frame.columns) == ["issue", "input", "S1", "ST"]
    assert [tuple(r) for r in frame.itertuples(index=False)] == [
        ("tax", "q", 0.1, 0.7),
        ("tax", "p", 0.5, 0.55),
    ]
    six = [SobolIndex("tax", f"i{k}", 0.1 * k, 0, 0.1 * k, 0) for k in range(1, 7)]
    assert list(_made(tiny, sobol=six)._headline()["input"]) == ["i6", "i5", "i4", "i3", "i2"]
    both = _made(tiny, swings=swings[:1], sobol=sobol)
    assert repr(both).splitlines()[0].endswith(": 0 uncertain inputs, one at a time and Sobol")
    assert list(both._headline()["input"]) == ["i1"]  # the swings, when there are any
    assert repr(_made(tiny)).splitlines()[0].endswith(", nothing run")


def test_rankings_put_what_cannot_be_computed_last_wherever_it_comes(
    tiny: dict[str, Any],
) -> None:
    """A swing or a total index that is NaN ranks last even when it comes first (a NaN sort
    key would leave it where it was)."""
    swings = [Swing("tax", "r", NAN, 40.0), Swing("tax", "p", 50.0, 52.0)]
    swings.append(Swing("tax", "q", 55.0, 45.0))
    assert [s.input for s in _made(tiny, swings=swings).tornado("tax")] == ["q", "p", "r"]
    sobol = [
        SobolIndex("tax", "r", NAN, NAN, NAN, NAN),
        SobolIndex("tax", "p", 0.5, 0.01, 0.55, 0.02),
        SobolIndex("tax", "q", 0.1, 0.01, 0.70, 0.02),
    ]
    assert [s.input for s in _made(tiny, sobol=sobol).ranked_sobol("tax")] == ["q", "p", "r"]


def test_json_of_a_study_by_hand(tiny: dict[str, Any]) -> None:
    """to_dict of the tornado of test_repr_and_headline_of_a_tornado_by_hand, merged with
    Sobol indices made by hand, one of them NaN: by default the inputs that move nothing
    are left out ('tax' has none left), and every null says why."""
    oat = one_at_a_time(_two_ranges(tiny), "compromise")
    sobol = (
        SobolIndex("date", "a:date:position", 0.8, 0.1, 0.9, 0.1),
        SobolIndex("date", "b:date:position", NAN, NAN, NAN, NAN),
    )
    made = Sensitivity(oat.scenario, "compromise", (), oat.base, sobol=sobol, samples=8, seed=3)
    data = oat.merged(made).to_dict()
    flat = "the forecast is the same in every sample, so no input explains any of its variance"
    assert data == {
        "scenario": "tiny",
        "model": "compromise",
        "inputs": ["a:date:position", "b:date:position"],
        "base": {"tax": pytest.approx(280 / 4.5), "date": pytest.approx(4.4)},
        "one_at_a_time": {
            "tax": [],
            "date": [
                {
                    "input": "a:date:position",
                    "at_low": pytest.approx(3.2),
                    "at_high": pytest.approx(5.6),
                    "swing": pytest.approx(2.4),
                },
                {
                    "input": "b:date:position",
                    "at_low": pytest.approx(4.0),
                    "at_high": pytest.approx(4.8),
                    "swing": pytest.approx(0.8),
                },
            ],
        },
        "sobol": {
            "tax": [],
            "date": [
                {"input": "a:date:position", "S1": 0.8, "S1_conf": 0.1, "ST": 0.9, "ST_conf": 0.1},
                {"input": "b:date:position"} | dict.fromkeys(("S1", "S1_conf", "ST", "ST_conf")),
            ],
        },
        "samples": 8,
        "nulls": [
            {"path": f"/sobol/date/1/{k}", "value": "NaN", "reason": flat}
            for k in ("S1", "S1_conf", "ST", "ST_conf")
        ],
    }  # fmt: skip
    gone = Swing("tax", "r", NAN, 40.0)
    missing = _made(tiny, swings=[gone]).to_dict()["nulls"]
    assert [n["reason"] for n in missing] == [
        "the model gave no forecast with the input at that end of its range"
    ] * 2  # at_low and the swing


def test_only_studies_of_one_scenario_and_model_merge(tiny: dict[str, Any]) -> None:
    """merged needs both the same scenario (the same object) and the same model: either
    differing is refused, and the merged study keeps the model's name."""
    oat = _made(tiny, swings=[Swing("tax", "p", 50.0, 52.0)])
    message = r"^only studies of the same scenario and model can be merged$"
    other_model = Sensitivity(oat.scenario, "other", (), oat.base)
    with pytest.raises(ValueError, match=message):
        oat.merged(other_model)
    other_scenario = _made(tiny)  # a scenario validated again: equal, not the same
    assert other_scenario.model == oat.model
    with pytest.raises(ValueError, match=message):
        oat.merged(other_scenario)
    assert oat.merged(Sensitivity(oat.scenario, "m", (), oat.base)).model == "m"


def test_sobol_defaults_messages_and_options(
    tiny: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented defaults (the compromise model, N = 1024, seed 0); the exact messages
    for a scenario without ranges and for a missing SALib; options reach the model; and an
    actual outcome's range is not one of the inputs (the study explains the forecast)."""
    s = _two_ranges(tiny)
    default = sobol_indices(s)
    assert (default.model, default.samples, default.seed) == ("compromise", 1024, 0)
    again = sobol_indices(s, "compromise", samples=1024, seed=0)
    # the same study, half-widths included (test_seed_0_fixes_the_half_widths)
    date = [x for x in default.sobol if x.issue == "date"]
    assert date == [x for x in again.sobol if x.issue == "date"]
    assert len(date) == 2
    with pytest.raises(ValueError, match=r"^unknown option 'rounds'"):
        sobol_indices(s, "compromise", samples=4, options={"rounds": 3})
    bare = copy.deepcopy(tiny)
    for actor in bare["actors"]:
        for stance in actor["stances"].values():
            if isinstance(stance["position"], dict):
                stance["position"] = stance["position"]["value"]
    with pytest.raises(
        ValueError, match=r"^Sobol indices need at least one uncertain number in the scenario$"
    ):
        sobol_indices(sc.Scenario.model_validate(bare), samples=4)
    ranged = copy.deepcopy(tiny)
    ranged["issues"][0]["actual"] = {"value": 40, "low": 30, "high": 50}
    keys = ["a:date:position", "b:date:position"]
    assert [i.key for i in sobol_indices(sc.Scenario.model_validate(ranged), samples=4).inputs] == (
        keys
    )
    assert [i.key for i in one_at_a_time(sc.Scenario.model_validate(ranged)).inputs] == keys
    monkeypatch.setitem(sys.modules, "SALib.analyze", None)  # import SALib.analyze fails
    with pytest.raises(
        RuntimeError, match=r"^Sobol indices need SALib: pip install 'statecraft\[sensitivity\]'$"
    ):
        sobol_indices(s, samples=4)


def test_each_model_call_gets_the_seed_and_its_block(
    tiny: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stochastic model draws from (seed, block): every block of a study must get the
    study's seed and its own block number, or two blocks would repeat the same draws. With
    16 evaluations per call, the Sobol design of N = 8 on k = 2 inputs (8 x (2 + 2) = 32
    rows) takes two calls, blocks 0 and 1 with seed 7, then one for the base forecast
    (block 0); the tornado's 2 x 2 + 1 = 5 rows in calls of 2 take blocks 0, 1 and 2, seed 0.
    The indices and swings are those of one call (the compromise draws nothing)."""
    s = _two_ranges(tiny)
    whole_sobol = sobol_indices(s, "compromise", samples=8, seed=7)
    whole_oat = one_at_a_time(s, "compromise")
    calls: list[tuple[int, int, int]] = []
    run = sensitivity.run_model

    def spy(model: Any, batch: Any, *, seed: int = 0, block: int = 0) -> Any:
        calls.append((batch.size, seed, block))
        return run(model, batch, seed=seed, block=block)

    monkeypatch.setattr(sensitivity, "run_model", spy)
    monkeypatch.setattr(sensitivity, "CHUNK", 16)
    split = sobol_indices(s, "compromise", samples=8, seed=7)
    assert calls == [(16, 7, 0), (16, 7, 1), (1, 7, 0)]
    assert all(type(block) is int for _, _, block in calls)  # a block number, not 1.0
    # NaN half-widths on 'tax' (nothing moves it) compare unequal: compare 'date'
    assert [x for x in split.sobol if x.issue == "date"] == [
        x for x in whole_sobol.sobol if x.issue == "date"
    ]
    calls.clear()
    monkeypatch.setattr(sensitivity, "CHUNK", 2)
    tornado = one_at_a_time(s, "compromise")
    assert calls == [(2, 0, 0), (2, 0, 1), (1, 0, 2)]
    assert tornado.swings == whole_oat.swings
    assert tornado.base == whole_oat.base
    assert all(not math.isnan(w.swing) for w in tornado.swings)


def test_an_issue_nothing_moves_after_one_that_moves(tiny: dict[str, Any]) -> None:
    """Only a's position on 'tax' carries a range: 'tax' (first) moves, 'date' (second) does
    not. Both keep their indices: 'tax' is (3 x_a + 100) / 4.5, linear in its one input, so
    its total index is 1 (to the estimator's error at N = 64, about 0.1), and 'date' has
    indices 0 with no half-width."""
    tiny["actors"][0]["stances"]["tax"]["position"] = {"value": 60, "low": 40, "high": 80}
    result = sobol_indices(sc.Scenario.model_validate(tiny), "compromise", samples=64, seed=2)
    assert [(x.issue, x.input) for x in result.sobol] == [
        ("tax", "a:tax:position"),
        ("date", "a:tax:position"),
    ]
    tax, date = result.sobol
    assert tax.total == pytest.approx(1.0, abs=0.15)
    assert (date.first, date.total) == (0.0, 0.0)
    assert math.isnan(date.first_conf)
    assert math.isnan(date.total_conf)


def test_the_memory_refusal_gives_the_gib_needed_and_allowed(
    tiny: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """N = 2^20 on k = 2 inputs and tiny's 2 issues: N (k + 2) = 4,194,304 rows; the design
    and forecasts take 8 x 4,194,304 x (2 x 2 + 2) = 201,326,592 bytes and SALib's bootstrap
    8 x 4 x 100 x 2^20 = 3,355,443,200: 3,556,769,792 bytes = 3.3125 GiB, shown as 3.3;
    the limit, 2^31 bytes, is 2.0 GiB."""
    monkeypatch.setattr(sensitivity, "memory_limit", lambda: (2**31, "a test limit"))
    with pytest.raises(sc.MemoryLimitError) as caught:
        sensitivity._check_sobol(_two_ranges(tiny), 2**20, 2)
    assert str(caught.value) == (
        "Sobol indices with N = 1,048,576 on 2 uncertain inputs run the model 4,194,304 "
        "times and need about 3.3 GiB; a test limit allows 2.0 GiB: give a smaller N"
    )


def test_seed_0_fixes_the_half_widths(tiny: dict[str, Any]) -> None:
    """The same seed gives the same study, half-widths included, for seed 0 (the default)
    too: SALib seeds its bootstrap only when the seed it gets is true, so seed 0 once drew
    the resamples afresh in every call. Another seed gives other resamples."""
    s = _two_ranges(tiny)

    def half_widths(seed: int) -> list[tuple[float, float]]:
        result = sobol_indices(s, "compromise", samples=64, seed=seed)
        return [(x.first_conf, x.total_conf) for x in result.sobol if x.issue == "date"]

    zero = half_widths(0)
    assert len(zero) == 2
    assert half_widths(0) == zero
    assert half_widths(1) != zero
