"""The parts of advise, by hand: goal values and gradients (``analysis/_goals.py``) on a
small batch built array by array, every figure worked in the docstrings (issue 22: mutants of
the advice parts that passed every test)."""

from __future__ import annotations

import numpy as np

from statecraft.analysis._goals import Goal, goal_gradient, goal_values, margins, winner_labels
from statecraft.analysis.winners import TIE
from statecraft.arrays import Batch

NAN = float("nan")


def _batch(
    position: list[list[float]],
    salience: list[list[list[float]]],
    status_quo: list[float],
    high: list[float],
    draws: int = 2,
) -> Batch:
    """A batch of ``draws`` draws (positions the same in each, saliences per draw), every
    capability 1, scales from 0 to ``high``."""
    x = np.tile(np.array(position, dtype=float), (draws, 1, 1))
    s = np.array(salience, dtype=float)
    present = ~np.isnan(x)
    n_issues = x.shape[2]
    return Batch(
        actor_ids=tuple(f"a{k}" for k in range(x.shape[1])),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
        capability=present.astype(float),
        position=x,
        salience=s,
        power=np.ones(x.shape[:2]),
        present=present,
        status_quo=np.tile(np.array(status_quo, dtype=float), (draws, 1)),
        low=np.zeros(n_issues),
        high=np.array(high, dtype=float),
        actual=np.full(n_issues, NAN),
    )


# Issues x, y, z, w, v: status quos 50, 20, none, 10, 30; scales 0..100 but z 0..200.
# A stands at 80, 40, 150, sits w out, 70; saliences 0.3, 0.1, 0.2, 0, 0.4 in draw 0 and
# 0.6, 0.2, 0.2, 0, 0.4 in draw 1. B stands at 20, 0, 100, 50, 0, salient only on z.
GAIN_BATCH = _batch(
    [[80, 40, 150, NAN, 70], [20, 0, 100, 50, 0]],
    [
        [[0.3, 0.1, 0.2, 0, 0.4], [0, 0, 0.5, 0, 0]],
        [[0.6, 0.2, 0.2, 0, 0.4], [0, 0, 0.5, 0, 0]],
    ],
    [50, 20, NAN, 10, 30],
    [100, 100, 200, 100, 100],
)
# Forecasts per draw (x, y, z, w, v): z and v have none (NaN, as for an issue no one weighs).
FORECASTS = np.array([[60, 35, NAN, 40, NAN], [90, 40, NAN, 40, NAN]], dtype=float)


def test_a_gain_goal_weighs_only_its_issues_with_a_status_quo() -> None:
    """A's gain over x, y, z, w: z has no status quo, A sits w out (salience 0) and v is not
    the goal's, so the weights are x and y's, per draw: 0.3 / 0.4 = 0.75 and 0.25 in draw 0,
    0.6 / 0.8 = 0.75 and 0.25 in draw 1.

    - draw 0, x at 60: (|50 - 80| - |60 - 80|) / 100 = 0.1; y at 35: (20 - 5) / 100 = 0.15;
      0.75 x 0.1 + 0.25 x 0.15 = 0.1125;
    - draw 1, x at 90: (30 - 10) / 100 = 0.2; y at 40 (A's own): (20 - 0) / 100 = 0.2; 0.2.

    d goal / d forecast = -weight x sign(o - x_A) / 100: draw 0, x 60 < 80: +0.0075, y 35 < 40:
    +0.0025; draw 1, x 90 > 80: -0.0075, y on A's position: 0 (the one-sided derivative);
    0 on z, w and v (no weight), even where their forecast is NaN."""
    goal = Goal("a0", 0, (0, 1, 2, 3))
    np.testing.assert_allclose(goal_values(goal, FORECASTS, GAIN_BATCH), [0.1125, 0.2])
    expected = np.zeros((2, 5))
    expected[0, :2] = [0.0075, 0.0025]
    expected[1, :2] = [-0.0075, 0.0]
    np.testing.assert_allclose(goal_gradient(goal, FORECASTS, GAIN_BATCH), expected, atol=1e-15)


