"""The compiled expected utility round (numba) against the NumPy reference.

The kernel evaluates the same equations one draw at a time; it takes x ** r as
exp(r log x) and sums some totals in another order, so the two agree to rounding, not bit
for bit. Stated tolerance: positions, medians and forecasts within 1e-9 of the issue's range
(seen: below 1e-11), views (EU values, in [-4, 4]) within 1e-8, and the same offers, round
counts and confrontations. Inputs are continuous random draws (seeded), where no decision
sits on a tie that rounding could tip. Also here, on cases worked by hand: the machinery
around the round that both engines share (which engine runs, the NumPy round's blocks, the
stopping rule, a summary's set-aside draws, a record with no round).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statecraft as sc
from statecraft.models._eu_fast import resolve, threads_to_use
from statecraft.models.expected_utility import NO_OFFER, EUOptions, run_rounds
from tests.child import loaded_in_child

pytest.importorskip("numba")

EC = sc.issue_arrays(sc.load("ec-emissions-1994"), "emissions")

OPTIONS = st.builds(
    EUOptions,
    probability=st.sampled_from(["pair", "triples"]),
    vote_risk=st.booleans(),
    range=st.sampled_from(["initial", "current"]),
    better_worse=st.sampled_from(["target", "challenger"]),
    q=st.sampled_from([1.0, 0.5, 0.9]),
    t=st.sampled_from([1.0, 0.3, "geometric"]),
    offer_choice=st.sampled_from(["smallest", "type", "scholz"]),
    stopping=st.sampled_from(["rounds", "tolerance", "discount"]),
    rounds=st.integers(1, 10),
)


def _inputs(seed: int, draws: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(0, 100, (draws, n)),
        rng.uniform(0.1, 10, (draws, n)),
        rng.uniform(0.05, 1, (draws, n)),
    )


def _agree(a: dict[str, np.ndarray], b: dict[str, np.ndarray], width: float) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].shape == b[key].shape, key
        if key in ("rounds", "chosen", "kind", "final_kind"):
            np.testing.assert_array_equal(a[key], b[key], err_msg=key)
        elif key in ("own", "other", "final_own", "final_other", "risk"):
            # utilities of order 1 summed over up to n^2 terms in another order by each
            # engine: 1e-8 leaves room for that rounding and nothing else
            np.testing.assert_allclose(a[key], b[key], rtol=0, atol=1e-8, err_msg=key)
        else:
            np.testing.assert_allclose(a[key], b[key], rtol=0, atol=1e-9 * width, err_msg=key)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    draws=st.integers(1, 6),
    n=st.integers(2, 14),
    options=OPTIONS,
    record=st.sampled_from(["full", "summary"]),
)
def test_the_kernel_agrees_with_the_reference(
    seed: int, draws: int, n: int, options: EUOptions, record: str
) -> None:
    x, c, s = _inputs(seed, draws, n)
    ref = run_rounds(x, c, s, options, record=record, engine="numpy")  # type: ignore[arg-type]
    fast = run_rounds(x, c, s, options, record=record, engine="numba")  # type: ignore[arg-type]
    _agree(ref, fast, 100.0)


def test_the_kernel_agrees_on_many_actors() -> None:
    x, c, s = _inputs(3, 3, 200)  # past the small-sort path and the 128-number sums
    o = EUOptions(rounds=3)
    _agree(run_rounds(x, c, s, o, engine="numpy"), run_rounds(x, c, s, o, engine="numba"), 100.0)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_both_engines_give_the_published_first_round(engine: str) -> None:
    # Scholz, Calbert & Smith (2011), Table 2: the EC case's median starts at 7.0 and is 8.4
    # after round 1 (to one decimal); their code gives 9.61 after round 2 (as in
    # test_expected_utility.test_ec_medians_match_scholz_table_2)
    out = run_rounds(EC.position, EC.capability, EC.salience, EUOptions(), engine=engine)  # type: ignore[arg-type]
    medians = out["median"][0]
    assert medians[0] == 7.0
    assert math.floor(medians[1] * 10) / 10 == 8.4
    assert round(float(medians[2]), 2) == 9.61


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_summary_sets_fixed_draws_aside_without_changing_them(engine: str) -> None:
    # the EC case reaches positions no round changes well before 30 rounds: the summary,
    # which sets such draws aside, must equal the full record, which runs every round
    x, c, s = _inputs(5, 20, 10)
    x = np.vstack([x, EC.position[None]])
    c = np.vstack([c, EC.capability[None]])
    s = np.vstack([s, EC.salience[None]])
    o = EUOptions(rounds=30)
    full = run_rounds(x, c, s, o, engine=engine)  # type: ignore[arg-type]
    summary = run_rounds(x, c, s, o, record="summary", engine=engine)  # type: ignore[arg-type]
    positions = full["positions"]
    assert (positions[:, -1] == positions[:, -2]).all(axis=1).any()  # some draw stood still
    for key in summary:
        np.testing.assert_array_equal(summary[key], full[key], err_msg=key)


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_a_draw_at_a_fixed_point_counts_every_round_in_a_summary(engine: str) -> None:
    # x = (0, 1), c = s = (1, 1), the default options: each voter gives 1 to its own side, so
    # S_01 = S_10 = 1 and, over the triples' grand total 4, P_01 = P_10 = 1/4; the exposures
    # are equal, so R = 0 and r = 1; EU_01 = EU_10 = 2 - (3/4) 4 = -1: neither gains, no
    # offer, no move, and D stays 1. A summary sets the draw aside after its first round and
    # still counts the other two: 3 rounds, 4 rows of positions, the median 1/2 (a tie, split
    # at the midpoint) throughout.
    o = EUOptions(rounds=3)
    out = run_rounds([0.0, 1.0], [1.0, 1.0], [1.0, 1.0], o, record="summary", engine=engine)  # type: ignore[arg-type]
    assert out["rounds"].tolist() == [3]
    assert out["positions"].tolist() == [[[0.0, 1.0]] * 4]
    assert out["median"].tolist() == [[0.5] * 4]
    np.testing.assert_array_equal(out["final_own"][0], [[0.0, -1.0], [-1.0, 0.0]])


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_a_forecast_that_moves_exactly_the_tolerance_has_not_settled(engine: str) -> None:
    # stopping="tolerance" stops when the forecast moves *less* than tolerance x D. Three
    # actors of equal weight at 0, 1/2 and 1 (c = 1, s = 1/4, pair normaliser): the first
    # round's forecast is the middle one, 1/2; the round moves actor 1 onto 0 (a
    # precondition, read from the full record: this test is about the stopping rule), so
    # the forecast becomes 0 (two of three at 0): a move of exactly 1/2 of D = 1. With
    # tolerance = 1/2 the draw goes on; the second round moves the forecast 0: it stops
    # there, after 2 rounds (at "less than or equal" it would stop after 1).
    x, c, s = [0.0, 0.5, 1.0], [1.0] * 3, [0.25] * 3
    o = EUOptions(probability="pair", stopping="tolerance", tolerance=0.5)
    out = run_rounds(x, c, s, o, engine=engine)  # type: ignore[arg-type]
    assert out["positions"][0, 1].tolist() == [0.0, 0.0, 1.0]
    assert out["median"][0].tolist() == [0.5, 0.0, 0.0]
    assert out["rounds"].tolist() == [2]


@pytest.mark.parametrize("engine", ["numpy", "numba"])
def test_a_batch_that_agrees_from_the_start_runs_no_round(engine: str) -> None:
    # Both actors at 2: D = 0, so the bargaining is over before it starts: no round, the
    # positions' one row is the input, the forecast 2, and the full record's per-round arrays
    # are empty (0 rounds) with the dtypes a round would give them (kind and chosen integers).
    out = run_rounds([2.0, 2.0], [1.0, 3.0], [1.0, 1.0], engine=engine)  # type: ignore[arg-type]
    assert out["rounds"].tolist() == [0]
    assert out["positions"].tolist() == [[[2.0, 2.0]]]
    assert out["forecast"].tolist() == [2.0]
    empty = {"risk": (1, 0, 2), "own": (1, 0, 2, 2), "other": (1, 0, 2, 2)}
    empty |= {"kind": (1, 0, 2, 2), "chosen": (1, 0, 2)}
    for key, shape in empty.items():
        assert out[key].shape == shape, key
        assert out[key].dtype == (np.int64 if key in ("kind", "chosen") else np.float64), key
    assert out["final_kind"].tolist() == [[[NO_OFFER] * 2] * 2]
    for key in ("final_own", "final_other"):  # no one left to challenge: every view 0
        assert out[key].tolist() == [[[0.0] * 2] * 2], key
        assert out[key].dtype == np.float64, key


@pytest.mark.parametrize(
    ("n", "options"),
    [
        (9, EUOptions()),
        (10, EUOptions(range="current", offer_choice="smallest", probability="pair")),
        (6, EUOptions(rounds=3, vote_risk=False, offer_choice="type", t="geometric")),
        (40, EUOptions(rounds=2)),  # past the small-sort path
    ],
)
def test_a_whole_draw_in_one_call_gives_the_rounds_numbers(
    monkeypatch: pytest.MonkeyPatch, n: int, options: EUOptions
) -> None:
    # The summary runs each draw's every round in one compiled call
    # (_eu_trajectory.trajectories); it must give the per-round compiled path's numbers bit
    # for bit, on draws that agree from the start, collapse onto one point, tie, or stop moving.
    from statecraft.models import eu_rounds

    x, c, s = _inputs(11, 60, n)
    x[:10] = np.round(x[:10] / 50) * 50  # ties
    x[10:12] = 3.0  # every actor agrees
    x[12, :-1] = 40.0  # all but one agree
    c[12, -1] = 1e-3
    x = np.vstack([x, np.resize(EC.position, n)[None]])  # settles within the rounds
    c = np.vstack([c, np.resize(EC.capability, n)[None]])
    s = np.vstack([s, np.resize(EC.salience, n)[None]])
    whole = run_rounds(x, c, s, options, record="summary", engine="numba")
    monkeypatch.setattr(eu_rounds, "whole", lambda o, record: False)
    per_round = run_rounds(x, c, s, options, record="summary", engine="numba")
    assert whole.keys() == per_round.keys()
    assert (whole["rounds"] == 0).sum() >= 2  # the draws that agree ran no round
    for key in whole:
        assert whole[key].dtype == per_round[key].dtype, key
        np.testing.assert_array_equal(whole[key], per_round[key], err_msg=key)


def test_the_compiled_round_loads_no_linear_algebra() -> None:
    # numba's first call would import scipy.linalg only to find a BLAS none of the kernels
    # uses (models.numba_setup.load_numba_without_scipy); the results above are taken
    # without it. The child runs the default engine choice, so STATECRAFT_EU_ENGINE (set to
    # numpy when the mutation tests run this file) is left out of its environment.
    import os

    code = (
        "import numpy as np; from statecraft.models.eu_rounds import run_rounds; "
        "x = np.linspace(0, 1, 12).reshape(2, 6); run_rounds(x, x + 1, x + 0.5, record='summary')"
    )
    env = {k: v for k, v in os.environ.items() if k != "STATECRAFT_EU_ENGINE"}
    assert loaded_in_child(code, ["scipy.linalg", "numba"], env=env) == {"numba"}


def test_threads_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    x, c, s = _inputs(9, 300, 7)
    o = EUOptions()
    monkeypatch.setenv("STATECRAFT_THREADS", "1")
    one = run_rounds(x, c, s, o, engine="numba")
    monkeypatch.setenv("STATECRAFT_THREADS", "3")
    three = run_rounds(x, c, s, o, engine="numba")
    for key in one:
        np.testing.assert_array_equal(one[key], three[key], err_msg=key)


@pytest.mark.parametrize("bad", ["0", "two", "-1", "1.5"])
def test_bad_thread_counts_are_refused(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("STATECRAFT_THREADS", bad)
    with pytest.raises(ValueError, match="STATECRAFT_THREADS must be a whole number from 1"):
        threads_to_use()


def test_engine_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATECRAFT_EU_ENGINE", raising=False)
    assert resolve("auto") == "numba"
    assert resolve("numpy") == "numpy"
    monkeypatch.setenv("STATECRAFT_EU_ENGINE", "numpy")
    assert resolve("auto") == "numpy"
    with pytest.raises(ValueError, match="unknown engine 'fast': auto, numpy or numba"):
        resolve("fast")  # type: ignore[arg-type]


def test_each_engine_runs_its_own_code(monkeypatch: pytest.MonkeyPatch) -> None:
    # The two engines agree to rounding, so only a spy tells which one ran: "numba" must run
    # the compiled round (once for the round, once for the final views) or, for a summary
    # with the default options, the whole-draw call; "numpy" neither. The case is
    # tests/test_eu_by_hand.py's two actors, x = (0, 1), c = (3, 1), s = (1, 1): actor 1
    # capitulates onto 0 in the first round, which ends the bargaining.
    from statecraft.models import eu_rounds

    calls: list[tuple[str, Any]] = []

    def spy(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append((name, kwargs.get("views")))
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(eu_rounds, "compiled_round", spy("round", eu_rounds.compiled_round))
    monkeypatch.setattr(eu_rounds, "compiled_summary", spy("whole", eu_rounds.compiled_summary))
    # A summary that stops by tolerance takes the per-round path: the rounds without their
    # views (views=False), the final views with them.
    tolerance = EUOptions(stopping="tolerance")
    runs = [
        ("numpy", "full", EUOptions(), []),
        ("numba", "full", EUOptions(), [("round", True)] * 2),
        ("numba", "summary", EUOptions(), [("whole", None)]),
        ("numba", "summary", tolerance, [("round", False), ("round", True)]),
    ]
    for engine, record, options, expected in runs:
        calls.clear()
        out = run_rounds([0.0, 1.0], [3.0, 1.0], [1.0, 1.0], options, record=record, engine=engine)  # type: ignore[arg-type]
        assert calls == expected, (engine, record)
        assert out["rounds"].tolist() == [1]
        assert out["positions"][0, -1].tolist() == [0.0, 0.0]
        assert out["forecast"].tolist() == [0.0]


def test_a_round_runs_in_blocks_of_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    # The NumPy round runs one_round on blocks of at most CHUNK draws, fewer where a draw's
    # n^2 cells would take a block past BLOCK_CELLS: size = max(1, min(CHUNK,
    # BLOCK_CELLS // n^2)). With CHUNK = 3 and BLOCK_CELLS = 20: n = 2 gives 20 // 4 = 5, so
    # blocks of 3 and 5 draws run as (3, 2); n = 3 gives 20 // 9 = 2: (2, 2, 1); n = 5 gives
    # 20 // 25 = 0, at least 1: five blocks of 1; 3 draws of n = 2 fit one block. Draws are
    # independent, so the joined blocks give the whole batch's round, bit for bit.
    from dataclasses import fields

    from statecraft.models import eu_rounds
    from statecraft.models.base import weights

    real = eu_rounds.one_round
    sizes: list[int] = []

    def spy(*args: Any) -> Any:
        sizes.append(args[0].shape[0])
        return real(*args)

    monkeypatch.setattr(eu_rounds, "CHUNK", 3)
    monkeypatch.setattr(eu_rounds, "BLOCK_CELLS", 20)
    monkeypatch.setattr(eu_rounds, "one_round", spy)
    o = EUOptions()
    for n, draws, expected in [(2, 5, [3, 2]), (3, 5, [2, 2, 1]), (5, 5, [1] * 5), (2, 3, [3])]:
        x, c, s = _inputs(n, draws, n)
        span = x.max(axis=-1) - x.min(axis=-1)
        whole_new, whole = real(x, c, s, span, o)
        sizes.clear()
        known = (weights(c, s), *eu_rounds.round_forecast(x, c, s))
        new, blocks = eu_rounds._round_in_blocks(x, c, s, span, o, "numpy", known=known)
        assert sizes == expected, n
        np.testing.assert_array_equal(new, whole_new)
        for f in fields(whole):
            np.testing.assert_array_equal(getattr(blocks, f.name), getattr(whole, f.name))


def test_the_vector_log_and_exp() -> None:
    from statecraft.models._eu_vmath import vexp, vlog

    # exact points: log 1 = 0, log 1/2 = -ln 2, log 0 = -inf; exp 0 = 1, exp(-inf) = 0
    x = np.array([1.0, 0.5, 0.0, 0.25, 1e-300])
    bits = np.empty(x.size, dtype=np.int64)
    vlog(x, bits)
    assert x[0] == 0.0
    assert x[2] == -np.inf
    assert x[1] == pytest.approx(-math.log(2), rel=1e-15)
    assert x[3] == pytest.approx(-2 * math.log(2), rel=1e-15)
    assert x[4] == pytest.approx(-300 * math.log(10), rel=1e-15)
    y = np.array([0.0, -np.inf, -math.log(2), -800.0])
    vexp(y, bits[:4])
    assert y.tolist()[:2] == [1.0, 0.0]
    assert y[3] == 0.0
    assert y[2] == pytest.approx(0.5, rel=1e-15)
    # against the C library on the kernel's ranges: bases in (0, 1], exponents r log base
    rng = np.random.default_rng(7)
    base = rng.uniform(0, 1, 10_000) ** 3
    logs = base.copy()
    vlog(logs, np.empty(base.size, dtype=np.int64))
    np.testing.assert_allclose(logs, np.log(base), rtol=4e-16, atol=0)
    power = rng.uniform(-700, 0, 10_000)
    exps = power.copy()
    vexp(exps, np.empty(power.size, dtype=np.int64))
    np.testing.assert_allclose(exps, np.exp(power), rtol=1e-15, atol=0)
