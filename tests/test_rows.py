"""The row-wise reductions of statecraft.models.rows give NumPy's own bytes (issue 19):
the compromise model, the weights and the gains use them, and a seeded study must not
change by a bit for being computed faster."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statecraft.analysis._blocks import _study
from statecraft.analysis.draws import draw_block
from statecraft.analysis.winners import draw_gains
from statecraft.io import load
from statecraft.models import build_models
from statecraft.models.base import weights, weights_by_row
from statecraft.models.compromise import weighted_mean
from statecraft.models.rows import max_last, sum_last, sum_rows


def _numbers(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Numbers of every magnitude and both signs, with zeros: sums whose order shows."""
    a = rng.normal(size=shape) * 10.0 ** rng.integers(-12, 12, size=shape)
    a[rng.random(shape) < 0.1] = 0.0
    return a


@pytest.mark.parametrize("n", [*range(0, 40), 127, 128, 129, 255, 256, 257, 1000, 4099])
def test_sum_last_is_numpys_sum_to_the_bit(n: int) -> None:
    rng = np.random.default_rng(n)
    for shape in ((1,), (7,), (64,), (3, 5)):
        a = _numbers(rng, (*shape, n))
        assert sum_last(a).tobytes() == a.sum(axis=-1).tobytes()


def test_sum_rows_is_not_a_plain_running_sum() -> None:
    # A check that the test above can fail: 1e16 + 1 + 1 ... in a plain running sum loses
    # every 1; the pairwise order keeps eight of them in its running sums. NumPy's own sum
    # of these nine numbers gives 1e16 + 8, and so must sum_rows.
    rows = np.array([1e16, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])[:, None]
    running = 0.0
    for x in rows[:, 0]:
        running += x
    assert running == 1e16
    assert float(sum_rows(rows)[0]) == float(np.sum(rows[:, 0])) == 1e16 + 8


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 300), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_max_last_is_the_maximum(n: int, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = _numbers(rng, (rows, n))
    a[rng.random(a.shape) < 0.02] = np.nan
    # The same numbers (== treats 0.0 and -0.0 alike: the sign of a zero maximum may differ)
    np.testing.assert_array_equal(max_last(a), a.max(axis=-1))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 60), st.integers(1, 50), st.integers(0, 2**32 - 1))
