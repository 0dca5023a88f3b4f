"""The distributions of uncertain inputs (statecraft.analysis.draws) against analytic moments.

The references are closed forms: the triangular and PERT beta variances, and the truncated
normal's mean and standard deviation from scipy's ``truncnorm`` (Johnson, Kotz and
Balakrishnan, *Continuous Univariate Distributions*, vol. 1, 2nd ed., sec. 10.1).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import truncnorm

from statecraft.analysis.draws import UncertainInput, sample

N = 200_000


def _item(dist: str, low: float, value: float, high: float) -> UncertainInput:
    return UncertainInput(
        "a:x:position", "position", "a", "x", value, low, high, dist, (0.0, 100.0)
    )


def test_the_truncated_normal_has_the_analytic_moments() -> None:
    """Centred on 90 with standard deviation (100 - 60) / 4 = 10, truncated to [60, 100]:
    the bounds lie at -3 and +1 standard deviations, and scipy's truncnorm(-3, 1) gives mean
    87.172 and standard deviation 7.849. A spread of width / 3 (13.3) would give 85.28 and
    9.28; width / 5 (8), 88.37 and 6.70. With 200,000 draws the standard error of the mean
    is 7.85 / 447 = 0.018 and that of the standard deviation about 0.013: 0.07 is four of
    them, far under the gaps to the other spreads."""
    want = truncnorm(-3.0, 1.0, loc=90.0, scale=10.0)
    x = sample(_item("normal", 60.0, 90.0, 100.0), np.random.default_rng(2), N)
    assert x.min() >= 60.0
    assert x.max() <= 100.0
    assert x.mean() == pytest.approx(want.mean(), abs=0.07)
    assert x.std() == pytest.approx(want.std(), abs=0.07)
    assert want.mean() == pytest.approx(87.172, abs=1e-3)


def test_the_pert_beta_and_the_triangle_have_the_analytic_variances() -> None:
    """On [10, 40] with the mode at 20 (width 30). PERT: a = 1 + 4 x 10/30 = 7/3,
    b = 1 + 4 x 20/30 = 11/3, a + b = 6; variance ab / ((a + b)^2 (a + b + 1)) x 30^2 =
    (77/9) / 252 x 900 = 30.556, sd 5.528. Triangle: (10^2 + 20^2 + 40^2 - 10 x 20 -
    10 x 40 - 20 x 40) / 18 = 700 / 18 = 38.889, sd 6.236. Uniform: 30^2 / 12 = 75, sd 8.660.
    The standard error of a standard deviation over 200,000 draws is under 0.02; 0.06 is
    three of them (a PERT weight of 5 for 4 gives sd 5.15)."""
    for dist, var in (("beta", 77 / 9 / 252 * 900), ("triangular", 700 / 18), ("uniform", 75.0)):
        x = sample(_item(dist, 10.0, 20.0, 40.0), np.random.default_rng(4), N)
        assert x.std() == pytest.approx(math.sqrt(var), abs=0.06), dist


def test_perturb_gives_each_number_its_range_by_hand() -> None:
    """``perturb`` 0.1 on x (scale [10, 30], width 20): the status quo 29 gets 29 +- 0.1 x 20
    = [27, 31], clipped to the scale: [27, 30]; a's position 12 gets [10, 14] (10 clipped);
    numbers off the scale get value x (1 +- 0.1): the capability 4 [3.6, 4.4], above 0, and
    the salience 0.5 [0.45, 0.55], within 0..1. The spread of a status quo is the width's, not
    its value's (which would give [26.1, 30]). b's salience 0 gets 0 +- 0, no range, so no
    input. b's capability 1.7e308 gets 1.7e308 +- 1.7e307: the top, 1.87e308, is past the
    largest float (about 1.798e308), so the range stops there instead of at infinity."""
    from statecraft import Scenario
    from statecraft.analysis.draws import uncertain_inputs

    s = Scenario.model_validate(
        {
            "name": "perturbed",
            "title": "Perturbed",
            "perturb": {"relative": 0.1},
            "issues": [
                {"id": "x", "label": "X", "scale": {"low": 10, "high": 30}, "status_quo": 29}
            ],
            "actors": [
                {"id": "a", "capability": 4, "stances": {"x": {"position": 12, "salience": 0.5}}},
                {
                    "id": "b",
                    "capability": 1.7e308,
                    "stances": {"x": {"position": 20, "salience": 0}},
                },
            ],
        }
    )
    got = {i.key: i for i in uncertain_inputs(s)}
    sq = got["x:status_quo"]
    assert (sq.kind, sq.low, sq.high, sq.bounds) == ("status_quo", 27.0, 30.0, (10.0, 30.0))
    position = got["a:x:position"]
    assert (position.low, position.high, position.bounds) == (10.0, 14.0, (10.0, 30.0))
    capability = got["a:capability"]
    assert (capability.low, capability.high) == pytest.approx((3.6, 4.4), abs=1e-15)
    assert capability.bounds == (np.finfo(float).tiny, np.inf)
    salience = got["a:x:salience"]
    assert (salience.low, salience.high) == pytest.approx((0.45, 0.55), abs=1e-15)
    assert salience.bounds == (0.0, 1.0)
    assert all(i.dist == "triangular" for i in got.values())
    assert (position.kind, position.actor, position.issue) == ("position", "a", "x")
    assert (sq.actor, sq.issue) == (None, "x")
    assert (capability.kind, capability.actor, capability.issue) == ("capability", "a", None)
    assert "b:x:salience" not in got
    big = got["b:capability"]
    assert (big.low, big.high) == (1.7e308 - 1.7e308 * 0.1, np.finfo(float).max)


def test_an_actual_outcome_with_a_range_is_the_last_input() -> None:
    """An actual outcome {value 60, low 55, high 70} on x (scale [0, 100]) is an input of
    its own, after the coded numbers (a's position, uniform on [20, 40]): kind "actual", no
    actor, triangular (the default), allowed the scale; ``actual=False`` leaves it out. The
    other issue's actual, a plain 5, has no range and no input."""
    from statecraft import Scenario
    from statecraft.analysis.draws import uncertain_inputs

    stance = {"position": {"value": 30, "low": 20, "high": 40, "dist": "uniform"}, "salience": 1}
    s = Scenario.model_validate(
        {
            "name": "actual",
            "title": "Actual",
            "issues": [
                {
                    "id": "x",
                    "label": "X",
                    "scale": {"low": 0, "high": 100},
                    "status_quo": 50,
                    "actual": {"value": 60, "low": 55, "high": 70},
                },
                {"id": "y", "label": "Y", "scale": {"low": 0, "high": 10}, "actual": 5},
            ],
            "actors": [
                {
                    "id": "a",
                    "capability": 1,
                    "stances": {"x": stance, "y": {"position": 1, "salience": 1}},
                },
            ],
        }
    )
    got = uncertain_inputs(s)
    assert [i.key for i in got] == ["a:x:position", "x:actual"]
    assert got[-1] == UncertainInput(
        "x:actual", "actual", None, "x", 60.0, 55.0, 70.0, "triangular", (0.0, 100.0)
    )
    assert got[0].dist == "uniform"
    assert [i.key for i in uncertain_inputs(s, actual=False)] == ["a:x:position"]
