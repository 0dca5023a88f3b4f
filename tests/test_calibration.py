"""Calibrated intervals: the CRPS, intervals and coverage, the predictive histogram, the
grouped folds, the leaderboard's order and the shipped error record, checked by hand."""

from __future__ import annotations

import importlib.util
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from statecraft.analysis import calibration as cal
from statecraft.analysis.backtest import backtest
from statecraft.analysis.uncertainty import BINS
from statecraft.cli import app
from statecraft.io.deu import read_deu
from statecraft.io.model_errors import load_errors
from statecraft.models import available_models
from tests.conftest import ROOT, SHARED_DATA, requires_shared
from tests.test_deu import _table

runner = CliRunner()

# --- CRPS --------------------------------------------------------------------------------


def test_crps_by_hand() -> None:
    # {0, 1} at y = 0: E|X - y| = 1/2, E|X - X'| = 2/4, so 1/2 - 1/4
    assert cal.crps([0.0, 1.0], 0.0) == pytest.approx(0.25)
    # {0, 1, 2} at 1: E|X - y| = 2/3; pairs 1, 2, 1 twice over 9: 8/9; 2/3 - 4/9
    assert cal.crps([2.0, 0.0, 1.0], 1.0) == pytest.approx(2 / 9)
    # a point forecast's CRPS is its absolute error
    assert cal.crps([37.5], 50.0) == pytest.approx(12.5)
    assert cal.crps([3.0, 3.0, 3.0], 1.0) == pytest.approx(2.0)


def _crps_integral(sample: list[float], y: float) -> float:
    """Gneiting & Raftery (2007), eq. 20: the integral of (F(x) - 1{x >= y})^2, exactly,
    between the points where the step functions change."""
    x = np.sort(sample)
    points = np.sort(np.append(x, y))
    total = 0.0
    for a, b in itertools.pairwise(points):
        f = np.searchsorted(x, a, side="right") / x.size
        total += (f - float(a >= y)) ** 2 * (b - a)
    return total


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-100, 100, allow_nan=False), min_size=1, max_size=30),
    st.floats(-100, 100, allow_nan=False),
)
def test_crps_equals_the_integral_form(sample: list[float], y: float) -> None:
    assert cal.crps(sample, y) == pytest.approx(_crps_integral(sample, y), abs=1e-9)


@pytest.mark.parametrize(
    ("sample", "y"), [([], 1.0), ([1.0, float("nan")], 1.0), ([1.0], float("inf"))]
)
def test_crps_refuses_bad_input(sample: list[float], y: float) -> None:
    with pytest.raises(ValueError, match="crps: expected a non-empty sample of finite"):
        cal.crps(sample, y)


# --- Intervals of a point forecast ---------------------------------------------------------

FIVE = [-0.2, -0.1, 0.0, 0.1, 0.2]


def test_interval_of_a_point_forecast_by_hand() -> None:
    sample = cal.residual_sample(50, 0, 100, FIVE)
    assert list(sample) == pytest.approx([30, 40, 50, 60, 70])
    # type 7: the 10% quantile of 5 values sits 0.4 of the way from the 1st to the 2nd
    assert cal.quantiles(sample, 0.8) == pytest.approx((34.0, 66.0))
    assert cal.quantiles(sample, 0.95) == pytest.approx((31.0, 69.0))
    # near the top the errors pile on the end: 90 + 10 and 90 + 20 are both 100
    top = cal.residual_sample(90, 0, 100, FIVE)
    assert list(top) == pytest.approx([70, 80, 90, 100, 100])
    assert cal.quantiles(top, 0.95) == pytest.approx((71.0, 100.0))


def test_error_transfers_as_a_share_of_the_width() -> None:
    # the same forecast, a fifth of the way along scales of different ends and widths
    on_100 = cal.quantiles(cal.residual_sample(20, 0, 100, FIVE), 0.8)
    on_10 = cal.quantiles(cal.residual_sample(-8, -10, 0, FIVE), 0.8)
    assert on_100 == pytest.approx((4.0, 36.0))
    assert on_10 == pytest.approx((-9.6, -6.4))