def test_a_gain_goal_without_weight_is_zero_without_warning() -> None:
    """B has no salience on x or y: its gain there has no weights (their sum is 0), so it is 0
    whatever the forecasts (not (|50 - 20| - |60 - 20|) / 100 = -0.1 as an unweighted x
    would give), its gradient 0 everywhere, and 0 / 0 raises no warning (warnings are errors
    in the tests)."""
    goal = Goal("a1", 1, (0, 1))
    np.testing.assert_allclose(goal_values(goal, FORECASTS, GAIN_BATCH), [0.0, 0.0])
    np.testing.assert_allclose(
        goal_gradient(goal, FORECASTS, GAIN_BATCH), np.zeros((2, 5)), atol=1e-15
    )


def test_a_target_goal_is_minus_the_mean_distance_to_its_targets() -> None:
    """Targets x = 70 and y = 10 (widths 100), on two variants of the two draws:

    - variant 0, draw 0 (60, 35): -(10 + 25) / 100 / 2 = -0.175; draw 1 (90, 40):
      -(20 + 30) / 100 / 2 = -0.25;
    - variant 1, draw 0 (70, 10): 0 (both met); draw 1 (50, 30): -(20 + 20) / 100 / 2 = -0.2.

    The gradient at variant 0: -sign(o - t) / 100 / 2: x 60 < 70: +0.005, 90 > 70: -0.005;
    y 35 and 40 > 10: -0.005 in both draws; 0 elsewhere."""
    goal = Goal("a0", 0, (0, 1), {0: 70.0, 1: 10.0})
    other = np.array([[70, 10, NAN, 40, NAN], [50, 30, NAN, 40, NAN]], dtype=float)
    both = np.stack([FORECASTS, other])
    np.testing.assert_allclose(
        goal_values(goal, both, GAIN_BATCH), [[-0.175, -0.25], [0.0, -0.2]], atol=1e-15
    )
    expected = np.zeros((2, 5))
    expected[:, 0] = [0.005, -0.005]
    expected[:, 1] = [-0.005, -0.005]
    np.testing.assert_allclose(goal_gradient(goal, FORECASTS, GAIN_BATCH), expected, atol=1e-15)


# One issue, status quo 50 on 0..100; A at 80, B at 30, C at 60, equally salient. With one
# issue an actor's gain is (|50 - x| - |o - x|) / 100: A (30 - |o - 80|) / 100,
# B (20 - |o - 30|) / 100, C (10 - |o - 60|) / 100.
ONE = _batch([[80], [30], [60]], [[[1], [1], [1]]] * 2, [50], [100])
# Three variants of the two draws: forecasts 70, 40 | 40, 90 | 60, 70.
OUTCOMES = np.array([[[70], [40]], [[40], [90]], [[60], [70]]], dtype=float)


def test_the_margin_is_the_winners_lead_over_the_best_other() -> None:
    """Gains (A, B, C) at 70: (0.2, -0.2, 0); at 40: (-0.1, 0.1, -0.1); at 90: (0.2, -0.4,
    -0.2); at 60: (0.1, -0.1, 0.1). A's lead is its gain less the best other's (or TIE, 1e-12,
    if that is higher): 70: 0.2 - TIE; 40: -0.1 - 0.1 = -0.2; 90: 0.2 - TIE; 60: 0.1 - 0.1 = 0.
    Alone (rows [A]) its lead is its gain less TIE. The biggest winner: A at 70 and 90, B at
    40, none at 60 (A and C tie); with no one ranked, none anywhere."""
    lead = margins(OUTCOMES, ONE, [0, 1, 2], 0)
    np.testing.assert_allclose(lead, [[0.2 - TIE, -0.2], [-0.2, 0.2 - TIE], [0.0, 0.2 - TIE]])
    alone = margins(OUTCOMES, ONE, [0], 0)
    np.testing.assert_allclose(
        alone, [[0.2 - TIE, -0.1 - TIE], [-0.1 - TIE, 0.2 - TIE], [0.1 - TIE, 0.2 - TIE]]
    )
    labels = winner_labels(OUTCOMES, ONE, [0, 1, 2])
    np.testing.assert_array_equal(labels, [[0, 1], [1, 0], [-1, 0]])
    np.testing.assert_array_equal(winner_labels(OUTCOMES, ONE, []), np.full((3, 2), -1))
