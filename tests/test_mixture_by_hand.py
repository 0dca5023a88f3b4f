"""The ensemble's mixture of histograms and its weight rules, by hand (issue 22: survivors
of the verdict module's mutation run, 2026-12-07)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from statecraft.analysis._mixture import mixture, model_weights


def test_a_mixture_uses_only_models_with_draws_and_a_weight() -> None:
    """A (one draw, in bin 2; weight 1) and B (three draws, in bins 0, 0 and 1; weight 3)
    mix to 1/4 x (0, 0, 1) + 3/4 x (2/3, 1/3, 0) = (1/2, 1/4, 1/4). C has no draws and D a
    weight of 0: neither counts, and neither does E, which has no weight at all."""
    histograms = {
        "A": np.array([0, 0, 1]),
        "B": np.array([2, 1, 0]),
        "C": np.array([0, 0, 0]),
        "D": np.array([5, 0, 0]),
        "E": np.array([0, 9, 0]),
    }
    weights = {"A": 1.0, "B": 3.0, "C": 2.0, "D": 0.0}
    assert mixture(histograms, weights).tolist() == pytest.approx([0.5, 0.25, 0.25], abs=1e-15)


def test_a_mixture_of_nothing_is_zeros_of_the_histograms_shape() -> None:
    """The only weighted model has no draws, the one with draws has no weight: all zeros,
    floats, in the histograms' shape; with no histogram at all, a single zero."""
    out = mixture(
        {"A": np.zeros(4, dtype=np.int64), "B": np.array([1, 2, 3, 4])}, {"A": 1.0, "B": 0.0}
    )
    assert out.dtype == np.float64
    assert out.tolist() == [0.0, 0.0, 0.0, 0.0]
    empty = mixture({}, {})
    assert empty.dtype == np.float64
    assert empty.tolist() == [0.0]


def test_the_backtest_rule_refuses_a_model_without_a_record_word_for_word() -> None:
    message = (
        "the model 'oracle' has no backtest record, so the 'backtest' weights cannot weigh it: "
        "use the 'equal' rule or give a weight per model"
    )
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        model_weights(["compromise", "oracle"], "backtest")


def test_the_weight_rules_refusals_word_for_word() -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (
            lambda: model_weights(["compromise"], "best"),
            "unknown weight rule 'best'; the rules are: equal, backtest "
            "(or give a weight per model)",
        ),
        (
            lambda: model_weights(["compromise"], 3),  # type: ignore[arg-type]
            "weights must be a rule's name (equal, backtest) or a mapping from model to weight, "
            "not int",
        ),
        (
            lambda: model_weights(["compromise", "median"], {"nash": 1.0}),
            "a weight is given for 'nash', which is not among the models run (compromise, median)",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            call()


def test_quantiles_of_a_histogram_by_hand() -> None:
    """Four bins of width 10 over [0, 40]. The q-quantile is low + (k + f) x 10, where k is the
    first bin whose cumulative count reaches q x total and f the share of bin k's count
    needed to reach it from the counts before.

    Counts (1, 1, 2, 0), cumulative (1, 2, 4, 4): q = 0.125: target 0.5 in bin 0, f = 0.5/1,
    5; q = 0.25: target 1, bin 0 full, 10; q = 0.375: target 1.5, bin 1, (1.5 - 1)/1, 15;
    q = 0.75: target 3, bin 2, (3 - 2)/2, 25. Counts (1, 1, 1, 1): q = 0.9, target 3.6, bin
    3, 36. Counts (0, 2, 2, 0) at q = 0: bin 0 reaches 0 with nothing in it, f = 0: 0. No
    counts: NaN."""
    from statecraft.analysis._mixture import quantile

    uneven = np.array([1, 1, 2, 0])
    got = [quantile(uneven, q, 0.0, 40.0) for q in (0.125, 0.25, 0.375, 0.75)]
    assert got == pytest.approx([5.0, 10.0, 15.0, 25.0], abs=1e-12)
    assert quantile(np.ones(4), 0.9, 0.0, 40.0) == pytest.approx(36.0, abs=1e-12)
    assert quantile(np.array([0, 2, 2, 0]), 0.0, 0.0, 40.0) == 0.0
    assert np.isnan(quantile(np.array([]), 0.5, 0.0, 40.0))
    assert np.isnan(quantile(np.zeros(4), 0.5, 0.0, 40.0))


@pytest.mark.parametrize("bad", [True, "1", float("inf"), float("nan"), -0.5])
def test_a_weight_must_be_a_finite_number_not_below_0(bad: object) -> None:
    """True (a bool, not a number here), a string, infinity, NaN and a negative weight are
    each refused with the same message; weights all 0 have their own."""
    message = f"the weight of 'compromise' must be a finite number >= 0, not {bad!r}"
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        model_weights(["compromise"], {"compromise": bad})  # type: ignore[dict-item]
    zeros = "the weights are all 0: give at least one model a weight above 0"
    with pytest.raises(ValueError, match="^" + re.escape(zeros) + "$"):
        model_weights(["compromise", "median"], {"compromise": 0, "median": 0.0})