def test_interval_reads_the_shipped_record() -> None:
    record = cal.error_record("compromise")
    assert record is not None
    low, high = cal.interval(50, 0, 100, 0.8, "compromise") or (None, None)
    # no residual share of the 10% and 90% quantiles is past half the width, so nothing is
    # clipped there: the interval is 50 plus 100 times the residuals' quantiles
    assert low == pytest.approx(50 + 100 * record.quantile(0.1))
    assert high == pytest.approx(50 + 100 * record.quantile(0.9))
    assert low < 50 < high
    assert cal.interval(50, 0, 100, 0.8, "oracle") is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cal.residual_sample(50, 100, 0, FIVE), "low < high"),
        (lambda: cal.residual_sample(float("nan"), 0, 100, FIVE), "finite numbers"),
        (lambda: cal.residual_sample(50, 0, 100, []), "non-empty list"),
        (lambda: cal.residual_sample(50, 0, 100, [0.1, float("inf")]), "finite number"),
        (lambda: cal.quantiles([1.0, 2.0], 1.0), "level must lie between 0 and 1"),
        (lambda: cal.quantiles([1.0, 2.0], 0.0), "level must lie between 0 and 1"),
    ],
)
def test_intervals_refuse_bad_input(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# --- The predictive histogram ----------------------------------------------------------------


def _point(bin_: int, mass: float = 1.0) -> np.ndarray:
    counts = np.zeros(BINS)
    counts[bin_] = mass
    return counts


def test_convolution_by_hand() -> None:
    # 7 draws in the middle bin; shares -0.1, 0 and 0.25 move them by -200, 0 and 500 bins
    out = cal.convolve(_point(1000, 7), [-0.1, 0.0, 0.25])
    assert np.flatnonzero(out).tolist() == [800, 1000, 1500]
    assert out[[800, 1000, 1500]] == pytest.approx([7 / 3] * 3)
    # float counts in two bins, shares 0 and 0.005 (10 bins)
    counts = np.zeros(BINS)
    counts[10], counts[20] = 1.5, 0.5
    out = cal.convolve(counts, [0.0, 0.005])
    assert np.flatnonzero(out).tolist() == [10, 20, 30]
    assert out[[10, 20, 30]] == pytest.approx([0.75, 1.0, 0.25])


def test_convolution_piles_mass_on_the_ends() -> None:
    out = cal.convolve(_point(1900, 4), [0.1, -1.0, 1.0, 0.0])
    assert out[BINS - 1] == pytest.approx(2.0)  # 1900 + 200 and 1900 + 2000: past the top
    assert out[0] == pytest.approx(1.0)  # 1900 - 2000: past the bottom
    assert out[1900] == pytest.approx(1.0)
    assert out.sum() == pytest.approx(4.0)


def test_predictive_of_a_point_forecast_gives_the_known_quantiles() -> None:
    # a point forecast at 50 (bin 1000) and the shares -0.2 ... 0.2: a fifth at each of 30,
    # 40, 50, 60 and 70 (bins 600 ... 1400); the cumulative mass crosses 1/2 in bin 1000
    out = cal.convolve(_point(1000, 10), FIVE)
    assert np.flatnonzero(out).tolist() == [600, 800, 1000, 1200, 1400]
    cum = np.cumsum(out) / out.sum()
    assert int(np.searchsorted(cum, 0.5)) == 1000
    assert int(np.searchsorted(cum, 0.1)) == 600
    assert int(np.searchsorted(cum, 0.9)) == 1400


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, 50), min_size=BINS, max_size=BINS),
    st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=1, max_size=20),
)
def test_convolution_keeps_the_mass(counts: list[int], residuals: list[float]) -> None:
    out = cal.convolve(np.array(counts), residuals)
    assert out.shape == (BINS,)
    assert (out >= 0).all()
    assert out.sum() == pytest.approx(sum(counts))


