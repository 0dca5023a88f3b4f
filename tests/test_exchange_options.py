"""The exchange model's random-rate variant against a case worked by hand, where it differs
from the default equal-gain rate (issue 22; tests/test_exchange.py has the default and the
adjustment options)."""

from __future__ import annotations

import numpy as np
import pytest

from statecraft.models.exchange import run_exchange

# tests/test_exchange.py's case: A wants p (100) more than q; B wants q (0) more than p; B is
# twice as capable. A demands p and supplies q, the one exchange there is.
X = np.array([[100.0, 100.0], [0.0, 0.0]])
S = np.array([[0.8, 0.2], [0.2, 0.8]])
C = np.array([[1.0, 1.0], [2.0, 2.0]])
ALL = np.ones((2, 2), dtype=bool)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_rate_is_a_uniform_draw_between_the_break_even_rates(seed: int) -> None:
    """The rate (the outcome's shift on q per unit of shift on p) is drawn uniformly between
    B's break-even rate s_Bp / s_Bq = 0.2 / 0.8 = 0.25 and A's s_Ap / s_Aq = 0.8 / 0.2 = 4,
    with the generator's first number u: 0.25 + 3.75 u. Equal gain takes (0.8 + 0.2) /
    (0.2 + 0.8) = 1. Each side gains its salience difference times its shift: A
    (0.8 shift_p - 0.2 shift_q), B (0.8 shift_q - 0.2 shift_p)."""
    u = np.random.default_rng(seed).random(1)[0]
    (trade,) = run_exchange(
        X, S, C, ALL, rounds=1, variant="random-rate", rng=np.random.default_rng(seed)
    )[0].exchanges
    rate = trade["shift_on_j_demand"] / trade["shift_on_i_demand"]
    assert rate == pytest.approx(0.25 + 3.75 * u, rel=1e-12)
    shift_p, shift_q = trade["shift_on_i_demand"], trade["shift_on_j_demand"]
    assert trade["gain_i"] == pytest.approx(0.8 * shift_p - 0.2 * shift_q, rel=1e-12)
    assert trade["gain_j"] == pytest.approx(0.8 * shift_q - 0.2 * shift_p, rel=1e-12)
    (equal,) = run_exchange(X, S, C, ALL, rounds=1)[0].exchanges
    assert equal["shift_on_j_demand"] / equal["shift_on_i_demand"] == pytest.approx(1.0)
    assert abs(rate - 1.0) > 0.01  # these seeds draw a rate unlike the default's
