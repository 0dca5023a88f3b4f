"""The ensemble's mixture of histograms and its weight rules, by hand (issue 22: survivors
of the verdict module's mutation run, 2026-12-07)."""

from __future__ import annotations

import re

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