def test_predictive_uses_the_models_record() -> None:
    record = cal.error_record("compromise")
    assert record is not None
    out = cal.predictive(_point(1000, 1), "compromise")
    assert out is not None
    assert out.sum() == pytest.approx(1.0)
    # the mass below the forecast's bin is the share of residuals that move it down
    below = np.mean(np.rint(record.residuals * BINS) < 0)
    assert out[:1000].sum() == pytest.approx(below)
    assert cal.predictive(_point(1000), "no-such-model") is None


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (np.ones(BINS - 1), "expected a histogram of 2000 bins"),
        (np.ones((2, BINS)), "expected a histogram of 2000 bins"),
        (-np.ones(BINS), "finite number, 0 or more"),
        (np.full(BINS, np.nan), "finite number, 0 or more"),
    ],
)
def test_predictive_refuses_bad_counts(counts: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cal.predictive(counts, "compromise")


def test_every_registered_model_has_a_record() -> None:
    for name in available_models():
        record = cal.error_record(name)
        assert record is not None
        assert record.residuals.size == record.issues
        assert (np.diff(record.residuals) >= 0).all()  # sorted
        assert (np.abs(record.residuals) <= 1).all()  # outcome and forecast on the scale


# --- Grouped folds and out-of-fold scores ------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from("abcdefghij"), min_size=2, max_size=40), st.integers(0, 99))
def test_folds_never_split_a_proposal(proposals: list[str], seed: int) -> None:
    unique = set(proposals)
    if len(unique) < 2:
        return
    folds = min(3, len(unique))
    fold = cal.grouped_folds(proposals, folds, seed)
    for p in unique:  # one proposal, one fold
        assert len({int(f) for f, q in zip(fold, proposals, strict=True) if q == p}) == 1
    assert set(fold.tolist()) == set(range(folds))  # every fold dealt a proposal
    assert (cal.grouped_folds(proposals, folds, seed) == fold).all()


def test_folds_refuse_too_many_or_too_few() -> None:
    with pytest.raises(ValueError, match="between 2 and the number of proposals"):
        cal.grouped_folds(["a", "b"], 3, 0)
    with pytest.raises(ValueError, match="between 2 and the number of proposals"):
        cal.grouped_folds(["a", "b"], 1, 0)


# Four issues of four proposals, each its own fold: forecasts 50, outcomes 40, 50, 60, 90
# (residual shares -0.1, 0, 0.1, 0.4). Issue 1's predictive sample uses the other three:
# {50, 60, 90}; its 80% interval is 52 to 84 and misses 40. Issue 2: {40, 60, 90}, 44 to
# 84, holds 50; issue 3: {40, 50, 90}, 42 to 82, holds 60; issue 4: {40, 50, 60}, misses 90.
# The 95% intervals: 50.5 to 88.5, 41 to 88.5, 40.5 to 88, 40.5 to 59.5: the same two hold.
# CRPS: 160/9, 80/9, 80/9, 320/9 (E|X - y| - E|X - X'| / 2 of each), mean 160/9.
FORECAST = np.array([50.0, 50.0, 50.0, 50.0])
ACTUAL = np.array([40.0, 50.0, 60.0, 90.0])


def test_out_of_fold_scores_by_hand() -> None:
    zero, hundred = np.zeros(4), np.full(4, 100.0)
    result = cal.cross_validated(FORECAST, ACTUAL, zero, hundred, np.arange(4))
    assert result.n == 4
    assert result.crps == pytest.approx(160 / 9)
    assert result.coverage == pytest.approx({0.8: 0.5, 0.95: 0.5})
    # a missing forecast drops its issue and its residual: issue 1 now sees {60, 90}
    partial = FORECAST.copy()
    partial[3] = np.nan
    result = cal.cross_validated(partial, ACTUAL, zero, hundred, np.arange(4))
    assert result.n == 3
    assert result.crps == pytest.approx(
        (cal.crps([50, 60], 40) + cal.crps([40, 60], 50) + cal.crps([40, 50], 60)) / 3
    )
    # one fold only: no residuals from elsewhere, nothing scored
    alone = cal.cross_validated(FORECAST, ACTUAL, zero, hundred, np.zeros(4, dtype=int))
    assert (alone.n, alone.crps, alone.coverage[0.8]) == (0, None, None)


def test_an_outcome_on_the_piled_end_is_inside() -> None:
    # forecasts 95 and outcomes 100 (share +0.05) everywhere: every interval ends at 100
    f, y = np.full(3, 95.0), np.full(3, 100.0)
    result = cal.cross_validated(f, y, np.zeros(3), np.full(3, 100.0), np.arange(3))
    assert result.coverage == {0.8: 1.0, 0.95: 1.0}
    assert result.crps == pytest.approx(0.0, abs=1e-9)


EMPTY = ("", "")


def _rows(outcomes: list[float]) -> list[list[str]]:
    """One issue per proposal: the Commission at 100 and the Parliament at 0, equally
    salient, so that the compromise forecast (and the mean of positions) is 50."""
    return [
        [
            f"p{k}",
            f"p{k}i1",
            "T",
            "COD",
            "QMV",
            "26-01-00",
            "100",
            "0",
            *EMPTY,
            "100",
            "100",
            *EMPTY,
            "",
            str(y),
        ]
        for k, y in enumerate(outcomes)
    ]


def test_backtest_scores_calibration_on_its_own_table(tmp_path: Path) -> None:
    # Four proposals, so four folds of one proposal each: the case above, on the table's own
    # residuals (never the shipped record's).
    result = backtest(read_deu(_table(tmp_path, _rows([40, 50, 60, 90]))), replicates=20)
    assert result.folds == 4
    scores = {s.model: s for s in result.scores}
    for name in ("compromise", "mean"):
        assert scores[name].crps == pytest.approx(160 / 9)
        assert (scores[name].coverage80, scores[name].coverage95) == (0.5, 0.5)
    data = json.loads(
        runner.invoke(
            app, ["backtest", str(_table(tmp_path, _rows([40, 50, 60, 90]))), "-f", "json"]
        ).output
    )
    assert data["calibration"]["folds"] == 4
    assert data["ranking"]["by"] == "vs_compromise"
    for entry in data["leaderboard"]:
        assert {"crps", "coverage80", "coverage95", "shared_issues", "apart"} <= set(entry)
    top = data["leaderboard"][0]
    assert top["model"] == "compromise"
    assert top["crps"] == pytest.approx(160 / 9)
    assert (top["coverage80"], top["coverage95"], top["apart"]) == (0.5, 0.5, False)
    # no status quo on any issue: the baseline forecasts nothing and is not scored
    assert "status-quo" not in {e["model"] for e in data["leaderboard"]}
    frame = result.leaderboard_frame()
    assert frame.loc[frame["model"] == "compromise", "crps"].item() == pytest.approx(160 / 9)


# --- The leaderboard compares like with like ---------------------------------------------------


def test_leaderboard_ranks_by_the_paired_difference(tmp_path: Path) -> None:
    # p1i1 (outcome 50): compromise 110/2.3 = 47.83, error 2.17; p1i2 (outcome 20): 50/1.5 =
    # 33.33, error 13.33. 'few' forecasts only p1i1, at 46: error 4, an MAE under the
    # compromise model's 7.75, yet 1.83 worse on the issue both forecast. 'fewer-good' is 50
    # there: 2.17 better. 'full' errs by 3 and 12: MAE 7.5, 0.25 better on both issues.
    table = read_deu(_table(tmp_path))
    extra = {
        "few": np.array([46.0, np.nan]),
        "fewer-good": np.array([50.0, np.nan]),
        "full": np.array([53.0, 32.0]),
    }
    result = backtest(table, ["compromise"], extra=extra, replicates=20)
    board = result.leaderboard()
    assert [s.model for s in board] == ["full", "compromise", "fewer-good", "few"]
    by = {s.model: s for s in board}
    assert by["few"].mae < by["compromise"].mae
    assert by["few"].vs_compromise == pytest.approx(4 - (50 - 110 / 2.3))
    assert (by["few"].apart, by["few"].shared_issues) == (True, 1)
    assert (by["full"].apart, by["full"].shared_issues) == (False, 2)
    first, second = 50 - 110 / 2.3, 50 / 1.5 - 20  # the compromise model's errors
    assert by["full"].vs_compromise == pytest.approx(((3 - first) + (12 - second)) / 2)
    # a single proposal: no other fold to take errors from, so no calibration scores
    assert result.folds is None
    assert by["compromise"].crps is None
    data = result.to_dict()
    assert [e["model"] for e in data["leaderboard"]] == ["full", "compromise", "fewer-good", "few"]
    assert data["leaderboard"][0]["crps"] is None
    # the Markdown leaderboard shows the models on fewer issues below a line
    out = tmp_path / "out"
    args = ["backtest", str(_table(tmp_path)), "--out", str(out), "--replicates", "20"]
    assert runner.invoke(app, args).exit_code == 0
    lines = (out / "leaderboard.md").read_text().splitlines()
    line = next(k for k, text in enumerate(lines) if "scored on fewer issues" in text)
    n = [int(text.split("|")[2]) for text in lines[2:line]]
    n_apart = [int(text.split("|")[2]) for text in lines[line + 1 :]]
    assert set(n) == {2}  # the compromise model forecasts both issues
    assert n_apart
    assert set(n_apart) == {1}
    assert "| compromise | 2 |" in "\n".join(lines[2:line])


def test_the_backtest_chart_picks_the_leaderboard_first(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from statecraft.report.charts import backtest_chart

    table = read_deu(_table(tmp_path))
    extra = {"few": np.array([46.0, np.nan]), "full": np.array([53.0, 32.0])}
    result = backtest(table, ["compromise"], extra=extra, replicates=20)
    fig = backtest_chart(result)
    labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert labels == ["full", "compromise", "few"]


def test_backtest_refuses_one_fold(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="folds must be at least 2"):
        backtest(read_deu(_table(tmp_path)), ["compromise"], replicates=20, folds=1)
    result = runner.invoke(app, ["backtest", str(_table(tmp_path)), "--folds", "1"])
    assert result.exit_code == 2
    assert "--folds" in result.output


# --- The shipped record --------------------------------------------------------------------------


def _script() -> Any:
    spec = importlib.util.spec_from_file_location("fit_errors", ROOT / "scripts" / "fit_errors.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@requires_shared
def test_shipped_error_record_is_what_the_script_writes(dev_backtest: Any) -> None:
    """The whole record, exactly as scripts/fit_errors.py writes it, made from the
    development file's forecasts (those of the session's backtest: the same models, the
    same defaults, the rule equal)."""
    path = SHARED_DATA / "deu3" / "deu3-dev.tsv"
    shipped = load_errors()
    cv = shipped["cross_validation"]
    made = _script().build(path, cv["folds"], cv["seed"], dev_backtest.forecasts)
    text = (ROOT / "src" / "statecraft" / "data" / "model-errors.json").read_text("utf-8")
    assert json.dumps(made, indent=1) + "\n" == text, (
        "src/statecraft/data/model-errors.json is stale: run python scripts/fit_errors.py"
    )
    # the record's out-of-fold figures are those the backtest gives with the same folds
    assert (dev_backtest.seed, dev_backtest.folds) == (cv["seed"], cv["folds"])
    for s in dev_backtest.scores:
        if s.model in shipped["models"]:
            entry = shipped["models"][s.model]["cross_validated"]
            # the record keeps crps_share to 6 decimals (scripts/fit_errors.py): 5e-5 points
            assert s.crps == pytest.approx(100 * entry["crps_share"], abs=1e-4)
            assert (s.coverage80, s.coverage95) == (entry["coverage80"], entry["coverage95"])
            assert entry["issues"] == s.n == shipped["models"][s.model]["issues"]


# --- The docs ------------------------------------------------------------------------------------


def test_calibration_page_holds_the_record_table() -> None:
    spec = importlib.util.spec_from_file_location(
        "backtest_tables", ROOT / "docs" / "backtest_tables.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "calibration.md").read_text()
    for name, text in module.calibration_tables().items():
        assert page.split(f"<!-- {name} -->\n")[1].split(f"<!-- /{name} -->")[0] == text, (
            "docs/calibration.md is stale: run python docs/backtest_tables.py --write"
        )
    # the worked example: a compromise forecast of 50 on 0-100, and of 5 on 0-10
    low, high = cal.interval(50, 0, 100, 0.8, "compromise") or (0.0, 0.0)
    assert f"has an 80% interval of {low:.1f} to {high:.1f}" in " ".join(page.split())
    low, high = cal.interval(5, 0, 10, 0.8, "compromise") or (0.0, 0.0)
    assert f"(5) has the interval {low:.2f} to {high:.2f}" in " ".join(page.split())


@requires_shared
def test_quoted_calibration_figures_are_current(dev_backtest: Any) -> None:
    scores = {s.model: s for s in dev_backtest.scores}
    c = scores["compromise"]
    assert c.coverage80 is not None
    assert c.coverage95 is not None
    claim = (
        f"the compromise model's 80% intervals hold {100 * c.coverage80:.1f}% of the outcomes "
        f"and its 95% intervals {100 * c.coverage95:.1f}%"
    )
    for page in ("README.md", "docs/backtest.md", "docs/calibration.md"):
        text = " ".join((ROOT / page).read_text().split())
        assert claim.lower() in text.lower(), page
    text = " ".join((ROOT / "docs" / "backtest.md").read_text().split())
    full = [s for s in dev_backtest.scores if not s.apart]
    low80, high80 = (f(s.coverage80 for s in dev_backtest.scores) for f in (min, max))
    low95, high95 = (f(s.coverage95 for s in dev_backtest.scores) for f in (min, max))
    assert (
        f"between {100 * low80:.1f}% and {100 * high80:.1f}% for the 80% intervals and between "
        f"{100 * low95:.1f}% and {100 * high95:.1f}% for the 95% ones" in text
    )
    assert f"the compromise model's {c.crps:.1f} is the lowest" in text
    assert min(full, key=lambda s: s.crps or 0.0).model == "compromise"
    assert [s.model for s in sorted(full, key=lambda s: s.crps or 0.0)] == [
        s.model for s in sorted(full, key=lambda s: s.mae)
    ]
