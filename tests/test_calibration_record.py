"""The shipped error record read field by field, and the point forecast's predictive sample
on a scale that does not start at 0 (issue 22: survivors of the calibration module's
mutation run, 2026-12-07). The expectations come from the record's file read here with
``json``, not through the module, and from arithmetic shown in the docstrings."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import numpy as np
import pytest

from statecraft.analysis import calibration as cal
from statecraft.analysis._blocks import BINS
from statecraft.models import available_models
from tests.test_calibration import _point


def _shipped() -> dict[str, Any]:
    text = files("statecraft").joinpath("data", "model-errors.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_the_error_record_carries_what_its_file_says() -> None:
    """Every registered model's record: its name, residuals, counts, cross-validated scores,
    what it was fitted on, and the folds and seed of the cross-validation (10 and 0 in the
    file; 0 is also the field's default, so only the folds tell a record built without
    them, and the seed only when it is set to something else)."""
    data = _shipped()
    assert data["cross_validation"]["folds"] == 10
    models = list(available_models())
    assert len(models) == 7
    for name in models:
        record = cal.error_record(name)
        assert record is not None
        entry = data["models"][name]
        assert record.model == name
        assert record.residuals.tolist() == entry["residuals"]
        assert record.residuals.dtype == np.float64
        assert (record.issues, record.proposals) == (entry["issues"], entry["proposals"])
        assert dict(record.cross_validated) == entry["cross_validated"]
        assert dict(record.source) == data["fitted_on"]
        assert record.source["sha256"].startswith("bbfdf861")
        assert (record.folds, record.seed) == (10, 0)
        assert type(record.seed) is int
    assert cal.error_record("no-such-model") is None


def test_a_point_forecasts_sample_on_a_scale_from_10_to_20() -> None:
    """forecast + r x (high - low), held within [low, high]: 15 + 10 r for r = -0.2, 0, 0.1
    and 0.7 gives 13, 15, 16 and 25, the last held at 20. (With the sum high + low, 30, in
    place of the width the first would be 9, held at 10.)"""
    sample = cal.residual_sample(15.0, 10.0, 20.0, [-0.2, 0.0, 0.1, 0.7])
    assert sample.tolist() == pytest.approx([13.0, 15.0, 16.0, 20.0], abs=1e-12)


def test_the_samples_and_the_crps_refusals_word_for_word() -> None:
    """A scale of no width (low = high) is refused like a reversed one; each message whole."""
    scale = "forecast, low and high must be finite numbers with low < high"
    for low, high in ((50.0, 50.0), (60.0, 40.0)):
        with pytest.raises(ValueError, match="^" + re.escape(scale) + "$"):
            cal.residual_sample(50.0, low, high, [0.1])
    empty = "crps: expected a non-empty sample of finite numbers and a finite y"
    for sample, y in (([], 1.0), ([1.0, float("nan")], 1.0), ([1.0], float("inf"))):
        with pytest.raises(ValueError, match="^" + re.escape(empty) + "$"):
            cal.crps(sample, y)


def test_a_convolution_whose_errors_all_point_one_way_keeps_its_bins() -> None:
    """BINS = 2000 bins. A residual share of -0.001 moves mass by round(-0.001 x 2000) = -2
    bins: a point at bin 1000 lands on bin 998, and the histogram keeps its 2000 bins even
    though no error points up (the kernel of shifts spans every possible shift, not only
    those that occur)."""
    out = cal.convolve(_point(1000), [-0.001])
    assert out.shape == (BINS,)
    assert np.flatnonzero(out).tolist() == [998]
    assert out[998] == 1.0


def test_the_largest_shifts_land_exactly_on_the_far_end() -> None:
    """A residual share of -1 (or less) moves mass by the whole scale, clipped to -(BINS -
    1) = -1999 bins: a point in the top bin (1999) lands on bin 0, and one in bin 0 is piled
    there. A share of +1 moves bin 0 to bin 1999. (A shift clipped one bin short, -1998 or
    +1998, would land on bin 1 or bin 1998.)"""
    assert np.flatnonzero(cal.convolve(_point(BINS - 1), [-1.0])).tolist() == [0]
    assert np.flatnonzero(cal.convolve(_point(BINS - 1), [-1.5])).tolist() == [0]
    assert np.flatnonzero(cal.convolve(_point(0), [1.0])).tolist() == [BINS - 1]
    assert np.flatnonzero(cal.convolve(_point(0), [-1.0])).tolist() == [0]


def test_the_residuals_and_counts_refusals_word_for_word() -> None:
    cases: list[tuple[Callable[[], object], str]] = [
        (
            lambda: cal.residual_sample(50.0, 0.0, 100.0, []),
            "residuals: expected a non-empty list of numbers",
        ),
        (
            lambda: cal.residual_sample(50.0, 0.0, 100.0, [0.1, float("nan")]),
            "residuals: every residual must be a finite number",
        ),
        (
            lambda: cal.convolve(-_point(3), [0.1]),
            "counts: every count must be a finite number, 0 or more",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            call()


def test_out_of_fold_scores_on_scales_of_different_widths() -> None:
    """Errors move between issues as shares of each one's own scale width. Issue A on
    [10, 20]: forecast 12, outcome 14, share (14 - 12) / 10 = 0.2; issue B on [0, 100]:
    forecast 50, outcome 40, share -0.1; one fold each. A's predictive sample is
    12 + 10 x (-0.1) = 11 (CRPS |11 - 14| = 3); B's is 50 + 100 x 0.2 = 70 (CRPS 30); mean
    CRPS 16.5, and neither outcome is inside its (point-mass) intervals. (With the sum of the
    ends as the width, A's share would be 2/30 and the mean CRPS (4 + 50/3) / 2.)"""
    result = cal.cross_validated(
        np.array([12.0, 50.0]),
        np.array([14.0, 40.0]),
        np.array([10.0, 0.0]),
        np.array([20.0, 100.0]),
        np.array([0, 1]),
    )
    assert result.n == 2
    assert result.crps == pytest.approx(16.5, abs=1e-12)
    assert result.coverage == {0.8: 0.0, 0.95: 0.0}


def test_a_fold_without_forecasts_is_passed_over_not_the_end() -> None:
    """Three issues, one fold each; the first has no forecast (NaN), so its fold is skipped
    and the other two are scored as in the test above: CRPS 3 and 30, mean 16.5 over n = 2
    (stopping at the empty fold would score none)."""
    result = cal.cross_validated(
        np.array([np.nan, 12.0, 50.0]),
        np.array([30.0, 14.0, 40.0]),
        np.array([0.0, 10.0, 0.0]),
        np.array([100.0, 20.0, 100.0]),
        np.array([0, 1, 2]),
    )
    assert result.n == 2
    assert result.crps == pytest.approx(16.5, abs=1e-12)


def test_an_outcome_within_a_billionth_of_the_width_of_an_end_is_inside() -> None:
    """Two issues on [0, 100], one fold each. B: forecast 50, outcome 60, share 0.1, so A's
    predictive sample is the point 50 + 100 x 0.1 = 60, and A's outcome 60 + 5e-8 lies
    5e-8 above both its interval's ends: inside, since the tolerance is 1e-9 of the width,
    1e-7. A's share is 0.1 + 5e-10, so B's sample is 60 + 5e-8, 5e-8 above B's outcome:
    inside too. Coverage 1 at both levels (a tolerance of 1e-9 / width, 1e-11, would give 0)."""
    result = cal.cross_validated(
        np.array([50.0, 50.0]),
        np.array([60.0 + 5e-8, 60.0]),
        np.zeros(2),
        np.full(2, 100.0),
        np.array([0, 1]),
    )
    assert result.coverage == {0.8: 1.0, 0.95: 1.0}


@pytest.mark.parametrize("side", [-1.0, 1.0])
def test_an_outcome_exactly_on_the_tolerances_edge_is_inside(side: float) -> None:
    """Three issues on [0, 100], forecast 50, one fold each. B and C have outcome 60
    (share 0.1), so A's sample is the two points v = 50 + 100 x 0.1, both interval ends are
    v, and A's outcome is put exactly at v - 1e-7 (or v + 1e-7), the tolerance 1e-9 x 100
    away, computed with the same floating-point operations: inside (the ends are
    inclusive). B's sample is v and A's point, 1e-7 apart, with B's outcome on the first:
    inside, as is C. Coverage 1 at both levels (strict ends would leave A out: 2/3)."""
    share = (60.0 - 50.0) / 100.0
    v = 50.0 + 100.0 * share
    y_a = v + side * (1e-9 * 100.0)
    result = cal.cross_validated(
        np.full(3, 50.0),
        np.array([y_a, 60.0, 60.0]),
        np.zeros(3),
        np.full(3, 100.0),
        np.array([0, 1, 2]),
    )
    assert result.coverage == {0.8: 1.0, 0.95: 1.0}
