"""A Monte Carlo study's tables: its summary lines and its JSON, key by key.

The values are those of the uniform case of ``test_uncertainty.py``: two actors of equal
weight on x, a at 0 and b uniform on [0, 100], so that the compromise b / 2 is uniform on
[0, 50] (q-quantile 50 q: median 25, 80% interval (5, 45)); on y both stand at 200 in
every draw.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

import statecraft as sc
from statecraft.analysis import _blocks
from statecraft.analysis import uncertainty as u
from tests.test_uncertainty import Never, uniform_scenario


def test_the_summary_lines_are_the_first_models() -> None:
    # Five models, the first the compromise and the second one that forecasts nothing (NaN
    # quantiles): the repr's issue lines are the compromise's alone, and of the five models
    # it names the first four and counts the fifth.
    models = ["compromise", Never(), "median", "nash", "kalai-smorodinsky"]
    r = u.simulate(uniform_scenario(), models, draws=2000, seed=1)
    head, *lines = repr(r).splitlines()[: 1 + 2]
    assert head.endswith("models compromise, never, median, nash and 1 more")
    assert "(interrupted)" not in head
    x = re.fullmatch(r"  x: median (\S+) \(80% (\S+) to (\S+)\)", lines[0])
    y = re.fullmatch(r"  y: median (\S+) \(80% (\S+) to (\S+)\)", lines[1])
    assert x is not None
    assert y is not None
    # 2,000 draws: a quantile's standard error is at most 50 sqrt(0.25 / 2000) = 0.56; 2 is
    # over three of them (the NaN of the second model fails any comparison)
    assert [float(v) for v in x.groups()] == pytest.approx([25.0, 5.0, 45.0], abs=2.0)
    assert [float(v) for v in y.groups()] == pytest.approx([200.0] * 3, abs=200 / u.BINS)


def test_the_json_of_a_study_key_by_key() -> None:
    # The compromise first and a model that forecasts nothing second: "issues" holds the
    # compromise's numbers (x's median near 25, not null), "by_model" each model's own, and
    # every null number is listed with the reason. y's actual outcome, 150, is reported.
    r = u.simulate(uniform_scenario(actual_y=150), ["compromise", Never()], draws=2000, seed=7)
    data = r.to_dict()
    assert list(data) == [
        "scenario", "models", "seed", "draws", "requested", "interrupted", "block",
        "uncertain_inputs", "issues", "by_model", "biggest_winner", "confrontation", "nulls",
    ]  # fmt: skip
    assert (data["scenario"], data["models"], data["seed"]) == (
        "uniform",
        ["compromise", "never"],
        7,
    )
    assert (data["draws"], data["requested"], data["interrupted"]) == (2000, 2000, False)
    assert data["block"] == u.BLOCK
    assert data["uncertain_inputs"] == [
        {"key": "b:x:position", "value": 50.0, "low": 0.0, "high": 100.0, "dist": "uniform"}
    ]
    assert list(data["issues"]) == ["x", "y"]
    assert list(data["by_model"]) == ["compromise", "never"]
    assert data["issues"] == data["by_model"]["compromise"]
    x, y = data["issues"]["x"], data["issues"]["y"]
    for issue in (x, y):
        assert list(issue) == ["mean", "median", "interval80", "interval95", "actual", "histogram"]
        assert list(issue["histogram"]) == ["low", "high", "counts"]
        assert len(issue["histogram"]["counts"]) == 50
        assert sum(issue["histogram"]["counts"]) == 2000
    # tolerance 2: three standard errors of a quantile at 2,000 draws (see above)
    assert x["median"] == pytest.approx(25.0, abs=2.0)
    assert x["interval80"] == pytest.approx([5.0, 45.0], abs=2.0)
    assert x["interval95"] == pytest.approx([1.25, 48.75], abs=2.0)
    assert (x["actual"], y["actual"]) == (None, 150.0)
    assert (y["histogram"]["low"], y["histogram"]["high"]) == (0.0, 200.0)
    assert y["histogram"]["counts"][-1] == 2000  # every draw at 200, in the last group
    never = data["by_model"]["never"]["x"]
    assert never["mean"] is None
    assert never["interval80"] == [None, None]
    assert sum(never["histogram"]["counts"]) == 0
    reasons = {n["path"]: n["reason"] for n in data["nulls"]}
    assert reasons["/by_model/never/x/mean"] == "the model gave a forecast in no draw"
    assert len(reasons) == 12  # mean, median and both ends of two intervals, on two issues
    # a stands at the status quo 0, so its gain on x is -b/2, and b's is b/2: b is the
    # biggest winner in every draw under the compromise, nobody under never (no forecast)
    assert data["biggest_winner"] == {
        "compromise": {"a": 0.0, "b": 1.0},
        "never": {"a": 0.0, "b": 0.0},
    }
    assert data["confrontation"] == {}


def test_the_json_of_monte_carlo_confrontations() -> None:
    # The EC case has no uncertain number: every draw is the point forecast, in which
    # Luxembourg and Ireland each confront Belgium (test_expected_utility.py's
    # test_monte_carlo_confrontations_count_either_direction): share 1.0 for those two
    # pairs, 0 for the other 43 of the 10 actors' 45 pairs.
    r = u.simulate(sc.load("ec-emissions-1994"), "expected-utility", draws=4)
    (key,) = r.to_dict()["confrontation"]
    assert key == "emissions|expected-utility"
    pairs = r.to_dict()["confrontation"][key]
    assert len(pairs) == 45
    assert all(list(p) == ["actors", "share"] for p in pairs)
    ones = [p["actors"] for p in pairs if p["share"] == 1.0]
    assert sorted(ones) == [["belgium", "ireland"], ["belgium", "luxembourg"]]
    assert sum(p["share"] for p in pairs) == 2.0


def test_a_study_works_out_its_inputs_once_and_keeps_eight_scenarios(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # _study caches the uncertain inputs and draw plan of the last eight scenarios studied,
    # by identity: a study of three blocks lists its inputs once, not three times; a ninth
    # scenario drops the first, which is then listed again; and a cached entry whose id has
    # been taken by another scenario is not used for this one.
    calls: list[str] = []
    real = _blocks.uncertain_inputs

    def counted(scenario: sc.Scenario, **kwargs: Any) -> Any:
        calls.append(scenario.name)
        return real(scenario, **kwargs)

    monkeypatch.setattr(_blocks, "uncertain_inputs", counted)
    monkeypatch.setattr(_blocks, "_STUDIES", {})
    first = uniform_scenario()
    for k in range(3):  # three blocks of 100 draws, one listing
        _blocks.run_block(first, ["compromise"], {}, 1, k, 100)
    assert calls == ["uniform"]
    others = [uniform_scenario().model_copy(update={"name": f"s{k}"}) for k in range(8)]
    for k, other in enumerate(others[:7]):  # eight scenarios in all: the first still kept
        _blocks.run_block(other, ["compromise"], {}, 1, 0, 10)
        assert len(_blocks._STUDIES) == k + 2
    _blocks.run_block(first, ["compromise"], {}, 1, 0, 10)
    assert calls == ["uniform"] + [f"s{k}" for k in range(7)]
    _blocks.run_block(others[7], ["compromise"], {}, 1, 0, 10)  # the ninth: the first goes
    assert len(_blocks._STUDIES) == 8
    assert id(first) not in _blocks._STUDIES
    _blocks.run_block(first, ["compromise"], {}, 1, 0, 10)
    assert calls[-2:] == ["s7", "uniform"]
    # another scenario's entry under this one's id (as when an id is reused): not taken
    _, _, plan = _blocks._STUDIES[id(others[7])]
    _blocks._STUDIES[id(first)] = (others[7], [], plan)
    inputs, _ = _blocks._study(first)
    assert [i.key for i in inputs] == ["b:x:position"]
    assert _blocks._STUDIES[id(first)][0] is first


def test_a_study_reports_its_progress_block_by_block(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2 x 4096 + 10 draws: three blocks, progress after each with the draws done so far
    draws = 2 * u.BLOCK + 10
    monkeypatch.setenv("STATECRAFT_THREADS", "1")  # one block at a time: in their order
    calls: list[tuple[int, int]] = []
    u.simulate(uniform_scenario(), "compromise", draws=draws, progress=lambda *a: calls.append(a))
    assert calls == [(4096, 8202), (8192, 8202), (8202, 8202)]
    # Two blocks at a time on threads: the blocks finish in any order (the 10-draw block
    # may come before the second 4096), but each report still adds one block's draws
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    monkeypatch.setattr(u, "block_threads", lambda *a, **k: 2)
    calls = []
    u.simulate(uniform_scenario(), "compromise", draws=draws, progress=lambda *a: calls.append(a))
    done = [0] + [d for d, _ in calls]
    assert sorted(b - a for a, b in itertools.pairwise(done)) == [10, 4096, 4096]
    assert {total for _, total in calls} == {8202}


def test_a_study_by_default_and_its_options() -> None:
    # The defaults: the first registered model (the compromise), 10,000 draws, seed 0; the
    # same bytes as asking for them by name
    s = uniform_scenario()
    plain = u.simulate(s)
    assert (plain.models, plain.draws, plain.seed) == (("compromise",), 10_000, 0)
    named = u.simulate(s, "compromise", draws=10_000, seed=0)
    assert plain.to_dict() == named.to_dict()
    # options reach the models: one that no model run takes is refused
    with pytest.raises(ValueError, match="unknown option 'rounds'"):
        u.simulate(s, "compromise", options={"rounds": 3}, draws=10)


def test_only_a_budget_given_refuses_a_draw_it_cannot_hold() -> None:
    # test_budget.py's case: the spatial model's one run on 300 actors declares 2.3 GiB,
    # more than the default budget of 512 MiB. check_models refuses it against a budget the
    # caller gave (strict), not against the default (the web app's and advise's check).
    from tests.test_budget import crowd

    s = crowd(300)
    (built,) = u.check_models(s, ["spatial"], {})
    assert built.name == "spatial"
    with pytest.raises(sc.MemoryLimitError, match=r"needs at least 2\.3 GiB for one draw"):
        u.check_models(s, ["spatial"], {}, strict=True)


def test_forecasts_at_either_end_of_the_scale_fall_in_the_end_bins() -> None:
    # No uncertain number: on lo both actors stand at 0 (scale 0..100), on hi both at 200
    # (scale 0..200), so every draw's forecast is the scale's end. Of the 2,000 bins, lo's
    # draws all fall in the first, [0, 0.05), and hi's in the last, [199.9, 200]; read
    # linearly within the bin, the q-quantile is 0.05 q on lo and 199.9 + 0.1 q on hi:
    # median 0.025 and 199.95, 80% (0.005, 0.045) and (199.91, 199.99), 95% (0.00125,
    # 0.04875) and (199.9025, 199.9975). The mean is the end itself.
    stance = {"position": 0, "salience": 1}
    top = {"position": 200, "salience": 1}
    s = sc.Scenario.model_validate(
        {
            "name": "ends",
            "title": "Forecasts at the ends",
            "issues": [
                {"id": "lo", "label": "Lo", "scale": {"low": 0, "high": 100}},
                {"id": "hi", "label": "Hi", "scale": {"low": 0, "high": 200}},
            ],
            "actors": [
                {"id": a, "capability": 1, "stances": {"lo": stance, "hi": top}} for a in ("a", "b")
            ],
        }
    )
    r = u.simulate(s, "compromise", draws=300)
    lo, hi = r.summary("lo", "compromise"), r.summary("hi", "compromise")
    assert len(lo.histogram) == len(hi.histogram) == u.BINS
    assert (int(lo.histogram[0]), int(hi.histogram[-1])) == (300, 300)
    exact = 1e-9  # the bins' arithmetic in floats: a few units in the last place
    assert (lo.mean, hi.mean) == (0.0, 200.0)
    assert lo.median == pytest.approx(0.025, abs=exact)
    assert lo.interval80 == pytest.approx((0.005, 0.045), abs=exact)
    assert lo.interval95 == pytest.approx((0.00125, 0.04875), abs=exact)
    assert hi.median == pytest.approx(199.95, abs=exact)
    assert hi.interval80 == pytest.approx((199.91, 199.99), abs=exact)
    assert hi.interval95 == pytest.approx((199.9025, 199.9975), abs=exact)


def test_a_block_run_in_chunks_counts_every_chunks_forecasts() -> None:
    # test_budget.py's crowd of 200 actors on 10 issues at a budget of 64 MiB: blocks of
    # 290 draws, run in chunks of 137. 274 draws: one block, two chunks of 137; 300 draws:
    # blocks of 290 (chunks 137, 137, 16) and 10. Every draw's forecast counts, each once.
    from tests.test_budget import crowd

    s = crowd(200, 10)
    for draws in (274, 300):
        r = u.simulate(s, "compromise", draws=draws, memory="64M", seed=2)
        for issue in s.issues:
            summary = r.summary(issue.id, "compromise")
            assert summary.draws == draws
            assert int(summary.histogram.sum()) == draws


def test_a_model_that_skips_the_first_issue_reports_the_next() -> None:
    # The Nash solution bargains from the status quo: p has none, so Nash skips it, and q
    # (status quo 0) is still summarised, over every draw; the compromise has both.
    both = {"p": {"position": 0, "salience": 1}, "q": {"position": 0, "salience": 1}}
    b = {
        "p": {"position": 100, "salience": 1},
        "q": {"position": {"value": 50, "low": 0, "high": 100}, "salience": 1},
    }
    s = sc.Scenario.model_validate(
        {
            "name": "skip",
            "title": "One issue without a status quo",
            "issues": [
                {"id": "p", "label": "P", "scale": {"low": 0, "high": 100}},
                {"id": "q", "label": "Q", "scale": {"low": 0, "high": 100}, "status_quo": 0},
            ],
            "actors": [
                {"id": "a", "capability": 1, "stances": both},
                {"id": "b", "capability": 1, "stances": b},
            ],
        }
    )
    r = u.simulate(s, ["nash", "compromise"], draws=200, seed=1)
    assert [(x.issue, x.model) for x in r.issues] == [
        ("q", "nash"),
        ("p", "compromise"),
        ("q", "compromise"),
    ]
    assert r.summary("q", "nash").draws == 200
    with pytest.raises(KeyError, match="no summary for issue 'p' and model 'nash'"):
        r.summary("p", "nash")


def test_a_study_is_refused_when_its_block_and_chunk_outgrow_the_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # test_budget.py's crowd of 200 actors on 10 issues at a budget of 64 MiB: blocks of 290
    # draws of inputs (115,360 bytes a draw) held while the compromise runs a chunk of 137
    # draws, each needing 64 x 200 x 10 = 128,000 bytes and its inputs: 290 x 115,360 +
    # 137 x (128,000 + 115,360) = 33,454,400 + 33,340,320 = 66,794,720 bytes at the peak. A
    # machine allowing exactly that runs it; one byte less refuses it. (A chunk of the whole
    # block, 290 draws, would need 104,028,800; one draw, 33,697,760.)
    from tests.test_budget import crowd

    s = crowd(200, 10)
    monkeypatch.setenv("STATECRAFT_MEMORY", "66794720")
    u.check_models(s, ["compromise"], {}, memory=64 * 2**20)
    monkeypatch.setenv("STATECRAFT_MEMORY", "66794719")
    with pytest.raises(sc.MemoryLimitError, match="needs about 64 MiB at its peak"):
        u.check_models(s, ["compromise"], {}, memory=64 * 2**20)


def test_a_budget_given_sizes_the_chunks_of_the_numpy_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # test_budget.py's case (300 draws at 64 MiB: blocks of 290 and 10 draws, chunks of 137)
    # with the NumPy draws, whatever else this process has loaded: the budget reaches every
    # block, not only when the blocks take other arguments (the compiled draws, a gains plan).
    from tests.test_budget import compromise_calls, crowd

    seen = compromise_calls(monkeypatch)
    monkeypatch.setenv("STATECRAFT_DRAW_ENGINE", "numpy")
    u.simulate(crowd(200, 10), "compromise", draws=300, memory="64M")
    assert seen == [137, 137, 16, 10]
