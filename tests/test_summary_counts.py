"""The gain counts a Monte Carlo block keeps (``analysis/_summary.py``), by hand: which bin a
gain falls in at the ends of its range, what counts as a gain, and merging two blocks
(issue 22: survivors of the module's mutation run, 2026-12-07)."""

from __future__ import annotations

import numpy as np

from statecraft.analysis._summary import (
    GAIN_BINS,
    GAIN_TOLERANCE,
    MARGIN_BINS,
    GainCounts,
    count_gains,
)


def test_gains_at_the_ends_of_the_range_fall_in_the_end_bins() -> None:
    """Gains span [-1, 1] in 2,000 bins of width 0.001, bin floor((g + 1) x 1000): -1 is
    bin 0, -0.99875 bin 1 (1.25), 0.25 bin 1250, 0 bin 1000, 0.99875 bin 1998 (1998.75),
    and 1 itself (2000, one bin past the last) is held in bin 1999. The margins of actor 0
    over actor 1 span [-2, 2] in 4,000 bins, bin floor((m + 2) x 1000): -2 is bin 0, -1.9975
    bin 2 (2.5), 0.25 bin 2250 and 2 is held in bin 3999."""
    gain = np.array([[-1.0, 1.0], [-0.99875, 0.99875], [0.25, 0.0], [1.0, -1.0]])
    counts = count_gains(gain, [(0, 1)])
    assert counts.histogram.shape == (2, GAIN_BINS)
    first = {int(b): int(c) for b, c in enumerate(counts.histogram[0]) if c}
    second = {int(b): int(c) for b, c in enumerate(counts.histogram[1]) if c}
    assert first == {0: 1, 1: 1, 1250: 1, 1999: 1}
    assert second == {0: 1, 1000: 1, 1998: 1, 1999: 1}
    assert counts.margins.shape == (1, MARGIN_BINS)
    margins = {int(b): int(c) for b, c in enumerate(counts.margins[0]) if c}
    assert margins == {0: 1, 2: 1, 2250: 1, 3999: 1}


def test_a_gain_counts_only_above_the_tolerance() -> None:
    """A gain of exactly GAIN_TOLERANCE (1e-12, rounding) is no gain; one of 2e-12 is. The
    counts are whole numbers (int64), as the module promises."""
    gain = np.array([[GAIN_TOLERANCE, 2 * GAIN_TOLERANCE], [0.0, -0.5]])
    counts = count_gains(gain, [])
    assert counts.positive.tolist() == [0, 1]
    assert counts.positive.dtype == np.int64
    assert counts.margins.shape == (0, MARGIN_BINS)  # no pairs, no rows
    assert counts.margins.dtype == np.int64


def test_merging_two_blocks_adds_every_count() -> None:
    """Block one: best (1, 0), positive (2, 1), histograms and margins of ones; block two:
    best (0, 3), positive (1, 3), histograms and margins of twos. Merged: best (1, 3),
    positive (3, 4), every histogram and margin cell 3."""
    one = GainCounts(
        np.array([1, 0]), np.array([2, 1]), np.ones((2, GAIN_BINS)), np.ones((1, MARGIN_BINS))
    )
    two = GainCounts(
        np.array([0, 3]),
        np.array([1, 3]),
        np.full((2, GAIN_BINS), 2),
        np.full((1, MARGIN_BINS), 2),
    )
    one.merge(two)
    assert one.best.tolist() == [1, 3]
    assert one.positive.tolist() == [3, 4]
    assert (one.histogram == 3).all()
    assert (one.margins == 3).all()
    assert two.positive.tolist() == [1, 3]  # the merged-in block is left as it was
