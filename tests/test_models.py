"""Each model on small cases computed by hand, and on the published EC emissions case."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import statecraft as sc
from statecraft.arrays import IssueArrays
from statecraft.models import (
    Compromise,
    Median,
    Nash,
    condorcet_winner,
    get_model,
    nash_bargaining,
    weighted_mean,
    weighted_median,
)
from statecraft.models.registry import REGISTERED
from tests.conftest import SHARED_DATA, requires_shared


def test_registry_names_and_citations() -> None:
    models = sc.available_models()
    # The models are the registry's lines, in their order (adding a model touches no test).
    assert [f"{c.__module__}:{c.__name__}" for c in models.values()] == list(REGISTERED)
    assert list(models)[:3] == ["compromise", "median", "nash"]
    assert {"expected-utility", "exchange", "spatial"} <= set(models)
    for cls in models.values():
        assert cls.citation
        assert cls.title
        assert cls.__doc__
        assert cls.name.replace("-", "_") in str(cls.__module__)


def test_unknown_model_name() -> None:
    with pytest.raises(sc.UnknownModel, match="unknown model 'eu'; the models are"):
        get_model("eu")


def test_compromise_by_hand(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    # tax: weights 3*1, 1*0.5, 4*0.25 (c's per-issue capability 4) -> (180 + 0 + 100) / 4.5
    assert Compromise().predict(sc.issue_arrays(s, "tax")) == pytest.approx(280 / 4.5)
    # date: weights 3*0.5, 1*1 -> (3 + 8) / 2.5
    assert Compromise().predict(sc.issue_arrays(s, "date")) == pytest.approx(4.4)


def test_compromise_with_every_weight_zero_is_nan_without_a_warning() -> None:
    # 0 / 0: NaN, quietly (the suite turns warnings into errors, so a RuntimeWarning from
    # the division would fail here); a batch row with weight keeps its mean.
    from statecraft.models import weighted_mean

    got = weighted_mean(
        np.array([[10.0, 30.0], [10.0, 30.0]]),
        np.array([[1.0, 3.0], [1.0, 3.0]]),
        np.array([[0.0, 0.0], [1.0, 1.0]]),
    )
    assert np.isnan(got[0])
    assert got[1] == pytest.approx(25.0)  # (10 + 90) / 4


def test_median_by_hand(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    # tax: sorted 0 (0.5), 60 (3), 100 (1); half of 4.5 is reached at 60
    assert Median().predict(sc.issue_arrays(s, "tax")) == 60.0
    # date: 2 (1.5), 8 (1): more than half the weight at 2
    assert Median().predict(sc.issue_arrays(s, "date")) == 2.0


def test_median_tie_is_split_at_the_midpoint() -> None:
    assert float(weighted_median(np.array([10.0, 30.0]), np.array([2.0, 2.0]))) == 20.0
    # a zero-weight actor between the tied medians does not move the midpoint
    x, w = np.array([10.0, 15.0, 30.0]), np.array([2.0, 0.0, 2.0])
    assert float(weighted_median(x, w)) == 20.0
    assert condorcet_winner(x, w) is None


def test_condorcet_winner_by_hand() -> None:
    # 0 (w 2) beats 5 (w 0) and 10 (w 1) in pairwise votes, 2 to 1
    assert condorcet_winner(np.array([0.0, 5.0, 10.0]), np.array([2.0, 0.0, 1.0])) == 0.0


def test_condorcet_winner_away_from_zero_and_not_first() -> None:
    # 10 (w 2) beats 0 (w 1) and 5 (w 0), 2 to 1; the first candidate tried, 0, loses, so
    # the search must go on to the others rather than stop at the first loss.
    assert condorcet_winner(np.array([0.0, 5.0, 10.0]), np.array([1.0, 0.0, 2.0])) == 10.0
    # 30 (w 3) against 10 and 20 (w 1 each): the winner is not at either end of the list
    assert condorcet_winner(np.array([20.0, 30.0, 10.0]), np.array([1.0, 3.0, 1.0])) == 30.0


def test_median_tie_tolerance_is_relative_and_inclusive() -> None:
    # "Exactly half" means within 1e-9 x W, whatever the scale of the weights: a relative
    # gap of 1e-12 is a tie (midpoint 20) at weights near 1e-12, 1 and 1e12, and a gap of
    # 1e-3 is not (the median is 30, where more than half the weight stands).
    x = np.array([10.0, 30.0])
    for k in (1e-12, 1.0, 1e12):
        assert float(weighted_median(x, k * np.array([1.0, 1.0 + 1e-12]))) == 20.0, k
        assert float(weighted_median(x, k * np.array([1.0, 1.0 + 1e-3]))) == 30.0, k
    # at the edge of the tolerance: C_1 = W/2 - 1e-9 W exactly still counts as half
    w0 = 0.5 - 1e-9
    assert w0 + (1.0 - w0) == 1.0  # W is exactly 1, so W/2 - 1e-9 W is w0 itself
    assert float(weighted_median(x, np.array([w0, 1.0 - w0]))) == 20.0
    w0 = 0.5 + 1e-9  # and C_1 = W/2 + 1e-9 W: half too, not more than half
    assert w0 + (1.0 - w0) == 1.0
    assert float(weighted_median(x, np.array([w0, 1.0 - w0]))) == 20.0


def test_median_with_no_weight_is_nan() -> None:
    assert np.isnan(weighted_median(np.array([10.0, 30.0]), np.zeros(2)))
    got = weighted_median(np.array([[10.0, 30.0], [10.0, 30.0]]), np.array([[0, 0], [1, 3]]))
    assert np.isnan(got[0])
    assert got[1] == 30.0


def test_nash_by_hand_quadratic() -> None:
    # maximise log(3600 - (x-60)^2) + log(10000 - (x-100)^2): the root of
    # (x-60)/(3600-(x-60)^2) + (x-100)/(10000-(x-100)^2) = 0 is x = 71.0102...
    x = float(nash_bargaining(np.array([60.0, 100.0]), np.ones(2), np.ones(2), 0.0))
    d1, d2 = x - 60, x - 100
    assert d1 / (3600 - d1**2) + d2 / (10000 - d2**2) == pytest.approx(0.0, abs=1e-12)
    assert x == pytest.approx(71.0102051443, abs=1e-9)


def test_nash_by_hand_linear() -> None:
    # linear: gains are x (x<=60) then 120-x for the actor at 60, and x for the actor at 100;
    # log(120-x) + log(x) falls on (60, 100), so the solution is the kink at 60
    x = float(
        nash_bargaining(np.array([60.0, 100.0]), np.ones(2), np.ones(2), 0.0, utility="linear")
    )
    assert x == pytest.approx(60.0, abs=1e-9)


def test_nash_model_passes_its_issue_and_utility_through() -> None:
    # The model on the two cases worked by hand above: actors at 60 and 100, equal weights,
    # status quo 0: 71.0102 with quadratic utility (the default), 60 with linear.
    issue = IssueArrays(
        issue_id="x",
        actor_ids=("a", "b"),
        capability=np.array([2.0, 2.0]),
        position=np.array([60.0, 100.0]),
        salience=np.array([0.5, 0.5]),
        low=0.0,
        high=100.0,
        status_quo=0.0,
        actual=None,
    )
    assert float(Nash().predict(issue)) == pytest.approx(71.0102051443, abs=1e-9)
    assert float(Nash(utility="linear").predict(issue)) == pytest.approx(60.0, abs=1e-9)


def test_nash_is_the_status_quo_when_someone_would_lose(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    # on tax the status quo is 20; b (at 0) loses from any move up, a and c from any move down
    assert Nash().predict(sc.issue_arrays(s, "tax")) == 20.0


def test_nash_needs_a_status_quo(tiny: dict[str, Any]) -> None:
    s = sc.Scenario.model_validate(tiny)
    with pytest.raises(sc.NotApplicable, match="no status quo"):
        Nash().predict(sc.issue_arrays(s, "date"))


def test_nash_rejects_unknown_utility() -> None:
    with pytest.raises(ValueError, match="option utility must be one of quadratic, linear"):
        Nash(utility="cubic")  # type: ignore[arg-type]


def test_models_take_a_batch_axis() -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 100, size=(50, 6))
    c = rng.uniform(0.1, 5, size=(50, 6))
    s = rng.uniform(0, 1, size=(50, 6))
    batched = weighted_mean(x, c, s)
    looped = np.array([weighted_mean(x[k], c[k], s[k]) for k in range(50)])
    np.testing.assert_array_equal(batched, looped)
    wm = weighted_median(x, c * s)
    np.testing.assert_array_equal(wm, [weighted_median(x[k], c[k] * s[k]) for k in range(50)])
    q = np.zeros(50)
    nb = nash_bargaining(x, c, s, q)
    np.testing.assert_allclose(nb, [nash_bargaining(x[k], c[k], s[k], 0.0) for k in range(50)])


# --- the published EC emissions case -----------------------------------------------------------
def test_ec_emissions_compromise_and_median() -> None:
    f = sc.forecast("ec-emissions-1994")
    # nash needs a status quo: left out
    assert f.model_names == ("compromise", "median", "expected-utility")
    assert round(f.value("emissions", "compromise"), 3) == 7.390
    assert f.value("emissions", "median") == 7.0


@requires_shared
def test_builtin_ec_case_matches_the_shared_csv() -> None:
    import csv

    path = SHARED_DATA / "cases" / "ec-emissions-1994.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in text if not line.startswith("#")))
    s = sc.load("ec-emissions-1994")
    assert [r["actor"] for r in rows] == [a.display_name for a in s.actors]
    for r, a in zip(rows, s.actors, strict=True):
        stance = a.stances["emissions"]
        assert a.capability.value == float(r["capability"])
        assert stance.position.value == float(r["position"])
        assert stance.salience.value == pytest.approx(float(r["salience"]) / 100)