def test_weights_and_weighted_mean_keep_their_bytes(n: int, draws: int, seed: int) -> None:
    """The row-wise weights and weighted mean against the formulas written plainly."""
    rng = np.random.default_rng(seed)
    c = rng.random((draws, n)) * 10.0 ** rng.integers(-3, 3, size=(draws, n))
    s = rng.random((draws, n))
    s[rng.random(s.shape) < 0.2] = 0.0
    c[rng.random(draws) < 0.1] = 0.0  # draws where nobody has any capability
    x = rng.random((draws, n)) * 100
    top = c.max(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(top > 0, c / top, c) * s
        top_w = w.max(axis=-1, keepdims=True)
        w = np.where(top_w > 0, w / top_w, w)
        w = np.where(w < 1e-12, 0.0, w)
        plain = (w * x).sum(axis=-1) / w.sum(axis=-1)
    assert weights(c, s).tobytes() == w.tobytes()
    assert weights_by_row(c.T.copy(), s.T.copy()).T.tobytes() == w.T.T.tobytes()
    assert weighted_mean(x, c, s).tobytes() == plain.tobytes()


def test_weighted_mean_by_hand() -> None:
    # Weights 3 x 1 and 1 x 1 (relative: 1 and 1/3): (0 x 1 + 100 x 1/3) / (4/3) = 25.
    got = float(weighted_mean(np.array([0.0, 100.0]), np.array([3.0, 1.0]), np.ones(2)))
    assert got == pytest.approx(25.0, rel=1e-15)


def test_weighted_mean_broadcasts_weights_given_once_for_a_batch_of_positions() -> None:
    """Weights of shape (1, n) against positions (2, n): each row's mean by hand.

    Weights 1 x 1, 3 x 1, 0 x 5 = 1, 3, 0: row one (0 + 3 * 100) / 4 = 75, row two
    (40 + 3 * 20) / 4 = 25; the third actor's position counts for nothing.
    """
    position = np.array([[0.0, 100.0, 7.0], [40.0, 20.0, 9.0]])
    result = weighted_mean(position, np.array([[1.0, 3.0, 0.0]]), np.array([[1.0, 1.0, 5.0]]))
    # To rounding: the weights are scaled by the largest before the sums (1/3, 1, 0).
    assert result.tolist() == pytest.approx([75.0, 25.0], rel=1e-15)


def _blocks(name: str, size: int = 300):
    scenario = load(name)
    inputs, plan = _study(scenario)
    draws = draw_block(scenario, inputs, 11, 0, size)
    return plan.batch(draws, size), plan.batch(draws, size, issues_first=True)


@pytest.mark.parametrize("name", ["karabakh-2020", "ec-emissions-1994"])
def test_issues_first_batch_holds_the_same_numbers(name: str) -> None:
    usual, first = _blocks(name)
    for kind in ("capability", "position", "salience", "power", "status_quo"):
        np.testing.assert_array_equal(getattr(first, kind), getattr(usual, kind))
    c, x, s = first.by_issue()
    for held, kind in zip((c, x, s), ("capability", "position", "salience"), strict=True):
        own = getattr(first, kind)
        np.testing.assert_array_equal(held, own.transpose(2, 1, 0))
        assert held[0].flags.c_contiguous or held.strides[-1] == 0
        assert np.shares_memory(held, own)  # the batch's arrays are views: nothing copied
    # The usual batch gives copies in the same layout
    for a, b in zip(usual.by_issue(), (c, x, s), strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.flags.c_contiguous


def test_issues_first_arrays_follow_the_batch() -> None:
    """Arrays replaced (as the safe-range scaling does) are read, never the stale copy; a
    slice of the draws keeps the views."""
    _, first = _blocks("karabakh-2020")
    moved = replace(first, position=first.position + 1.0)
    np.testing.assert_array_equal(moved.by_issue()[1], first.by_issue()[1] + 1.0)
    part = first.take(slice(10, 20))
    np.testing.assert_array_equal(part.by_issue()[1], first.by_issue()[1][..., 10:20])
    assert np.shares_memory(part.by_issue()[1], first.position)
    one = moved.issue(0)
    np.testing.assert_array_equal(one.rows()[1], np.moveaxis(one.position, -1, 0))
    issue = first.issue(0)
    np.testing.assert_array_equal(issue.rows()[1], np.moveaxis(issue.position, -1, 0))
    changed = replace(issue, salience=issue.salience * 0.5)
    np.testing.assert_array_equal(changed.rows()[2], np.moveaxis(issue.salience, -1, 0) * 0.5)


@pytest.mark.parametrize("name", ["karabakh-2020", "ec-emissions-1994"])
def test_compromise_and_gains_keep_their_bytes_issues_first(name: str) -> None:
    usual, first = _blocks(name)
    model = build_models(["compromise"], {})[0]
    rng = np.random.default_rng(0)
    a = model.evaluate(usual, rng).forecasts
    b = model.evaluate(first, rng).forecasts
    assert a.tobytes() == b.tobytes()
    ranked = list(usual.actor_ids)
    g = draw_gains(usual, a, ranked)
    h = draw_gains(first, b, ranked)
    if name == "ec-emissions-1994":  # no status quo: no gains either way
        assert g is None
        assert h is None
    else:
        assert g is not None
        assert h is not None
        assert g.tobytes() == h.tobytes()


def test_one_dimensional_sums_and_maxima_by_hand() -> None:
    """One actor axis and nothing else: sum 1 + 2 + 4 = 7, largest 4; integers are read as
    floats."""
    assert sum_last(np.array([1.0, 2.0, 4.0])).tolist() == 7.0
    assert max_last(np.array([1, 4, 2])).tolist() == 4.0
    assert max_last(np.array([1, 4, 2])).dtype == np.float64
    assert sum_last(np.array([[1.0, 2.0], [3.0, 5.0]])).tolist() == [3.0, 8.0]
