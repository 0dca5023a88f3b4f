"""The backtest by hand (issue 22): the leaderboard's order, its records, repr and JSON,
options and capabilities reaching the models, and every refusal, on a table of two
proposals and three issues built here, each figure worked in the docstrings."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from statecraft.analysis.backtest import backtest
from statecraft.io.deu import read_deu
from statecraft.scenario import Scenario
from tests.test_deu import _table


def _small(tmp_path: Path) -> Any:
    """Two proposals, three issues; the Commission and Germany alone take positions, each with
    salience 100, so with equal capabilities the compromise is the mean of the two:

    - p1i1 (p1, COD, QMV): com 60, de 20: compromise 40; reference point 0; outcome 50
    - p1i2 (p1, COD, QMV): com 100, de 40: compromise 70; no reference point; outcome 40
    - p2i1 (p2, CNS, Unanimity): com 0, de 40: compromise 20; reference point 10; outcome 20
    """

    def row(p: str, i: str, proc: str, rule: str, com: str, de: str, rp: str, out: str) -> Any:
        return [p, i, p, proc, rule, "01-01-05", com, "", de, "", "100", "", "100", "", rp, out]

    rows = [
        row("p1", "p1i1", "COD", "QMV", "60", "20", "0", "50"),
        row("p1", "p1i2", "COD", "QMV", "100", "40", "", "40"),
        row("p2", "p2i1", "CNS", "Unanimity", "0", "40", "10", "20"),
    ]
    return read_deu(_table(tmp_path, rows))


#: Forecasts made elsewhere (``extra``), one per issue of ``_small``, NaN where none.
_EXTRA = {
    "better": [45.0, 50.0, 20.0],  # errors 5, 10, 0
    "worse": [70.0, 70.0, 40.0],  # errors 20, 30, 20
    "tie": [70.0, 60.0, 20.0],  # errors 20, 20, 0: the compromise's MAE, a difference of 0
    "h1": [50.0, 60.0, math.nan],  # errors 0, 20 on p1's two issues
    "h3": [35.0, math.nan, math.nan],  # error 15 on p1i1
    "h2": [math.nan, math.nan, 25.0],  # error 5 on p2i1
}


def test_leaderboard_by_hand(tmp_path: Path) -> None:
    """The compromise's errors are 10, 30 and 0 (MAE 40/3, RMSE sqrt(1000/3), median 10).

    Every other score's ``vs_compromise`` is the mean of (|error| - |compromise error|) on
    the issues both forecast:

    - better: (-5 - 20 + 0) / 3 = -25/3; worse: (10 + 0 + 20) / 3 = 10; tie: (10 - 10 + 0) / 3 = 0
    - h1 (p1's issues): ((0 - 10) + (20 - 30)) / 2 = -10, MAE 10
    - h3 (p1i1): 15 - 10 = 5, MAE 15; h2 (p2i1): 5 - 0 = 5, MAE 5
    - status-quo (p1i1, p2i1: errors 50 and 10): ((50 - 10) + (10 - 0)) / 2 = 25, MAE 30

    The leaderboard: first those scored on all three issues, by that difference (better, then
    the compromise at 0 ahead of tie, also at 0, then worse); then those scored on fewer
    (``apart``): h1 (-10), then h2 and h3 (both 5) by MAE (5 before 15), then status-quo.
    By MAE alone h2 (5) would come before h1 (10), and better after the compromise.

    The bootstrap resamples the two proposals: a resample holds p1 twice, p2 twice, or one of
    each, each pure one about 500 times in 2,000, so the 2.5% and 97.5% percentiles are the
    pure resamples' values: the compromise's MAE 20 on (10, 30, 10, 30) and 0 on (0, 0), so
    (0, 20); its RMSE sqrt(500) and 0; better's difference (-5 - 20) / 2 = -12.5 and 0.

    Calibration: two proposals make two folds, each issue's predictive distribution its
    forecast plus the other fold's errors as shares of the scale (0 to 100). The compromise
    on p1's issues: p2's share is 0, a point mass at the forecast, CRPS = |error| = 10 and
    30, both outside every interval; on p2i1: 20 + 100 x (0.1, -0.3) = (30, -10), held within
    the scale at (30, 0): CRPS = E|X - 20| - E|X - X'| / 2 = 15 - 15 / 2 = 7.5, inside both
    intervals (linear quantiles 3 and 27; 0.75 and 29.25). Mean CRPS 47.5 / 3, coverage 1/3.
    """
    result = backtest(_small(tmp_path), ["compromise", "status-quo"], extra=_EXTRA)
    order = [s.model for s in result.leaderboard()]
    assert order == ["better", "compromise", "tie", "worse", "h1", "h2", "h3", "status-quo"]
    scores = {s.model: s for s in result.scores}
    c = scores["compromise"]
    assert (c.n, c.shared_issues, c.apart) == (3, 3, False)
    assert c.mae == pytest.approx(40 / 3)
    assert c.rmse == pytest.approx((1000 / 3) ** 0.5)
    assert c.median_ae == 10.0
    assert c.vs_compromise is None  # the yardstick itself
    assert c.mae_ci == pytest.approx((0.0, 20.0))
    assert c.rmse_ci == pytest.approx((0.0, 500**0.5))
    assert c.median_ae_ci == pytest.approx((0.0, 20.0))
    assert c.crps == pytest.approx(47.5 / 3)
    assert (c.coverage80, c.coverage95) == pytest.approx((1 / 3, 1 / 3))
    assert scores["better"].vs_compromise == pytest.approx(-25 / 3)
    assert scores["better"].vs_compromise_ci == pytest.approx((-12.5, 0.0))
    assert scores["tie"].vs_compromise == 0.0
    expected = {  # model: (n, shared, apart, MAE, vs_compromise)
        "worse": (3, 3, False, 70 / 3, 10.0),
        "h1": (2, 2, True, 10.0, -10.0),
        "h3": (1, 1, True, 15.0, 5.0),
        "h2": (1, 1, True, 5.0, 5.0),
        "status-quo": (2, 2, True, 30.0, 25.0),
    }
    for name, (n, shared, apart, mae, diff) in expected.items():
        s = scores[name]
        assert (s.n, s.shared_issues, s.apart) == (n, shared, apart), name
        assert (s.mae, s.vs_compromise) == pytest.approx((mae, diff)), name
    # the status quo's errors 50 (p1) and 10 (p2): pure resamples give 50 and 10
    assert scores["status-quo"].mae_ci == pytest.approx((10.0, 50.0))
    assert scores["status-quo"].vs_compromise_ci == pytest.approx((10.0, 40.0))


def test_leaderboard_records_and_summary_by_hand(tmp_path: Path) -> None:
    """The flat records and the repr follow the leaderboard, with the numbers of
    test_leaderboard_by_hand; to_records has one row per issue, None where a model made no
    forecast."""
    result = backtest(_small(tmp_path), ["compromise", "status-quo"], extra=_EXTRA)
    records = result.leaderboard_records()
    assert [r["model"] for r in records] == [s.model for s in result.leaderboard()]
    assert records[0] == {
        "model": "better",
        "n": 3,
        "shared_issues": 3,
        "apart": False,
        "mae": pytest.approx(5.0),
        "mae_low": pytest.approx(0.0),
        "mae_high": pytest.approx(7.5),  # p1 twice: errors 5 and 10
        "rmse": pytest.approx((125 / 3) ** 0.5),  # (25 + 100 + 0) / 3
        "median_ae": pytest.approx(5.0),
        "vs_compromise": pytest.approx(-25 / 3),
        "vs_compromise_low": pytest.approx(-12.5),
        "vs_compromise_high": pytest.approx(0.0),
        # p1's issues: p2's share 0, point masses, CRPS 5 and 10; p2i1: 20 + 100 x (0.05,
        # -0.1) = (25, 10): (5 + 10) / 2 - 15 / 2 / 2 = 3.75; mean 18.75 / 3
        "crps": pytest.approx(6.25),
        "coverage80": pytest.approx(1 / 3),
        "coverage95": pytest.approx(1 / 3),
    }
    compromise = records[1]
    assert compromise["model"] == "compromise"
    assert compromise["vs_compromise"] is None
    assert compromise["vs_compromise_low"] is None
    assert compromise["vs_compromise_high"] is None
    assert compromise["crps"] == pytest.approx(47.5 / 3)
    frame = result.leaderboard_frame()
    assert list(frame["model"]) == [r["model"] for r in records]
    assert list(frame["mae"]) == pytest.approx([r["mae"] for r in records])
    assert repr(result).splitlines() == [
        "Backtest of 3 issues, 8 models, 2,000 bootstrap resamples (seed 0)",
        "  better: MAE 5 on 3 issues",
        "  compromise: MAE 13.33 on 3 issues",
        "  tie: MAE 13.33 on 3 issues",
    ]
    rows = result.to_records()
    assert [r["issue"] for r in rows] == ["p1i1", "p1i2", "p2i1"]
    assert rows[0] == {
        "issue": "p1i1",
        "proposal": "p1",
        "procedure": "COD",
        "voting_rule": "QMV",
        "actual": 50.0,
        "compromise": 40.0,
        "status-quo": 0.0,
        **{name: (None if math.isnan(v[0]) else v[0]) for name, v in _EXTRA.items()},
    }
    assert rows[1]["status-quo"] is None  # p1i2 has no reference point
    assert rows[1]["compromise"] == pytest.approx(70.0)
    assert (rows[2]["h2"], rows[2]["h1"], rows[2]["compromise"]) == (25.0, None, 20.0)


def _rounded(x: Any) -> Any:
    """The JSON with every float rounded to 9 decimals (sums in another order differ in the
    last bits only)."""
    if isinstance(x, float):
        return round(x, 9)
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_rounded(v) for v in x]
    return x


def test_json_by_hand(tmp_path: Path) -> None:
    """to_dict on _small with the compromise, the status quo and h2 (error 5 on p2i1 only),
    every number worked by hand as in test_leaderboard_by_hand. The status quo: errors 50
    (p1i1) and 10 (p2i1): RMSE sqrt((2500 + 100) / 2), median 30; in its calibration each
    issue's predictive distribution is one point, its forecast plus the other fold's error
    (0 + 10 and 10 + 50), CRPS |10 - 50| = |60 - 20| = 40, never inside an interval. h2 has
    one issue, in one fold: no errors elsewhere to build a predictive distribution from, so
    no calibration score. By group: COD/QMV holds p1's issues, CNS/Unanimity p2's."""
    nan = math.nan
    table = _small(tmp_path)
    result = backtest(
        table, ["compromise", "status-quo"], extra={"h2": [nan, nan, 25.0]}, fitted={"h2": "x"}
    )
    third = round(1 / 3, 9)

    compromise = {
        "model": "compromise",
        "n": 3,
        "shared_issues": 3,
        "apart": False,
        "mae": round(40 / 3, 9),
        "mae_ci": [0.0, 20.0],
        "rmse": round((1000 / 3) ** 0.5, 9),
        "rmse_ci": [0.0, round(500**0.5, 9)],
        "median_ae": 10.0,
        "median_ae_ci": [0.0, 20.0],
        "vs_compromise": None,
        "vs_compromise_ci": None,
        "crps": round(47.5 / 3, 9),
        "coverage80": third,
        "coverage95": third,
    }
    h2 = {
        "model": "h2",
        "n": 1,
        "shared_issues": 1,
        "apart": True,
        "mae": 5.0,
        "mae_ci": [5.0, 5.0],
        "rmse": 5.0,
        "rmse_ci": [5.0, 5.0],
        "median_ae": 5.0,
        "median_ae_ci": [5.0, 5.0],
        "vs_compromise": 5.0,
        "vs_compromise_ci": [5.0, 5.0],
        "crps": None,
        "coverage80": None,
        "coverage95": None,
    }
    status_quo = {
        "model": "status-quo",
        "n": 2,
        "shared_issues": 2,
        "apart": True,
        "mae": 30.0,
        "mae_ci": [10.0, 50.0],
        "rmse": round(1300**0.5, 9),
        "rmse_ci": [10.0, 50.0],
        "median_ae": 30.0,
        "median_ae_ci": [10.0, 50.0],
        "vs_compromise": 25.0,
        "vs_compromise_ci": [10.0, 40.0],  # (50 - 10) and (10 - 0)
        "crps": 40.0,
        "coverage80": 0.0,
        "coverage95": 0.0,
    }
    p1 = {
        "compromise": {"n": 2, "mae": 20.0},
        "status-quo": {"n": 1, "mae": 50.0},
        "h2": {"n": 0, "mae": None},
    }
    p2 = {
        "compromise": {"n": 1, "mae": 0.0},
        "status-quo": {"n": 1, "mae": 10.0},
        "h2": {"n": 1, "mae": 5.0},
    }
    why = "not a number: no value could be computed"
    assert _rounded(result.to_dict()) == {
        "issues": 3,
        "proposals": 2,
        "skipped": {},
        "capability": "equal",
        "bootstrap": {"replicates": 2000, "seed": 0, "over": "proposals"},
        "calibration": {
            "folds": 2,
            "seed": 0,
            "grouped_by": "proposal",
            "levels": [0.8, 0.95],
            "predictive": "forecast + the same model's errors on the issues of the other "
            "folds, held within the scale",
        },
        "ranking": {
            "by": "vs_compromise",
            "yardstick": "compromise",
            "apart": "scored on fewer issues than the yardstick; ranked after the others, "
            "by vs_compromise on the issues they share",
        },
        "leaderboard": [compromise, h2, status_quo],
        "by_group": {
            "procedure: COD": p1,
            "procedure: CNS": p2,
            "voting rule: QMV": p1,
            "voting rule: Unanimity": p2,
        },
        "fitted": {"h2": "x"},
        "nulls": [
            {"path": "/by_group/procedure: COD/h2/mae", "value": "NaN", "reason": why},
            {"path": "/by_group/voting rule: QMV/h2/mae", "value": "NaN", "reason": why},
        ],
    }
    assert "fitted" not in backtest(table, ["compromise"], replicates=10).to_dict()


def test_model_options_reach_the_models(tmp_path: Path) -> None:
    """The Nash solution on _small's p1i1 (status quo 0; com 60, de 20, equal weights):

    - quadratic utility (the default): the gains 3600 - (x - 60)^2 and 400 - (x - 20)^2;
      their product's first-order condition (60 - x) / (3600 - (60 - x)^2) = (x - 20) /
      (400 - (x - 20)^2) holds at x = 60 - 20 sqrt(3) = 25.36 (both sides sqrt(3) / 120);
    - linear utility: the gains x (com) and 20 - |x - 20| (de), whose product x^2 up to 20
      and x (40 - x) beyond peaks at 20.

    On p2i1 (status quo 10; com 0, de 40) no point gains for both: the status quo, 10.
    p1i2 has no status quo: no Nash forecast."""
    table = _small(tmp_path)
    linear = backtest(table, ["nash"], options={"nash": {"utility": "linear"}}, replicates=10)
    quadratic = backtest(table, ["nash"], replicates=10)
    assert list(linear.forecasts["nash"]) == pytest.approx([20.0, math.nan, 10.0], nan_ok=True)
    expected = [60 - 20 * 3**0.5, math.nan, 10.0]
    assert list(quadratic.forecasts["nash"]) == pytest.approx(expected, nan_ok=True)


def test_a_capability_given_per_issue_reaches_the_proposal(tmp_path: Path) -> None:
    """read_deu gives each actor one capability, but a DeuIssue built by hand may give a
    stance its own: proposal_scenario keeps it per issue. With the Commission's capability
    3 on p1i1 only, the compromise there is (3 x 60 + 1 x 20) / 4 = 50 (40 with equal
    capabilities); on p1i2 it stays (100 + 40) / 2 = 70."""
    from statecraft.analysis.backtest import proposal_scenario

    table = _small(tmp_path)
    data = table.issues[0].scenario.model_dump(mode="json", exclude_none=True)
    data["actors"][0]["stances"]["x"]["capability"] = 3.0  # com's stance on p1i1
    first = replace(table.issues[0], scenario=Scenario.model_validate(data))
    s = proposal_scenario([first, table.issues[1]])
    assert (s.actor("com").capability_on("p1i1"), s.actor("com").capability_on("p1i2")) == (3, 1)
    weighted = replace(table, issues=(first, *table.issues[1:]))
    forecasts = backtest(weighted, ["compromise"], replicates=10).forecasts["compromise"]
    assert list(forecasts) == pytest.approx([50.0, 70.0, 20.0])


def test_a_proposal_that_cannot_be_one_scenario_is_named(tmp_path: Path) -> None:
    """read_deu checks the ids; a table built by hand with two issues of p1 under one id
    cannot make one scenario, and the error names the proposal and the duplicate."""
    from statecraft.analysis.backtest import proposal_scenario
    from statecraft.errors import ScenarioError

    table = _small(tmp_path)
    twin = replace(table.issues[1], issue="p1i1")
    with pytest.raises(ScenarioError) as caught:
        proposal_scenario([table.issues[0], twin])
    assert str(caught.value) == (
        "proposal 'p1' (issues[1].id): duplicate issue id 'p1i1' (first used by issues[0]) "
        "(got 'p1i1')"
    )


SAL = ("100", "", "100", "")  # the saliences of com, ep, de, fr


def test_replicates_must_be_whole_and_folds_default_to_ten(tmp_path: Path) -> None:
    """100.0 lies within the bounds but is not a whole number: refused as such (True and 2.5
    are refused either way). Eleven proposals of one issue each (outcome 50, the
    Commission at 40 and Germany at 60): the default is ten folds of proposals."""
    table = _small(tmp_path)
    for bad in (100.0, True, 2.5):
        with pytest.raises(ValueError, match=r"^replicates must be a whole number, not "):
            backtest(table, ["compromise"], replicates=bad)  # type: ignore[arg-type]
    (tmp_path / "many").mkdir()
    rows = [
        [f"p{k}", f"p{k}i1", "P", "COD", "QMV", "01-01-05", "40", "", "60", "", *SAL, "0", "50"]
        for k in range(11)
    ]
    many = read_deu(_table(tmp_path / "many", rows))
    assert len(many.proposals) == 11
    result = backtest(many, ["compromise"], replicates=10)
    assert result.folds == 10
    assert result.to_dict()["calibration"]["folds"] == 10
    assert backtest(many, ["compromise"], replicates=10, folds=11).folds == 11


def test_the_backtests_refusals_word_for_word(tmp_path: Path) -> None:
    """Each refusal's whole message; two folds (the fewest) are taken."""
    import re

    def exactly(message: str) -> str:
        return "^" + re.escape(message) + "$"

    table = _small(tmp_path)
    bounds = "replicates must lie between 10 and 100,000 (got 9): "
    with pytest.raises(
        ValueError, match=exactly(bounds + "a bootstrap's intervals settle long before")
    ):
        backtest(table, ["compromise"], replicates=9)
    with pytest.raises(ValueError, match=exactly("folds must be at least 2, got 1")):
        backtest(table, ["compromise"], replicates=10, folds=1)
    assert backtest(table, ["compromise"], replicates=10, folds=2).folds == 2
    with pytest.raises(ValueError, match=exactly("x: expected one forecast per issue (3)")):
        backtest(table, ["compromise"], replicates=10, extra={"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match=exactly("compromise: the name of a model or baseline")):
        backtest(table, ["compromise"], replicates=10, extra={"compromise": [1.0, 2.0, 3.0]})


def test_the_largest_number_of_replicates_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound on resamples is inclusive: ``MAX_REPLICATES`` itself is accepted and one more
    refused. 100,000 resamples would take seconds, so the bound is lowered to 12 (the check
    reads the module's constant when it runs) and 12 and 13 resamples tried."""
    import statecraft.analysis.backtest as module

    monkeypatch.setattr(module, "MAX_REPLICATES", 12)
    table = _small(tmp_path)
    assert backtest(table, ["compromise"], replicates=12).replicates == 12
    with pytest.raises(ValueError, match=r"^replicates must lie between 10 and 12 \(got 13\): "):
        backtest(table, ["compromise"], replicates=13)


def test_one_proposal_gets_no_calibration_and_unlabelled_issues_group_as_unknown(
    tmp_path: Path,
) -> None:
    """A table of one proposal (two issues, no procedure and no voting rule recorded) has no
    folds to hold out, so no CRPS and no coverage; its issues fall in the groups
    "procedure: unknown" and "voting rule: unknown". The Commission at 60 and 100, Germany at
    20 and 40 (salience 100 each): compromise 40 and 70 against outcomes 50 and 40, errors 10
    and 30, MAE 20 in each group."""
    rows = [
        ["p1", "p1i1", "p1", "", "", "01-01-05", "60", "", "20", "", *SAL, "0", "50"],
        ["p1", "p1i2", "p1", "", "", "01-01-05", "100", "", "40", "", *SAL, "", "40"],
    ]
    result = backtest(read_deu(_table(tmp_path, rows)), ["compromise"], replicates=10)
    assert result.folds is None
    (score,) = result.scores
    assert (score.crps, score.coverage80, score.coverage95) == (None, None, None)
    assert score.mae == pytest.approx(20.0)
    assert result.by_group == {
        "procedure: unknown": {"compromise": (2, pytest.approx(20.0))},
        "voting rule: unknown": {"compromise": (2, pytest.approx(20.0))},
    }
