"""Which engine runs the expected utility round, and the compiled paths' outputs that the
engines' comparison does not reach (``models/_eu_fast.py``; issue 22: survivors of the
``eu_engine`` mutation run, 2026-12-07)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import statecraft.models._eu_fast as fast
from statecraft.models.eu_options import EUOptions
from statecraft.models.eu_rounds import SAME_POSITION, run_rounds

NO_NUMBA = "the numba engine needs numba installed (pip install 'statecraft[fast]')"


def test_without_numba_auto_is_numpy_and_numba_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATECRAFT_EU_ENGINE", raising=False)
    monkeypatch.setattr(fast, "has_numba", lambda: False)
    assert fast.resolve() == "numpy"
    assert fast.resolve("auto") == "numpy"
    assert fast.resolve("numpy") == "numpy"
    with pytest.raises(ValueError, match="^" + re.escape(NO_NUMBA) + "$"):
        fast.resolve("numba")


def test_with_numba_auto_is_numba_unless_the_environment_says_numpy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fast, "has_numba", lambda: True)
    monkeypatch.delenv("STATECRAFT_EU_ENGINE", raising=False)
    assert fast.resolve() == "numba"
    assert fast.resolve("numpy") == "numpy"
    monkeypatch.setenv("STATECRAFT_EU_ENGINE", "numpy")
    assert fast.resolve() == "numpy"
    assert fast.resolve("numba") == "numba"  # an engine asked for by name is run
    with pytest.raises(ValueError, match=r"^unknown engine 'fast': auto, numpy or numba$"):
        fast.resolve("fast")  # type: ignore[arg-type]


def test_the_whole_draw_path_takes_only_its_options() -> None:
    """A summary record, every round run (stopping "rounds") and q = 1: the defaults."""
    assert fast.whole(EUOptions(), "summary")
    assert not fast.whole(EUOptions(), "full")
    assert not fast.whole(EUOptions(stopping="tolerance"), "summary")
    assert not fast.whole(EUOptions(q=0.5), "summary")


def test_a_compiled_round_without_views_gives_empty_views() -> None:
    """Two draws of three actors, one round without the views: own and other are float
    arrays and kind an int64 array, each of shape (2, 0, 0)."""
    x = np.array([[0.0, 50.0, 100.0], [10.0, 20.0, 30.0]])
    ones = np.ones_like(x)
    span = x.max(axis=1) - x.min(axis=1)
    median = np.array([50.0, 20.0])
    out = fast.compiled_round(x, ones, ones, span, median, EUOptions(), SAME_POSITION, views=False)
    new, risk, chosen, own, other, kind = out
    assert new.shape == risk.shape == chosen.shape == (2, 3)
    assert own.shape == other.shape == kind.shape == (2, 0, 0)
    assert own.dtype == np.dtype(np.float64)
    assert other.dtype == np.dtype(np.float64)
    assert kind.dtype == np.dtype(np.int64)


def test_a_compiled_summary_of_a_batch_in_agreement_has_one_round_of_positions() -> None:
    """Three actors at 30 agree from the start: no round runs, so the record holds round 0
    only: positions (1, 1, 3), median and mean (1, 1), all 30."""
    x = np.full((1, 3), 30.0)
    out = run_rounds(x, np.ones_like(x), np.ones_like(x), record="summary", engine="numba")
    assert out["rounds"].tolist() == [0]
    assert out["positions"].shape == (1, 1, 3)
    assert out["median"].tolist() == [[30.0]]
    assert out["mean"].tolist() == [[30.0]]


def _parts(b: int, work: int) -> list[tuple[int, int]]:
    seen: list[tuple[int, int]] = []
    fast._split(b, work, lambda lo, hi: seen.append((lo, hi)))
    return sorted(seen)


def test_draws_are_split_over_the_threads_where_the_work_is_worth_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With 3 threads allowed, 10 draws and work for at least 3 threads (3 x 50,000 pairs) are
    cut at 10 k // 3: (0, 3), (3, 6), (6, 10). Work for 2 threads (100,000 pairs) gives two
    halves; less than 2 threads' worth, or 1 draw, or 1 thread allowed: one part, all draws.
    4 threads allowed on 3 draws: one draw each."""
    monkeypatch.setenv("STATECRAFT_THREADS", "3")
    assert _parts(10, 150_000) == [(0, 3), (3, 6), (6, 10)]
    assert _parts(10, 10**9) == [(0, 3), (3, 6), (6, 10)]
    assert _parts(10, 100_000) == [(0, 5), (5, 10)]
    assert _parts(10, 99_999) == [(0, 10)]
    assert _parts(1, 10**9) == [(0, 1)]
    monkeypatch.setenv("STATECRAFT_THREADS", "4")
    assert _parts(3, 10**9) == [(0, 1), (1, 2), (2, 3)]
    monkeypatch.setenv("STATECRAFT_THREADS", "1")
    assert _parts(10, 10**9) == [(0, 10)]


def test_the_threads_are_one_named_pool_per_count() -> None:
    """A pool of 2 threads is made once and kept; 3 threads get their own; its threads are
    named statecraft-eu (as a profiler shows them)."""
    import threading

    two = fast._pool(2)
    assert fast._pool(2) is two
    three = fast._pool(3)
    assert three is not two
    assert two._max_workers == 2
    assert three._max_workers == 3
    name = two.submit(lambda: threading.current_thread().name).result()
    assert name.startswith("statecraft-eu")
