"""The exchange model's random-rate variant against a case worked by hand, where it differs
from the default equal-gain rate (issue 22; tests/test_exchange.py has the default and the
adjustment options); a third party's externality off the scale's end, and the default number
of rounds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from statecraft import load
from statecraft.arrays import scenario_batch
from statecraft.models import Exchange
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


@pytest.mark.parametrize("protocol", ["statecraft", "decide"])
def test_a_third_partys_externality_off_the_ends_by_hand(protocol: str) -> None:
    """On 0-100: A at (100, 100) with saliences (0.8, 0.4), B at (0, 25) with (0.2, 0.8), F
    at (100, 10) with (0.5, 0.5), capabilities 1. Outcomes p = 130/1.5 = 86.67, q = 65/1.7 =
    38.24. A and B are the one pair on opposite sides of both (F is right on p, left on q);
    A gives way on q. B moving all the way to 100 on p shifts p by 100 x 0.2/1.5 = 13.33,
    q by 13.33 x (0.2 + 0.8)/(0.8 + 0.4) = 11.11, which needs A to move 11.11 x 1.7/0.4 =
    47.22 (q then 27.12, not past B's 25: no cap). F, the third party, gains on p
    0.5 x (|86.67 - 100| - |100 - 100|) = 6.67 and on q 0.5 x (|38.24 - 10| - |27.12 -
    10|) = 0.5 x 11.11 = 5.56: 110/9 in all. Both protocols make this one exchange."""
    x = np.array([[100.0, 100.0], [0.0, 25.0], [100.0, 10.0]])
    s = np.array([[0.8, 0.4], [0.2, 0.8], [0.5, 0.5]])
    (first,) = run_exchange(x, s, np.ones((3, 2)), x >= 0, rounds=1, protocol=protocol)
    np.testing.assert_allclose(first.start, [130 / 1.5, 65 / 1.7])
    np.testing.assert_allclose(first.voting, [100.0, 65 / 1.7 - 100 / 9])
    (trade,) = first.exchanges
    assert trade["i_moves"] == pytest.approx(-100 / 9 * 1.7 / 0.4)
    assert trade["j_moves"] == pytest.approx(100)
    np.testing.assert_allclose(first.externalities, [0.0, 0.0, 110 / 9], atol=1e-9)


def test_run_exchange_runs_ten_rounds_by_default() -> None:
    """decide's 10 rounds (docs/models/exchange.md): on Copenhagen the default protocol
    still makes exchanges in round 10 and in rounds 11 and 12 when asked for them, so the
    run stops at 10 because of the limit alone."""
    b = scenario_batch(load(Path(__file__).parent / "data" / "decide" / "copenhagen.csv"))
    args = (b.position[0], b.salience[0], b.capability[0], b.present)
    default = run_exchange(*args)
    assert len(default) == 10
    assert len(default[-1].exchanges) > 0
    longer = run_exchange(*args, rounds=12)
    assert len(longer) == 12
    assert all(len(r.exchanges) > 0 for r in longer[10:])


def test_the_random_rate_without_a_generator_draws_from_seed_0() -> None:
    """``run_exchange`` without ``rng`` draws the random rate from NumPy's generator seeded
    with 0, so that a run is the same each time: the same as with ``default_rng(0)`` given,
    and not as with seed 1 (whose first draw, 0.51, is not seed 0's 0.64)."""
    assert np.random.default_rng(0).random() != np.random.default_rng(1).random()

    def moves(rng: np.random.Generator | None) -> float:
        (first,) = run_exchange(X, S, C, ALL, rounds=1, variant="random-rate", rng=rng)
        return float(first.exchanges[0]["i_moves"])

    assert moves(None) == moves(np.random.default_rng(0))
    assert moves(None) != moves(np.random.default_rng(1))


def test_run_memory_by_hand_in_whole_bytes() -> None:
    """The declared memory of one run (``Exchange.run_memory``), a whole number of bytes:
    11 actors and 7 issues make 11 x 10 / 2 = 55 actor pairs and 7 x 6 / 2 = 21 issue
    pairs, 1,155 pair-pairs: 112 x 1,155 + 1,024 x 11 x 7 = 129,360 + 78,848 = 208,208;
    protocol=decide declares five times that."""
    need = Exchange().run_memory(11, 7)
    assert need == 208_208
    assert type(need) is int
    assert Exchange(protocol="decide").run_memory(11, 7) == 5 * 208_208
